import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Demo data for `npm start`, taken from real NHL games (data/nhl/, see its
 * SOURCES.md): the league with its 2025-26 conferences, divisions, standings
 * and one week of schedule, and three finished 2024-25 games with rosters,
 * lineups and full play-by-play.
 *
 * Every row with an identity at the NHL carries source 'nhl' and the NHL's
 * id, so that the real importer later upserts onto these rows instead of
 * duplicating them. Commentary, video moments and streams are made up around
 * the real goals, with placeholder URLs under demo.faceoff.invalid.
 */

const SOURCE = 'nhl';

/** The files of data/nhl/ that the seed reads. */
export const DEMO_FILES = {
  playByPlay: [
    '20241008-STL-vs-SEA-2024020003.json',
    '20241012-SEA-vs-MIN-2024020033.json',
    '20241019-CGY-vs-SEA-2024020087.json',
  ],
  standings: 'standings-2025-10-07.json',
  schedule: 'schedule-2025-10-07.json',
} as const;

const PLACEHOLDER_MEDIA = 'https://demo.faceoff.invalid';

// ---------------------------------------------------------------------------
// The NHL API's shapes (api-web.nhle.com), only the fields read here
// ---------------------------------------------------------------------------

/** Localized text: `{ default: 'Montréal Canadiens', fr: 'Canadiens de Montréal' }`. */
export interface NhlText {
  default?: string;
  [locale: string]: string | undefined;
}

export interface NhlPeriod {
  number?: number;
  periodType?: string; // 'REG' | 'OT' | 'SO'
}

export interface NhlPlayDetails {
  eventOwnerTeamId?: number;
  xCoord?: number;
  yCoord?: number;
  scoringPlayerId?: number;
  assist1PlayerId?: number;
  assist2PlayerId?: number;
  goalieInNetId?: number;
  shootingPlayerId?: number;
  blockingPlayerId?: number;
  winningPlayerId?: number;
  losingPlayerId?: number;
  hittingPlayerId?: number;
  hitteePlayerId?: number;
  playerId?: number;
  committedByPlayerId?: number;
  drawnByPlayerId?: number;
  servedByPlayerId?: number;
  homeScore?: number;
  awayScore?: number;
  descKey?: string;
  duration?: number;
}

export interface NhlPlay {
  eventId?: number;
  sortOrder?: number;
  typeDescKey?: string;
  periodDescriptor?: NhlPeriod;
  /** Play-by-play from before 2024 has the period number here. */
  period?: number;
  timeInPeriod?: string; // 'mm:ss' elapsed
  situationCode?: string;
  details?: NhlPlayDetails;
}

export interface NhlRosterSpot {
  teamId?: number;
  playerId?: number;
  firstName?: NhlText;
  lastName?: NhlText;
  sweaterNumber?: number;
  positionCode?: string; // 'C' | 'L' | 'R' | 'D' | 'G'
  headshot?: string;
}

export interface NhlGameTeam {
  id?: number;
  abbrev?: string;
  score?: number;
  /** The common name ('Kraken') in play-by-play, `commonName` in the schedule. */
  name?: NhlText;
  commonName?: NhlText;
  placeName?: NhlText;
  logo?: string;
}

/** A play-by-play response, or a game of the schedule (no roster, no plays). */
export interface NhlGame {
  id?: number;
  season?: number; // 20242025
  gameType?: number;
  startTimeUTC?: string;
  venue?: NhlText;
  venueLocation?: NhlText;
  venueTimezone?: string;
  neutralSite?: boolean;
  gameState?: string;
  gameScheduleState?: string;
  awayTeam?: NhlGameTeam;
  homeTeam?: NhlGameTeam;
  periodDescriptor?: NhlPeriod;
  clock?: { secondsRemaining?: number };
  gameOutcome?: { lastPeriodType?: string };
  rosterSpots?: NhlRosterSpot[];
  plays?: NhlPlay[];
}

export interface NhlStandingsRow {
  seasonId?: number;
  teamAbbrev?: NhlText;
  teamName?: NhlText;
  teamCommonName?: NhlText;
  placeName?: NhlText;
  teamLogo?: string;
  conferenceAbbrev?: string;
  conferenceName?: string;
  divisionAbbrev?: string;
  divisionName?: string;
  leagueSequence?: number;
  conferenceSequence?: number;
  divisionSequence?: number;
  gamesPlayed?: number;
  wins?: number;
  losses?: number;
  otLosses?: number;
  points?: number;
  goalFor?: number;
  goalAgainst?: number;
  goalDifferential?: number;
  pointPctg?: number;
  streakCode?: string;
  streakCount?: number;
  l10Wins?: number;
  l10Losses?: number;
  l10OtLosses?: number;
}

