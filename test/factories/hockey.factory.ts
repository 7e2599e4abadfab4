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

export const insertMatchEvent = (db: DataSource, values: Row & { match_id: unknown }) =>
  insert(db, 'match_events', { type: 'shot', period: 1, clock_seconds: randomInt(0, 1200), ...values });

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

export interface LivePlayer {
  personId: string;
  fullName: string;
  jerseyNumber: number;
}

export interface LiveMatch {
  match: Row;
  homeTeam: Row;
  awayTeam: Row;
  /** Active roster players of each team for the match's season, in jersey order. */
  players: { home: LivePlayer[]; away: LivePlayer[] };
}

const POSITIONS = ['C', 'LW', 'RW', 'D', 'D', 'G'];

/**
 * A match under way (period 1, clock stopped at 12:34 to play) between two
 * teams with players on their rosters for the season. Give names, teams and
 * `starts_at` for output that has to look the same on every run.
 */
export async function insertLiveMatch(
  db: DataSource,
  options: { match?: Row; homeTeam?: Row; awayTeam?: Row; homePlayers?: string[]; awayPlayers?: string[] } = {},
): Promise<LiveMatch> {
  const season = await insertSeason(db);
  const homeTeam = await insertTeam(db, options.homeTeam);
  const awayTeam = await insertTeam(db, options.awayTeam);
  const match = await insertMatch(db, {
    starts_at: new Date(Date.now() - 30 * 60_000).toISOString(),
    status: 'live',
    period: 1,
    clock_seconds_remaining: 754,
    clock_running: false,
    clock_updated_at: new Date().toISOString(),
    ...options.match,
    season_id: season.id,
    home_team_id: homeTeam.id,
    away_team_id: awayTeam.id,
  });
  const roster = async (team: Row, names: string[]): Promise<LivePlayer[]> => {
    const players: LivePlayer[] = [];
    for (const [index, fullName] of names.entries()) {
      const person = await insertPerson(db, { full_name: fullName });
      const jerseyNumber = 10 + index;
      await insertRosterEntry(db, { season_id: season.id, team_id: team.id, person_id: person.id, jersey_number: jerseyNumber, position: POSITIONS[index % POSITIONS.length] });
      players.push({ personId: person.id as string, fullName, jerseyNumber });
    }
    return players;
  };
  const names = (given: string[] | undefined) => given ?? Array.from({ length: 4 }, () => `Player ${suffix()}`);
  return {
    match,
    homeTeam,
    awayTeam,
    players: { home: await roster(homeTeam, names(options.homePlayers)), away: await roster(awayTeam, names(options.awayPlayers)) },
  };
}
