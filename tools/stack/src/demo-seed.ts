import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { ImportRepository } from '../../../apps/importer/src/import/import.repository.js';
import { ImportWriter } from '../../../apps/importer/src/import/import-writer.service.js';
import { parseNhlPlayByPlay } from '../../../apps/importer/src/provider/nhl/nhl-play-by-play.parser.js';
import { parseNhlSchedule } from '../../../apps/importer/src/provider/nhl/nhl-schedule.parser.js';
import { parseNhlStandings } from '../../../apps/importer/src/provider/nhl/nhl-standings.parser.js';
import type { EventSnapshot, GameHeader, GameSnapshot } from '../../../apps/importer/src/provider/stats-provider.js';
import { repositoryDataDir } from '../../provider-server/src/nhl-data.catalog.js';

/**
 * Demo data for `npm start`, taken from real NHL games (data/nhl/, see its
 * SOURCES.md): the league with its 2025-26 conferences, divisions, standings
 * and one week of schedule, and three finished 2024-25 games with rosters,
 * lineups and full play-by-play.
 *
 * The files go through the importer's own NHL parsers and writer, so the
 * rows are exactly those the real importer makes (source 'nhl', the NHL's
 * ids) and it later updates them in place. Only what the NHL does not have
 * is made here: commentary, video moments and streams around the real
 * games, with placeholder URLs under demo.faceoff.invalid, and which season
 * is the current one.
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

/**
 * The few fields of the files that readers of DEMO_FILES look at (the seed's
 * test); the importer's parsers check and read them in full.
 */
export interface NhlGame {
  id?: number;
  homeTeam?: { abbrev?: string; score?: number };
  awayTeam?: { abbrev?: string; score?: number };
  plays?: { eventId?: number; sortOrder?: number; typeDescKey?: string; periodDescriptor?: { periodType?: string } }[];
}

export interface NhlSchedule {
  gameWeek?: { games?: NhlGame[] }[];
}

export interface NhlStandings {
  standings?: { teamAbbrev?: { default?: string } }[];
}

// ---------------------------------------------------------------------------
// Reading the files
// ---------------------------------------------------------------------------

export function readDemoFile<T>(file: string, dir: string = repositoryDataDir()): T {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}

function loadDemoData() {
  const dir = repositoryDataDir();
  const readAt = new Date().toISOString();
  const parse = <T>(parser: (body: unknown, context: { path: string; readAt: string }) => T, file: string) =>
    parser(readDemoFile<unknown>(file, dir), { path: `data/nhl/${file}`, readAt });
  return {
    games: DEMO_FILES.playByPlay.map((file) => parse(parseNhlPlayByPlay, file)),
    schedule: parse(parseNhlSchedule, DEMO_FILES.schedule),
    standings: parse(parseNhlStandings, DEMO_FILES.standings),
  };
}

type DemoData = ReturnType<typeof loadDemoData>;

// ---------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------

/**
 * Loads the demo data in one transaction, unless an NHL tournament is
 * already there (a second start, or a database the importer fills): then
 * it writes nothing and returns undefined. Otherwise returns a summary line.
 *
 * The import writer's transactions run inside this one (as savepoints), so a
 * crash halfway leaves nothing and the next start seeds again.
 */
export async function seedDemoData(dataSource: DataSource): Promise<string | undefined> {
  return dataSource.transaction(async (m) => {
    // Two stacks starting on one database at once must not both seed it.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('faceoff.demo-seed'))`);
    const [existing] = await m.query(`SELECT 1 FROM tournaments WHERE source = $1 LIMIT 1`, [SOURCE]);
    if (existing) return undefined;
    await writeDemoData(m, loadDemoData());
    return summary(m);
  });
}

