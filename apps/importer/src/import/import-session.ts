import type {
  ArenaSnapshot,
  GameHeader,
  PersonRef,
  PersonSnapshot,
  SeasonSnapshot,
  StageSnapshot,
  TeamSnapshot,
  TournamentSnapshot,
} from '../provider/stats-provider.js';
import { ImportSnapshotError } from './import.errors.js';
import { type ImportRepository, type Row, type TableSpec, type UpsertResult, type UpsertRow, keyOf } from './import.repository.js';

/** What an import did, in rows of every table together. */
export interface ImportSummary {
  inserted: number;
  updated: number;
  /** Rows the provider withdrew (hidden) or dropped (inactive roster entries). */
  hidden: number;
  unchanged: number;
}

/** Rows with an identity at the provider. */
const importable = (table: string): TableSpec => ({ table, key: ['source', 'external_id'] });

export const TABLES = {
  tournaments: importable('tournaments'),
  seasons: importable('seasons'),
  stages: importable('stages'),
  arenas: importable('arenas'),
  // Schedules of different seasons disagree on a team's arena (a building renamed): the first one stays.
  teams: { ...importable('teams'), fillOnly: ['arena_id'] },
  persons: importable('persons'),
  matches: {
    ...importable('matches'),
    follows: { column: 'clock_updated_at', of: ['period', 'clock_seconds_remaining', 'clock_running'] },
    version: 'version',
  },
  matchEvents: importable('match_events'),
  rosterEntries: { table: 'roster_entries', key: ['season_id', 'team_id', 'person_id'] },
  lineups: { table: 'lineups', key: ['match_id', 'person_id'] },
  standings: { table: 'standings', key: ['season_id', 'stage_id', 'team_id'], nullableKey: ['stage_id'] },
  teamMatchStats: { table: 'team_match_stats', key: ['match_id', 'team_id'] },
  playerMatchStats: { table: 'player_match_stats', key: ['match_id', 'person_id'] },
} satisfies Record<string, TableSpec>;

/**
 * A row from a snapshot's fields: an `undefined` value is a column the
 * snapshot does not state, kept on an existing row and filled from
 * `fallbacks` (else NULL) on a new one.
 */
export function stated(values: Row, fallbacks: Row = {}): UpsertRow {
  const keep = Object.keys(values).filter((column) => values[column] === undefined);
  return {
    values: Object.fromEntries(Object.entries(values).map(([column, value]) => [column, value === undefined ? (fallbacks[column] ?? null) : value])),
    keep,
  };
}

/** One thing per key, with what each mention of it states: a later mention wins where both state something. */
export function mergeStated<T extends object>(items: readonly T[], keyOfItem: (item: T) => string): T[] {
  const merged = new Map<string, T>();
  for (const item of items) {
    const defined = Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
    merged.set(keyOfItem(item), { ...merged.get(keyOfItem(item)), ...defined } as T);
  }
  return [...merged.values()];
}

const externalKey = (source: string, externalId: string) => keyOf(['source', 'external_id'], { source, external_id: externalId });

/** The home and away teams of a match, and its season. */
export interface WrittenMatch {
  id: string;
  seasonId: string;
  teams: Map<string, string>;
}

/**
 * The writes of one snapshot, in its transaction: the rows every kind of
 * snapshot shares (competition, teams, people, matches), ids resolved along
 * the way, and the tally of what changed.
 */
export class ImportSession {
  readonly summary: ImportSummary = { inserted: 0, updated: 0, hidden: 0, unchanged: 0 };
  private readonly persons = new Map<string, string>();

  constructor(
    readonly tx: ImportRepository,
    readonly source: string,
  ) {}

  /** Writes rows and adds them to the tally; returns their ids by external id (or by key for natural keys). */
  async write(spec: TableSpec, rows: UpsertRow[]): Promise<UpsertResult> {
    const duplicates = rows.length - new Set(rows.map((row) => keyOf(spec.key, row.values))).size;
    if (duplicates > 0) throw new ImportSnapshotError(`${spec.table}: ${duplicates} rows repeat a key (${spec.key.join(', ')})`);
    const result = await this.tx.upsert(spec, rows);
    this.summary.inserted += result.inserted;
    this.summary.updated += result.updated;
    this.summary.unchanged += result.unchanged;
    return result;
  }

  countHidden(rows: number): void {
    this.summary.hidden += rows;
  }

  /** The row id of an importable row this session wrote. */
  idOf(result: UpsertResult, externalId: string, what: string): string {
    const id = result.ids.get(externalKey(this.source, externalId));
    if (!id) throw new ImportSnapshotError(`no ${what} ${externalId} was written`);
    return id;
  }