export interface NhlStandings {
  standings?: NhlStandingsRow[];
}

export interface NhlSchedule {
  gameWeek?: { games?: NhlGame[] }[];
  preSeasonStartDate?: string;
  regularSeasonStartDate?: string;
  regularSeasonEndDate?: string;
  playoffEndDate?: string;
}

type KnownTeam = NhlGameTeam & { abbrev: string };

/** A game with what every match row needs. */
type KnownGame = NhlGame & {
  id: number;
  season: number;
  gameType: keyof typeof GAME_TYPES;
  startTimeUTC: string;
  homeTeam: KnownTeam;
  awayTeam: KnownTeam;
};

const GAME_TYPES = { 1: 'preseason', 2: 'regular', 3: 'playoff' } as const;

function isKnownGame(game: NhlGame): game is KnownGame {
  return (
    game.id !== undefined &&
    game.season !== undefined &&
    (game.gameType === 1 || game.gameType === 2 || game.gameType === 3) &&
    !!game.startTimeUTC &&
    !!game.homeTeam?.abbrev &&
    !!game.awayTeam?.abbrev
  );
}

// ---------------------------------------------------------------------------
// Reading the files
// ---------------------------------------------------------------------------

/**
 * data/nhl/ of the repository. Found by walking up from this file, which
 * runs as tools/stack/src/demo-seed.ts under jest and from dist/tools/... once built.
 */
function demoDataDir(): string {
  const here = fileURLToPath(import.meta.url);
  let dir = dirname(here);
  for (;;) {
    const candidate = join(dir, 'data', 'nhl');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no data/nhl/ beside a package.json above ${here}`);
    dir = parent;
  }
}

export function readDemoFile<T>(file: string, dir: string = demoDataDir()): T {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}

interface DemoData {
  /** Finished games with rosters and plays. */
  playedGames: KnownGame[];
  /** The week of the schedule. */
  scheduleGames: KnownGame[];
  schedule: NhlSchedule;
  standings: NhlStandingsRow[];
}

function loadDemoData(): DemoData {
  const dir = demoDataDir();
  const schedule = readDemoFile<NhlSchedule>(DEMO_FILES.schedule, dir);
  return {
    playedGames: DEMO_FILES.playByPlay.map((file) => readDemoFile<NhlGame>(file, dir)).filter(isKnownGame),
    scheduleGames: (schedule.gameWeek ?? []).flatMap((day) => day.games ?? []).filter(isKnownGame),
    schedule,
    standings: readDemoFile<NhlStandings>(DEMO_FILES.standings, dir).standings ?? [],
  };
}

// ---------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------

/**
 * Loads the demo data in one transaction, unless an NHL tournament is
 * already there (a second start, or a database the importer fills): then
 * it writes nothing and returns undefined. Otherwise returns a summary line.
 */
export async function seedDemoData(dataSource: DataSource): Promise<string | undefined> {
  return dataSource.transaction(async (m) => {
    // Two stacks starting on one database at once must not both seed it.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('faceoff.demo-seed'))`);
    const [existing] = await m.query(`SELECT 1 FROM tournaments WHERE source = $1 LIMIT 1`, [SOURCE]);
    if (existing) return undefined;
    return (await writeDemoData(m, loadDemoData())).join(', ');
  });
}

async function writeDemoData(m: EntityManager, data: DemoData): Promise<string[]> {
  const games = uniqueGames([...data.scheduleGames, ...data.playedGames]);
  const tournamentId = await writeTournament(m);
  const seasons = await writeSeasons(m, tournamentId, data, games);
  const stages = await writeStages(m, seasons, data.standings);
  const arenas = await upsertByExternalId(m, 'arenas', arenaRows(games));
  const teams = await upsertByExternalId(m, 'teams', teamRows(data.standings, games, arenas));
  const players = playerRows(data.playedGames);
  const persons = await upsertByExternalId(m, 'persons', [...players.values()]);
  const rosterEntries = await writeRosterEntries(m, data.playedGames, seasons, teams, persons);
  const matches = await upsertByExternalId(m, 'matches', games.map((game) => matchRow(game, seasons, stages.regular, teams, arenas)));
  const lineups = await writeLineups(m, data.playedGames, matches, teams, persons);
  const goals: Goal[] = [];
  let events = 0;
  for (const game of data.playedGames) {
    const links = gameLinks(game, required(matches, String(game.id), 'match'), teams, persons);
    const written = await upsertByExternalId(m, 'match_events', knownPlays(game).map((play) => eventRow(game, play, links)));
    events += written.size;
    goals.push(...goalsOf(game, links.matchId, written, players));
  }
  const commentary = await upsertByExternalId(m, 'commentary_lines', goals.map(commentaryRow));
  const videos = await upsertByExternalId(m, 'video_moments', goals.map(videoMomentRow));
  const streams = await writeRows(m, 'streams', games.map((game) => streamRow(game, matches)));
  const standings = await writeStandings(m, data.standings, seasons, stages, teams);
  return [
    counted(1, 'tournament'),
    counted(seasons.size, 'season'),
    counted(stages.count, 'stage'),
    counted(arenas.size, 'arena'),
    counted(teams.size, 'team'),
    counted(persons.size, 'player'),
    counted(rosterEntries, 'roster entry', 'roster entries'),
    counted(matches.size, 'match', 'matches'),
    counted(events, 'match event'),
    counted(lineups, 'lineup'),
    counted(commentary.size, 'commentary line'),
    counted(videos.size, 'video moment'),
    counted(streams.length, 'stream'),
    counted(standings, 'standings row'),
  ];
}