async function writeDemoData(m: EntityManager, data: DemoData): Promise<void> {
  const writer = new ImportWriter(new ImportRepository(m));
  // The played games go with the week's: every team then gets the arena of its latest home game.
  // The standings come last: their full, translated team names win over the games' short ones.
  const headers = uniqueGames([...data.schedule.games, ...data.games.map((game) => game.header)]);
  await writer.importSchedule({ ...data.schedule, games: headers });
  for (const game of data.games) await writer.importGame(game);
  await writer.importStandings(data.standings);

  const seasons = [...new Set([...headers.map((header) => header.season.externalId), data.standings.season.externalId])];
  await markCurrentSeason(m, seasons.sort().at(-1));
  const matches = await idsByExternalId(m, 'matches', headers.map((header) => header.externalId));
  const goals = data.games.flatMap(goalsOf);
  const events = await idsByExternalId(m, 'match_events', goals.map((goal) => goal.event.externalId));
  await upsertByExternalId(m, 'commentary_lines', goals.map((goal) => commentaryRow(goal, matches)));
  await upsertByExternalId(m, 'video_moments', goals.map((goal) => videoMomentRow(goal, matches, events)));
  await writeRows(m, 'streams', headers.map((header) => streamRow(header, matches)));
}

/** The importer leaves the current season to the editors; the demo's is the latest of its files. */
async function markCurrentSeason(m: EntityManager, latest: string | undefined): Promise<void> {
  await m.query(
    `UPDATE seasons SET is_current = (external_id = $2)
      WHERE source = $1 AND is_current IS DISTINCT FROM (external_id = $2)`,
    [SOURCE, latest ?? null],
  );
}

/** A play-by-play game wins over the same game in the schedule: it is the more complete. */
function uniqueGames(headers: GameHeader[]): GameHeader[] {
  return [...new Map(headers.map((header) => [header.externalId, header])).values()];
}

/** What was loaded, in rows per table. */
async function summary(m: EntityManager): Promise<string> {
  const ofMatches = (table: string) => `(SELECT count(*) FROM ${table} t JOIN matches m ON m.id = t.match_id WHERE m.source = $1)`;
  const [counts] = await m.query(
    `SELECT (SELECT count(*) FROM tournaments WHERE source = $1) AS tournaments,
            (SELECT count(*) FROM seasons WHERE source = $1) AS seasons,
            (SELECT count(*) FROM stages WHERE source = $1) AS stages,
            (SELECT count(*) FROM arenas WHERE source = $1) AS arenas,
            (SELECT count(*) FROM teams WHERE source = $1) AS teams,
            (SELECT count(*) FROM persons WHERE source = $1) AS persons,
            (SELECT count(*) FROM roster_entries r JOIN seasons s ON s.id = r.season_id WHERE s.source = $1) AS roster_entries,
            (SELECT count(*) FROM matches WHERE source = $1) AS matches,
            (SELECT count(*) FROM match_events WHERE source = $1) AS events,
            ${ofMatches('lineups')} AS lineups,
            (SELECT count(*) FROM commentary_lines WHERE source = $1) AS commentary,
            (SELECT count(*) FROM video_moments WHERE source = $1) AS videos,
            ${ofMatches('streams')} AS streams,
            (SELECT count(*) FROM standings r JOIN seasons s ON s.id = r.season_id WHERE s.source = $1) AS standings`,
    [SOURCE],
  );
  const n = (column: string) => Number(counts[column]);
  return [
    counted(n('tournaments'), 'tournament'),
    counted(n('seasons'), 'season'),
    counted(n('stages'), 'stage'),
    counted(n('arenas'), 'arena'),
    counted(n('teams'), 'team'),
    counted(n('persons'), 'player'),
    counted(n('roster_entries'), 'roster entry', 'roster entries'),
    counted(n('matches'), 'match', 'matches'),
    counted(n('events'), 'match event'),
    counted(n('lineups'), 'lineup'),
    counted(n('commentary'), 'commentary line'),
    counted(n('videos'), 'video moment'),
    counted(n('streams'), 'stream'),
    counted(n('standings'), 'standings row'),
  ].join(', ');
}

const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------
// Writing the demo's own rows
// ---------------------------------------------------------------------------

type Row = Record<string, unknown>;
/** NHL id (external_id) -> row id. */
type Ids = Map<string, string>;

