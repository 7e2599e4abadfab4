import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Test data with sensible defaults; every field can be overridden. Rows go in through plain SQL. */
type Row = Record<string, unknown>;

async function insert(db: DataSource, table: string, values: Row): Promise<Row> {
  const columns = Object.keys(values);
  const [row] = await db.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    columns.map((column) => values[column]),
  );
  return row;
}

const suffix = () => randomUUID().slice(0, 8);

export const insertTournament = (db: DataSource, values: Row = {}) =>
  insert(db, 'tournaments', { name: `League ${suffix()}`, ...values });

export async function insertSeason(db: DataSource, values: Row = {}): Promise<Row> {
  const tournamentId = values.tournament_id ?? (await insertTournament(db)).id;
  return insert(db, 'seasons', { name: '2024-25', starts_on: '2024-10-01', ends_on: '2025-06-30', ...values, tournament_id: tournamentId });
}

export const insertTeam = (db: DataSource, values: Row = {}) =>
  insert(db, 'teams', { name: `Team ${suffix()}`, abbreviation: 'T' + randomInt(10, 99), ...values });

export async function insertMatch(db: DataSource, values: Row = {}): Promise<Row> {
  const seasonId = values.season_id ?? (await insertSeason(db)).id;
  const homeTeamId = values.home_team_id ?? (await insertTeam(db)).id;
  const awayTeamId = values.away_team_id ?? (await insertTeam(db)).id;
  return insert(db, 'matches', {
    starts_at: new Date(Date.now() + 3_600_000).toISOString(),
    ...values,
    season_id: seasonId,
    home_team_id: homeTeamId,
    away_team_id: awayTeamId,
  });
}

export const insertPerson = (db: DataSource, values: Row = {}) =>
  insert(db, 'persons', { full_name: `Player ${suffix()}`, ...values });

/** A person on a team's roster for a season (a new player unless `person_id` is given). */
export async function insertRosterEntry(db: DataSource, values: Row & { season_id: unknown; team_id: unknown }): Promise<Row> {
  const personId = values.person_id ?? (await insertPerson(db)).id;
  return insert(db, 'roster_entries', { jersey_number: randomInt(1, 99), position: 'C', ...values, person_id: personId });
}

/** A person dressed for a match (a new player unless `person_id` is given). */
export async function insertLineup(db: DataSource, values: Row & { match_id: unknown; team_id: unknown }): Promise<Row> {
  const personId = values.person_id ?? (await insertPerson(db)).id;
  return insert(db, 'lineups', { ...values, person_id: personId });
}