const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------
// Writing rows
// ---------------------------------------------------------------------------

type Row = Record<string, unknown>;
/** NHL id (external_id) -> row id. */
type Ids = Map<string, string>;

/**
 * One statement per batch: the rows travel as one jsonb parameter, and
 * jsonb_populate_recordset gives each value the type of its column. With a
 * conflict key, a row that is already there (from the importer) is updated.
 * Every row must have the columns of the first.
 */
async function writeRows(m: EntityManager, table: string, rows: Row[], conflictKey: string[] = []): Promise<Row[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const list = columns.join(', ');
  const updates = columns.filter((column) => !conflictKey.includes(column)).map((column) => `${column} = EXCLUDED.${column}`);
  const onConflict = conflictKey.length > 0 ? `ON CONFLICT (${conflictKey.join(', ')}) DO UPDATE SET ${updates.join(', ')}` : '';
  return m.query(
    `INSERT INTO ${table} (${list})
     SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ${onConflict}
     RETURNING ${['id', ...conflictKey].join(', ')}`,
    [JSON.stringify(rows)],
  );
}

async function upsertByExternalId(m: EntityManager, table: string, rows: Row[]): Promise<Ids> {
  const written = await writeRows(m, table, rows.map((row) => ({ source: SOURCE, ...row })), ['source', 'external_id']);
  return new Map(written.map((row) => [String(row.external_id), String(row.id)]));
}

function required(ids: Ids, externalId: string, what: string): string {
  const id = ids.get(externalId);
  if (!id) throw new Error(`demo data: no ${what} ${externalId}`);
  return id;
}

/** The id of a row that may be absent: events can name players missing from the roster. */
const optional = (ids: Ids, externalId: number | string | undefined): string | null =>
  externalId === undefined ? null : (ids.get(String(externalId)) ?? null);

/** The other locales of a localized text, for name_i18n. */
function translations(text: NhlText | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(text ?? {}).filter((entry): entry is [string, string] => entry[0] !== 'default' && typeof entry[1] === 'string'),
  );
}

/** A play-by-play game wins over the same game in the schedule: it is the more complete. */
function uniqueGames(games: KnownGame[]): KnownGame[] {
  return [...new Map(games.map((game) => [game.id, game])).values()];
}

// ---------------------------------------------------------------------------
// Competition structure
// ---------------------------------------------------------------------------

async function writeTournament(m: EntityManager): Promise<string> {
  const ids = await upsertByExternalId(m, 'tournaments', [{ external_id: 'NHL', name: 'National Hockey League', short_name: 'NHL' }]);
  return required(ids, 'NHL', 'tournament');
}

/** '20242025' -> '2024-25' */
const seasonName = (season: string) => `${season.slice(0, 4)}-${season.slice(6, 8)}`;

/** Seasons by NHL id ('20242025'). The latest is the current one. */
async function writeSeasons(m: EntityManager, tournamentId: string, data: DemoData, games: KnownGame[]): Promise<Ids> {
  const seasons = new Set([
    ...games.map((game) => String(game.season)),
    ...data.standings.flatMap((row) => (row.seasonId ? [String(row.seasonId)] : [])),
  ]);
  const latest = [...seasons].sort().at(-1);
  // The schedule's season dates have no season id: they belong to the season of its games.
  const scheduleSeasons = new Set(data.scheduleGames.map((game) => String(game.season)));
  const scheduleSeason = scheduleSeasons.size === 1 ? [...scheduleSeasons][0] : undefined;
  const { schedule } = data;
  return upsertByExternalId(
    m,
    'seasons',
    [...seasons].map((season) => ({
      external_id: season,
      tournament_id: tournamentId,
      name: seasonName(season),
      starts_on: season === scheduleSeason ? (schedule.preSeasonStartDate ?? schedule.regularSeasonStartDate ?? null) : null,
      ends_on: season === scheduleSeason ? (schedule.playoffEndDate ?? schedule.regularSeasonEndDate ?? null) : null,
      is_current: season === latest,
    })),
  );
}