  private importableRow(externalId: string, values: Row, fallbacks?: Row): UpsertRow {
    return stated({ source: this.source, external_id: externalId, ...values }, fallbacks);
  }

  private async tournaments(tournaments: TournamentSnapshot[]): Promise<UpsertResult> {
    return this.write(
      TABLES.tournaments,
      mergeStated(tournaments, (t) => t.externalId).map((t) => this.importableRow(t.externalId, { name: t.name, short_name: t.shortName })),
    );
  }

  /** Seasons (and their tournaments); season ids by the season's external id. */
  async seasons(seasons: SeasonSnapshot[]): Promise<Map<string, string>> {
    const merged = mergeStated(seasons, (season) => season.externalId);
    const tournaments = await this.tournaments(merged.map((season) => season.tournament));
    const written = await this.write(
      TABLES.seasons,
      merged.map((season) =>
        this.importableRow(season.externalId, {
          tournament_id: this.idOf(tournaments, season.tournament.externalId, 'tournament'),
          name: season.name,
          starts_on: season.startsOn,
          ends_on: season.endsOn,
        }),
      ),
    );
    return new Map(merged.map((season) => [season.externalId, this.idOf(written, season.externalId, 'season')]));
  }

  /**
   * Stages of seasons, parents before children (a round of writes per
   * level). Stage ids by external id.
   */
  async stages(stages: { seasonId: string; stage: StageSnapshot }[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    let pending = mergeStated(stages, ({ stage }) => stage.externalId);
    while (pending.length > 0) {
      const ready = pending.filter(({ stage }) => stage.parentExternalId === null || ids.has(stage.parentExternalId));
      if (ready.length === 0) {
        throw new ImportSnapshotError(`stages ${pending.map(({ stage }) => stage.externalId).join(', ')} name parents that are not in the snapshot`);
      }
      const written = await this.write(
        TABLES.stages,
        ready.map(({ seasonId, stage }) =>
          this.importableRow(
            stage.externalId,
            {
              season_id: seasonId,
              parent_id: stage.parentExternalId === null ? null : ids.get(stage.parentExternalId),
              kind: stage.kind,
              name: stage.name,
              sort_order: stage.sortOrder,
            },
          ),
        ),
      );
      for (const { stage } of ready) ids.set(stage.externalId, this.idOf(written, stage.externalId, 'stage'));
      pending = pending.filter(({ stage }) => !ids.has(stage.externalId));
    }
    return ids;
  }

  async arenas(arenas: ArenaSnapshot[]): Promise<Map<string, string>> {
    const merged = mergeStated(arenas, (arena) => arena.externalId);
    const written = await this.write(
      TABLES.arenas,
      merged.map((arena) =>
        this.importableRow(
          arena.externalId,
          { name: arena.name, name_i18n: arena.nameI18n, city: arena.city, time_zone: arena.timeZone },
          { name_i18n: {} },
        ),
      ),
    );
    return new Map(merged.map((arena) => [arena.externalId, this.idOf(written, arena.externalId, 'arena')]));
  }

  /**
   * Teams by external id. A team that only a game names has no full name
   * yet: it gets 'city short name' (or its code) until the standings name it.
   * `homeArenas` gives teams without an arena one, by the arena's id.
   */
  async teams(teams: TeamSnapshot[], homeArenas: Map<string, string> = new Map()): Promise<Map<string, string>> {
    const merged = mergeStated(teams, (team) => team.externalId);
    const written = await this.write(
      TABLES.teams,
      merged.map((team) =>
        this.importableRow(
          team.externalId,
          {
            name: team.name,
            name_i18n: team.nameI18n,
            short_name: team.shortName,
            abbreviation: team.abbreviation,
            city: team.city,
            logo_url: team.logoUrl,
            arena_id: homeArenas.get(team.externalId),
          },
          { name: [team.city, team.shortName].filter(Boolean).join(' ') || team.abbreviation || team.externalId, name_i18n: {} },
        ),
      ),
    );
    return new Map(merged.map((team) => [team.externalId, this.idOf(written, team.externalId, 'team')]));
  }

  async writePersons(persons: PersonSnapshot[]): Promise<void> {
    const merged = mergeStated(persons, (person) => person.externalId);
    const written = await this.write(
      TABLES.persons,
      merged.map((person) =>
        this.importableRow(
          person.externalId,
          {
            full_name: person.fullName,
            first_name: person.firstName,
            last_name: person.lastName,
            name_i18n: person.nameI18n,
            birth_date: person.birthDate,
            nationality: person.nationality,
            height_cm: person.heightCm,
            weight_kg: person.weightKg,
            shoots_catches: person.shootsCatches,
            photo_url: person.photoUrl,
            role: person.role,
          },
          { name_i18n: {}, role: 'player' },
        ),
      ),
    );
    for (const person of merged) this.persons.set(person.externalId, this.idOf(written, person.externalId, 'person'));
  }

  /** Persons named in passing: created when unknown, never changed by such a mention. */
  async writePersonRefs(refs: PersonRef[]): Promise<void> {
    const merged = mergeStated(refs, (ref) => ref.externalId);
    const written = await this.write(
      TABLES.persons,
      merged.map((ref) => ({ values: { source: this.source, external_id: ref.externalId, full_name: ref.displayName }, keep: ['full_name'] })),
    );
    for (const ref of merged) this.persons.set(ref.externalId, this.idOf(written, ref.externalId, 'person'));
  }

  /** Person ids by external id: those written in this session, then those already in the database. Unknown ones are absent. */
  async personIds(externalIds: (string | null)[]): Promise<Map<string, string>> {
    const unknown = [...new Set(externalIds.filter((id): id is string => id !== null && !this.persons.has(id)))];
    for (const [externalId, id] of await this.tx.idsByExternalId('persons', this.source, unknown)) this.persons.set(externalId, id);
    return this.persons;
  }

  /**
   * Matches from their headers, with everything they hang on: seasons
   * (`seasons` adds what a schedule says of them), stages, arenas, teams.
   * With `setHomeArenas`, a home team without an arena gets the one of its
   * latest home game that is not at a neutral site.
   */
  async matches(headers: GameHeader[], options: { seasons?: SeasonSnapshot[]; setHomeArenas?: boolean } = {}): Promise<Map<string, WrittenMatch>> {
    const duplicates = headers.length - new Set(headers.map((header) => header.externalId)).size;
    if (duplicates > 0) throw new ImportSnapshotError(`${duplicates} games appear twice`);
    const seasonIds = await this.seasons([...headers.map((header) => header.season), ...(options.seasons ?? [])]);
    const stageIds = await this.stages(
      headers.flatMap((header) => (header.stage ? [{ seasonId: seasonIds.get(header.season.externalId) as string, stage: header.stage }] : [])),
    );
    const arenaIds = await this.arenas(headers.flatMap((header) => (header.arena ? [header.arena] : [])));
    const homeArenas = new Map<string, string>();
    if (options.setHomeArenas) {
      const homeGames = headers.filter((header) => header.arena && header.neutralSite === false).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      for (const header of homeGames) homeArenas.set(header.homeTeam.externalId, arenaIds.get(header.arena?.externalId ?? '') as string);
    }
    const teamIds = await this.teams(
      headers.flatMap((header) => [header.homeTeam, header.awayTeam]),
      homeArenas,
    );
    const written = await this.write(
      TABLES.matches,
      headers.map((header) => {
        const clock = header.clock;
        return this.importableRow(
          header.externalId,
          {
            season_id: seasonIds.get(header.season.externalId),
            stage_id: header.stage ? stageIds.get(header.stage.externalId) : null,
            home_team_id: teamIds.get(header.homeTeam.externalId),
            away_team_id: teamIds.get(header.awayTeam.externalId),
            arena_id: header.arena === undefined ? undefined : header.arena === null ? null : arenaIds.get(header.arena.externalId),
            starts_at: header.startsAt,
            status: header.status,
            game_type: header.gameType,
            period: header.period,
            clock_seconds_remaining: clock?.secondsRemaining,
            clock_running: clock?.running,
            clock_updated_at: clock?.readAt,
            in_intermission: clock?.inIntermission,
            home_score: header.homeScore,
            away_score: header.awayScore,
            overtime: header.overtime,
            shootout: header.shootout,
          },
          { clock_running: false, in_intermission: false, home_score: 0, away_score: 0, overtime: false, shootout: false },
        );
      }),
    );
    return new Map(
      headers.map((header) => [
        header.externalId,
        {
          id: this.idOf(written, header.externalId, 'match'),
          seasonId: seasonIds.get(header.season.externalId) as string,
          teams: new Map([header.homeTeam.externalId, header.awayTeam.externalId].map((team) => [team, teamIds.get(team) as string])),
        },
      ]),
    );
  }

  /** One game's match. */
  async match(header: GameHeader): Promise<WrittenMatch> {
    return (await this.matches([header])).get(header.externalId) as WrittenMatch;
  }
}

/** The id of one of a match's two teams; any other team is a contradiction in the snapshot. */
export function teamOfMatch(match: WrittenMatch, teamExternalId: string, what: string): string {
  const id = match.teams.get(teamExternalId);
  if (!id) throw new ImportSnapshotError(`${what} names team ${teamExternalId}, which does not play in this match`);
  return id;
}