/**
 * One statement per batch: the rows travel as one jsonb parameter, and
 * jsonb_populate_recordset gives each value the type of its column. With a
 * conflict key, a row that is already there is updated. Every row must have
 * the columns of the first.
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

async function upsertByExternalId(m: EntityManager, table: string, rows: Row[]): Promise<void> {
  await writeRows(m, table, rows.map((row) => ({ source: SOURCE, ...row })), ['source', 'external_id']);
}

async function idsByExternalId(m: EntityManager, table: 'matches' | 'match_events', externalIds: string[]): Promise<Ids> {
  const rows: { id: string; external_id: string }[] = await m.query(
    `SELECT id, external_id FROM ${table} WHERE source = $1 AND external_id = ANY($2::text[])`,
    [SOURCE, externalIds],
  );
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

function required(ids: Ids, externalId: string, what: string): string {
  const id = ids.get(externalId);
  if (!id) throw new Error(`demo data: no ${what} ${externalId}`);
  return id;
}

/** A replay for a finished match, the live stream otherwise; paid either way. */
function streamRow(header: GameHeader, matches: Ids): Row {
  const kind = header.status === 'finished' ? 'replay' : 'live';
  return {
    match_id: required(matches, header.externalId, 'match'),
    kind,
    url: `${PLACEHOLDER_MEDIA}/streams/${header.externalId}/${kind}.m3u8`,
    requires_entitlement: true,
    starts_at: header.startsAt,
  };
}

// ---------------------------------------------------------------------------
// What the goals make: commentary and video moments
// ---------------------------------------------------------------------------

interface Goal {
  header: GameHeader;
  event: EventSnapshot;
  scorer: string;
  assists: string[];
}

function goalsOf(game: GameSnapshot): Goal[] {
  const names = new Map(game.persons.map((person) => [person.externalId, person.fullName]));
  const name = (externalId: string | null) => (externalId === null ? undefined : names.get(externalId));
  return game.events
    .filter((event) => event.type === 'goal')
    .map((event) => ({
      header: game.header,
      event,
      scorer: name(event.primaryPersonExternalId) ?? 'unknown player',
      assists: [name(event.assist1PersonExternalId), name(event.assist2PersonExternalId)].filter((assist): assist is string => !!assist),
    }));
}

/** '2024020003:151' -> '151', the NHL's event id within its game. */
const eventIdInGame = (goal: Goal) => goal.event.externalId.slice(goal.header.externalId.length + 1);

/**
 * Play-by-play has no wall-clock times: the game time since the start stands
 * in, which keeps a match's lines and moments in the order of play.
 */
function gameTime(goal: Goal): string {
  const elapsed = (goal.event.period - 1) * 20 * 60 + goal.event.clockSeconds;
  return new Date(Date.parse(goal.header.startsAt) + elapsed * 1000).toISOString();
}

function scoreLine({ header, event }: Goal): string {
  return `${header.awayTeam.externalId} ${event.awayScore ?? '?'}, ${header.homeTeam.externalId} ${event.homeScore ?? '?'}`;
}

function commentaryRow(goal: Goal, matches: Ids): Row {
  const assisted = goal.assists.length > 0 ? `assisted by ${goal.assists.join(' and ')}` : 'unassisted';
  return {
    external_id: goal.event.externalId,
    match_id: required(matches, goal.header.externalId, 'match'),
    period: goal.event.period,
    clock_seconds: goal.event.clockSeconds,
    body: `Goal! ${goal.scorer} (${goal.event.teamExternalId}) — ${assisted}. ${scoreLine(goal)}.`,
    kind: 'goal',
    posted_at: gameTime(goal),
  };
}

function videoMomentRow(goal: Goal, matches: Ids, events: Ids): Row {
  const clip = `${PLACEHOLDER_MEDIA}/clips/${goal.header.externalId}/${eventIdInGame(goal)}`;
  return {
    external_id: goal.event.externalId,
    match_id: required(matches, goal.header.externalId, 'match'),
    event_id: required(events, goal.event.externalId, 'match event'),
    kind: 'goal',
    title: `${goal.scorer} (${goal.event.teamExternalId}) scores: ${scoreLine(goal)}`,
    clip_url: `${clip}.mp4`,
    thumbnail_url: `${clip}.jpg`,
    published_at: gameTime(goal),
  };
}