interface Stages {
  /** The regular-season stage of each season, by NHL season id. */
  regular: Ids;
  /** Conferences and divisions by `<season>:<abbreviation>`. */
  conferences: Ids;
  divisions: Ids;
  count: number;
}

/**
 * Each season's regular season, and under it (from the standings) the
 * conferences and their divisions. The NHL has no ids for these: they are
 * keyed by season and name or abbreviation.
 */
async function writeStages(m: EntityManager, seasons: Ids, standings: NhlStandingsRow[]): Promise<Stages> {
  const regularRows = [...seasons].map(([season, seasonId]) => ({
    external_id: `${season}:regular`,
    season_id: seasonId,
    parent_id: null,
    kind: 'regular',
    name: 'Regular Season',
    sort_order: 0,
  }));
  const regularByKey = await upsertByExternalId(m, 'stages', regularRows);
  const regular = new Map([...seasons.keys()].map((season) => [season, required(regularByKey, `${season}:regular`, 'stage')]));

  const groups = standings.flatMap((row) => {
    if (!row.seasonId || !row.conferenceName || !row.divisionName) return [];
    return [
      {
        season: String(row.seasonId),
        conference: row.conferenceAbbrev ?? row.conferenceName,
        conferenceName: row.conferenceName,
        division: row.divisionAbbrev ?? row.divisionName,
        divisionName: row.divisionName,
      },
    ];
  });
  const conferenceRows = uniqueBy(groups, (group) => `${group.season}:${group.conference}`)
    .sort((a, b) => a.conferenceName.localeCompare(b.conferenceName))
    .map((group, index) => ({
      external_id: `${group.season}:conference:${group.conference}`,
      season_id: required(seasons, group.season, 'season'),
      parent_id: required(regular, group.season, 'regular season'),
      kind: 'conference',
      name: `${group.conferenceName} Conference`,
      sort_order: index,
    }));
  const conferenceByKey = await upsertByExternalId(m, 'stages', conferenceRows);
  const conferences = rekey(conferenceByKey, ':conference:');

  const divisionRows = uniqueBy(groups, (group) => `${group.season}:${group.division}`)
    .sort((a, b) => a.conferenceName.localeCompare(b.conferenceName) || a.divisionName.localeCompare(b.divisionName))
    .map((group, index) => ({
      external_id: `${group.season}:division:${group.division}`,
      season_id: required(seasons, group.season, 'season'),
      parent_id: required(conferences, `${group.season}:${group.conference}`, 'conference'),
      kind: 'division',
      name: `${group.divisionName} Division`,
      sort_order: index,
    }));
  const divisions = rekey(await upsertByExternalId(m, 'stages', divisionRows), ':division:');
  return { regular, conferences, divisions, count: regularRows.length + conferenceRows.length + divisionRows.length };
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

/** '20252026:conference:W' -> '20252026:W', the key the standings rows give. */
function rekey(ids: Ids, infix: string): Ids {
  return new Map([...ids].map(([externalId, id]) => [externalId.replace(infix, ':'), id]));
}

// ---------------------------------------------------------------------------
// Arenas, teams, players
// ---------------------------------------------------------------------------

type ArenaRow = {
  external_id: string;
  name: string;
  name_i18n: Record<string, string>;
  city: string | null;
  time_zone: string | null;
};

/**
 * The NHL API has no venue ids, only names, so the name is the key. A renamed
 * building (Xcel Energy Center -> Grand Casino Arena) is two arenas, each
 * under the name its matches were played under.
 */
function arenaRows(games: KnownGame[]): ArenaRow[] {
  const arenas = new Map<string, ArenaRow>();
  for (const game of games) {
    const name = game.venue?.default;
    if (!name) continue;
    const known = arenas.get(name);
    arenas.set(name, {
      external_id: name,
      name,
      name_i18n: { ...known?.name_i18n, ...translations(game.venue) },
      city: game.venueLocation?.default ?? known?.city ?? null,
      time_zone: game.venueTimezone ?? known?.time_zone ?? null,
    });
  }
  return [...arenas.values()];
}

/** Teams by abbreviation: the one team key that standings, schedule and play-by-play all have. */
function teamRows(standings: NhlStandingsRow[], games: KnownGame[], arenas: Ids): Row[] {
  const homeArenas = homeArenaIds(games, arenas);
  const teams = new Map<string, Row>();
  for (const team of games.flatMap((game) => [game.homeTeam, game.awayTeam])) {
    const shortName = team.commonName?.default ?? team.name?.default ?? null;
    const city = team.placeName?.default ?? null;
    teams.set(team.abbrev, {
      external_id: team.abbrev,
      name: [city, shortName].filter(Boolean).join(' ') || team.abbrev,
      name_i18n: {},
      short_name: shortName,
      abbreviation: team.abbrev,
      city,
      logo_url: team.logo ?? null,
      arena_id: homeArenas.get(team.abbrev) ?? null,
    });
  }
  // The standings have the full, translated names: they win.
  for (const row of standings) {
    const abbrev = row.teamAbbrev?.default;
    const name = row.teamName?.default;
    if (!abbrev || !name) continue;
    teams.set(abbrev, {
      external_id: abbrev,
      name,
      name_i18n: translations(row.teamName),
      short_name: row.teamCommonName?.default ?? null,
      abbreviation: abbrev,
      city: row.placeName?.default ?? null,
      logo_url: row.teamLogo ?? null,
      arena_id: homeArenas.get(abbrev) ?? null,
    });
  }
  return [...teams.values()];
}

/** Each team's arena: where it played its latest home game, neutral sites aside. */
function homeArenaIds(games: KnownGame[], arenas: Ids): Map<string, string> {
  const homeGames = games
    .filter((game) => !game.neutralSite && game.venue?.default)
    .sort((a, b) => a.startTimeUTC.localeCompare(b.startTimeUTC));
  return new Map(homeGames.map((game) => [game.homeTeam.abbrev, required(arenas, game.venue?.default ?? '', 'arena')]));
}

const POSITIONS: Record<string, string> = { C: 'C', L: 'LW', R: 'RW', D: 'D', G: 'G' };

type KnownSpot = NhlRosterSpot & { teamId: number; playerId: number };

function knownSpots(game: KnownGame): KnownSpot[] {
  return (game.rosterSpots ?? []).filter(
    (spot): spot is KnownSpot => spot.teamId !== undefined && spot.playerId !== undefined && !!spot.lastName?.default,
  );
}

/** Person rows by NHL player id, from the games' rosters. */
function playerRows(games: KnownGame[]): Map<string, Row & { full_name: string }> {
  const players = new Map<string, Row & { full_name: string }>();
  for (const spot of games.flatMap(knownSpots)) {
    const first = spot.firstName ?? {};
    const last = spot.lastName ?? {};
    const locales = new Set([...Object.keys(translations(first)), ...Object.keys(translations(last))]);
    players.set(String(spot.playerId), {
      external_id: String(spot.playerId),
      first_name: first.default ?? null,
      last_name: last.default ?? null,
      full_name: fullName(first.default, last.default),
      name_i18n: Object.fromEntries(
        [...locales].map((locale) => [locale, fullName(first[locale] ?? first.default, last[locale] ?? last.default)]),
      ),
      photo_url: spot.headshot ?? null,
      role: 'player',
    });
  }
  return players;
}

const fullName = (first: string | undefined, last: string | undefined) => [first, last].filter(Boolean).join(' ');

const jerseyNumber = (spot: NhlRosterSpot) =>
  spot.sweaterNumber !== undefined && spot.sweaterNumber >= 0 && spot.sweaterNumber <= 99 ? spot.sweaterNumber : null;

/** Who plays for whom in the season of the games: one entry per player and team. */
async function writeRosterEntries(m: EntityManager, games: KnownGame[], seasons: Ids, teams: Ids, persons: Ids): Promise<number> {
  const entries = games.flatMap((game) =>
    knownSpots(game).map((spot) => {
      const team = spot.teamId === game.homeTeam.id ? game.homeTeam : game.awayTeam;
      return {
        season_id: required(seasons, String(game.season), 'season'),
        team_id: required(teams, team.abbrev, 'team'),
        person_id: required(persons, String(spot.playerId), 'player'),
        jersey_number: jerseyNumber(spot),
        position: POSITIONS[spot.positionCode ?? ''] ?? null,
      };
    }),
  );
  const unique = uniqueBy(entries, (entry) => `${entry.season_id}:${entry.team_id}:${entry.person_id}`);
  return (await writeRows(m, 'roster_entries', unique, ['season_id', 'team_id', 'person_id'])).length;
}

// ---------------------------------------------------------------------------
// Matches, lineups, streams
// ---------------------------------------------------------------------------

function matchStatus(game: KnownGame): string {
  if (game.gameScheduleState === 'PPD') return 'postponed';
  if (game.gameScheduleState === 'CNCL') return 'cancelled';
  // Everything else is scheduled: demo data is static, a game caught live would stay 'live' forever.
  return game.gameState === 'OFF' || game.gameState === 'FINAL' ? 'finished' : 'scheduled';
}

function matchRow(game: KnownGame, seasons: Ids, regularStages: Ids, teams: Ids, arenas: Ids): Row {
  const status = matchStatus(game);
  const finished = status === 'finished';
  const gameType = GAME_TYPES[game.gameType];
  const venue = game.venue?.default;
  return {
    external_id: String(game.id),
    season_id: required(seasons, String(game.season), 'season'),
    stage_id: gameType === 'regular' ? required(regularStages, String(game.season), 'regular season') : null,
    home_team_id: required(teams, game.homeTeam.abbrev, 'team'),
    away_team_id: required(teams, game.awayTeam.abbrev, 'team'),
    arena_id: venue ? required(arenas, venue, 'arena') : null,
    starts_at: game.startTimeUTC,
    status,
    game_type: gameType,
    period: finished ? (game.periodDescriptor?.number ?? null) : null,
    clock_seconds_remaining: finished ? (game.clock?.secondsRemaining ?? null) : null,
    home_score: game.homeTeam.score ?? 0,
    away_score: game.awayTeam.score ?? 0,
    overtime: finished && game.gameOutcome?.lastPeriodType === 'OT',
    shootout: finished && game.gameOutcome?.lastPeriodType === 'SO',
  };
}

async function writeLineups(m: EntityManager, games: KnownGame[], matches: Ids, teams: Ids, persons: Ids): Promise<number> {
  const rows = games.flatMap((game) => {
    const matchId = required(matches, String(game.id), 'match');
    return uniqueBy(knownSpots(game), (spot) => String(spot.playerId)).map((spot) => ({
      match_id: matchId,
      team_id: required(teams, (spot.teamId === game.homeTeam.id ? game.homeTeam : game.awayTeam).abbrev, 'team'),
      person_id: required(persons, String(spot.playerId), 'player'),
      jersey_number: jerseyNumber(spot),
      position: POSITIONS[spot.positionCode ?? ''] ?? null,
    }));
  });
  return (await writeRows(m, 'lineups', rows, ['match_id', 'person_id'])).length;
}

/** A replay for a finished match, the live stream otherwise; paid either way. */
function streamRow(game: KnownGame, matches: Ids): Row {
  const kind = matchStatus(game) === 'finished' ? 'replay' : 'live';
  return {
    match_id: required(matches, String(game.id), 'match'),
    kind,
    url: `${PLACEHOLDER_MEDIA}/streams/${game.id}/${kind}.m3u8`,
    requires_entitlement: true,
    starts_at: game.startTimeUTC,
  };
}

// ---------------------------------------------------------------------------
// Play-by-play
// ---------------------------------------------------------------------------

const EVENT_TYPES: Record<string, string> = {
  goal: 'goal',
  penalty: 'penalty',
  'shot-on-goal': 'shot',
  'missed-shot': 'missed_shot',
  'blocked-shot': 'blocked_shot',
  faceoff: 'faceoff',
  hit: 'hit',
  giveaway: 'giveaway',
  takeaway: 'takeaway',
  'period-start': 'period_start',
  'period-end': 'period_end',
  stoppage: 'stoppage',
};

/** In a shootout these are attempts, and a scored one does not change the score. */
const SHOOTOUT_SHOTS = new Set(['goal', 'shot-on-goal', 'missed-shot']);

type KnownPlay = NhlPlay & { eventId: number };

function knownPlays(game: NhlGame): KnownPlay[] {
  return (game.plays ?? []).filter((play): play is KnownPlay => play.eventId !== undefined);
}

const isShootout = (play: NhlPlay) => play.periodDescriptor?.periodType === 'SO';

const eventExternalId = (gameId: number, eventId: number) => `${gameId}:${eventId}`;

function eventType(play: NhlPlay): string {
  const key = play.typeDescKey ?? '';
  if (isShootout(play) && SHOOTOUT_SHOTS.has(key)) return 'shootout_attempt';
  return EVENT_TYPES[key] ?? 'other';
}

const playPeriod = (play: NhlPlay) => play.periodDescriptor?.number ?? play.period ?? 1;

function clockSeconds(timeInPeriod: string | undefined): number {
  const match = /^(\d+):(\d{2})$/.exec(timeInPeriod ?? '');
  return match ? Number(match[1]) * 60 + Number(match[2]) : 0;
}

/** Who did it, and to whom (the columns primary_person_id and secondary_person_id). */
function actors(play: NhlPlay): [number | undefined, number | undefined] {
  const d = play.details ?? {};
  switch (play.typeDescKey) {
    case 'goal':
      return [d.scoringPlayerId, d.goalieInNetId];
    case 'shot-on-goal':
    case 'missed-shot':
      return [d.shootingPlayerId, d.goalieInNetId];
    case 'blocked-shot':
      return [d.shootingPlayerId, d.blockingPlayerId];
    case 'faceoff':
      return [d.winningPlayerId, d.losingPlayerId];
    case 'hit':
      return [d.hittingPlayerId, d.hitteePlayerId];
    case 'giveaway':
    case 'takeaway':
      return [d.playerId, undefined];
    case 'penalty':
      return [d.committedByPlayerId, undefined];
    default:
      return [undefined, undefined];
  }
}

interface GoalStrength {
  strength: 'ev' | 'pp' | 'sh' | null;
  emptyNet: boolean;
}

/**
 * situationCode is four digits: away goalie in net (1/0), away skaters, home
 * skaters, home goalie in net ('1541': the home team is a man short). A
 * goalie pulled for an extra attacker makes no power play — the NHL scores a
 * 6-on-5 as even strength — so that attacker is not counted.
 */
function goalStrength(situationCode: string | undefined, scoredByHome: boolean): GoalStrength {
  const match = /^([01])(\d)(\d)([01])$/.exec(situationCode ?? '');
  if (!match) return { strength: null, emptyNet: false };
  const [awayGoalie, awaySkaters, homeSkaters, homeGoalie] = match.slice(1).map(Number);
  const away = awaySkaters - (awayGoalie ? 0 : 1);
  const home = homeSkaters - (homeGoalie ? 0 : 1);
  const [own, opponent, opponentGoalie] = scoredByHome ? [home, away, awayGoalie] : [away, home, homeGoalie];
  return { strength: own > opponent ? 'pp' : own < opponent ? 'sh' : 'ev', emptyNet: opponentGoalie === 0 };
}

interface GameLinks {
  matchId: string;
  team(nhlTeamId: number | undefined): string | null;
  person(playerId: number | undefined): string | null;
}

function gameLinks(game: KnownGame, matchId: string, teams: Ids, persons: Ids): GameLinks {
  const abbrevs = new Map([game.homeTeam, game.awayTeam].map((team) => [team.id, team.abbrev]));
  return {
    matchId,
    team: (nhlTeamId) => optional(teams, abbrevs.get(nhlTeamId)),
    person: (playerId) => optional(persons, playerId),
  };
}

function eventRow(game: KnownGame, play: KnownPlay, links: GameLinks): Row {
  const d = play.details ?? {};
  const type = eventType(play);
  const isGoal = type === 'goal';
  const isPenalty = type === 'penalty';
  const [primary, secondary] = actors(play);
  const { strength, emptyNet } = isGoal
    ? goalStrength(play.situationCode, d.eventOwnerTeamId === game.homeTeam.id)
    : { strength: null, emptyNet: false };
  return {
    external_id: eventExternalId(game.id, play.eventId),
    match_id: links.matchId,
    type,
    period: playPeriod(play),
    clock_seconds: clockSeconds(play.timeInPeriod),
    sort_order: play.sortOrder ?? 0,
    team_id: links.team(d.eventOwnerTeamId),
    primary_person_id: links.person(primary),
    secondary_person_id: links.person(secondary),
    assist1_person_id: links.person(d.assist1PlayerId),
    assist2_person_id: links.person(d.assist2PlayerId),
    strength,
    empty_net: emptyNet,
    home_score: isGoal ? (d.homeScore ?? null) : null,
    away_score: isGoal ? (d.awayScore ?? null) : null,
    infraction: isPenalty ? (d.descKey ?? null) : null,
    penalty_minutes: isPenalty ? (d.duration ?? null) : null,
    served_by_person_id: links.person(d.servedByPlayerId),
    drawn_by_person_id: links.person(d.drawnByPlayerId),
    shootout_scored: type === 'shootout_attempt' ? play.typeDescKey === 'goal' : null,
    x: d.xCoord ?? null,
    y: d.yCoord ?? null,
    // The raw details, with the play's kind and situation, which no column keeps for 'other' events.
    details: { typeDescKey: play.typeDescKey, situationCode: play.situationCode, ...d },
  };
}

// ---------------------------------------------------------------------------
// What the goals make: commentary and video moments
// ---------------------------------------------------------------------------

interface Goal {
  game: KnownGame;
  play: KnownPlay;
  matchId: string;
  eventId: string;
  scorer: string;
  assists: string[];
  team: string;
}

function goalsOf(game: KnownGame, matchId: string, events: Ids, players: Map<string, { full_name: string }>): Goal[] {
  const name = (playerId: number | undefined) => (playerId === undefined ? undefined : players.get(String(playerId))?.full_name);
  return knownPlays(game)
    .filter((play) => eventType(play) === 'goal')
    .map((play) => {
      const d = play.details ?? {};
      return {
        game,
        play,
        matchId,
        eventId: required(events, eventExternalId(game.id, play.eventId), 'match event'),
        scorer: name(d.scoringPlayerId) ?? 'unknown player',
        assists: [name(d.assist1PlayerId), name(d.assist2PlayerId)].filter((assist): assist is string => !!assist),
        team: d.eventOwnerTeamId === game.homeTeam.id ? game.homeTeam.abbrev : game.awayTeam.abbrev,
      };
    });
}

/**
 * Play-by-play has no wall-clock times: the game time since the start stands
 * in, which keeps a match's lines and moments in the order of play.
 */
function gameTime(goal: Goal): string {
  const elapsed = (playPeriod(goal.play) - 1) * 20 * 60 + clockSeconds(goal.play.timeInPeriod);
  return new Date(Date.parse(goal.game.startTimeUTC) + elapsed * 1000).toISOString();
}

function scoreLine(goal: Goal): string {
  const d = goal.play.details ?? {};
  return `${goal.game.awayTeam.abbrev} ${d.awayScore ?? '?'}, ${goal.game.homeTeam.abbrev} ${d.homeScore ?? '?'}`;
}

function commentaryRow(goal: Goal): Row {
  const assisted = goal.assists.length > 0 ? `assisted by ${goal.assists.join(' and ')}` : 'unassisted';
  return {
    external_id: eventExternalId(goal.game.id, goal.play.eventId),
    match_id: goal.matchId,
    period: playPeriod(goal.play),
    clock_seconds: clockSeconds(goal.play.timeInPeriod),
    body: `Goal! ${goal.scorer} (${goal.team}) — ${assisted}. ${scoreLine(goal)}.`,
    kind: 'goal',
    posted_at: gameTime(goal),
  };
}

function videoMomentRow(goal: Goal): Row {
  const clip = `${PLACEHOLDER_MEDIA}/clips/${goal.game.id}/${goal.play.eventId}`;
  return {
    external_id: eventExternalId(goal.game.id, goal.play.eventId),
    match_id: goal.matchId,
    event_id: goal.eventId,
    kind: 'goal',
    title: `${goal.scorer} (${goal.team}) scores: ${scoreLine(goal)}`,
    clip_url: `${clip}.mp4`,
    thumbnail_url: `${clip}.jpg`,
    published_at: gameTime(goal),
  };
}

// ---------------------------------------------------------------------------
// Standings
// ---------------------------------------------------------------------------

/** Each team three times: league-wide (no stage), in its conference and in its division. */
async function writeStandings(m: EntityManager, standings: NhlStandingsRow[], seasons: Ids, stages: Stages, teams: Ids): Promise<number> {
  const rows = standings.flatMap((row) => {
    const abbrev = row.teamAbbrev?.default;
    const seasonId = row.seasonId === undefined ? undefined : seasons.get(String(row.seasonId));
    if (!abbrev || !seasonId) return [];
    const conference = stages.conferences.get(`${row.seasonId}:${row.conferenceAbbrev ?? row.conferenceName}`);
    const division = stages.divisions.get(`${row.seasonId}:${row.divisionAbbrev ?? row.divisionName}`);
    const placements = [
      { stageId: null, rank: row.leagueSequence },
      ...(conference ? [{ stageId: conference, rank: row.conferenceSequence }] : []),
      ...(division ? [{ stageId: division, rank: row.divisionSequence }] : []),
    ];
    const teamId = required(teams, abbrev, 'team');
    const figures = standingFigures(row);
    return placements
      .filter(({ rank }) => rank !== undefined && rank >= 1)
      .map(({ stageId, rank }) => ({ season_id: seasonId, stage_id: stageId, team_id: teamId, rank, ...figures }));
  });
  return (await writeRows(m, 'standings', rows, ['season_id', 'stage_id', 'team_id'])).length;
}

function standingFigures(row: NhlStandingsRow): Row {
  return {
    games_played: row.gamesPlayed ?? 0,
    wins: row.wins ?? 0,
    losses: row.losses ?? 0,
    ot_losses: row.otLosses ?? 0,
    points: row.points ?? 0,
    goals_for: row.goalFor ?? 0,
    goals_against: row.goalAgainst ?? 0,
    goal_differential: row.goalDifferential ?? (row.goalFor ?? 0) - (row.goalAgainst ?? 0),
    // Absent before a team's first game.
    points_pct: row.pointPctg ?? null,
    streak: row.streakCode && row.streakCount ? `${row.streakCode}${row.streakCount}` : null,
    l10: row.l10Wins === undefined ? null : `${row.l10Wins}-${row.l10Losses ?? 0}-${row.l10OtLosses ?? 0}`,
  };
}
