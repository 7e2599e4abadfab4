import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatsFeedLive, WebPlayByPlay, WebRoster, WebSchedule, WebScoreboard, WebStandings } from './nhl-response.types.js';

/** A response file: its text as saved (served verbatim) and what it parses to. */
export interface DataFile<T = unknown> {
  file: string;
  text: string;
  json: T;
}

/** The responses about one game, served by its id. */
export type GameKind = 'playByPlay' | 'boxscore' | 'landing' | 'rightRail' | 'feedLive';
type Kind = GameKind | 'roster' | 'schedule' | 'standings' | 'scoreNow';

/**
 * The NHL responses of a folder (searched recursively), told apart by what is
 * in them rather than by file name: saved responses come named every which way
 * (`2023020499.json`, `20241008-STL-vs-SEA-2024020003.json`,
 * `landing-2023020207.json`), but each carries its game id, date or team.
 * Files read once, at start.
 */
export class NhlDataCatalog {
  /** JSON files that are no NHL response this server knows, with why. */
  readonly skipped: Array<{ file: string; reason: string }> = [];
  private readonly games = new Map<string, DataFile>();
  private readonly schedules: Array<DataFile<WebSchedule>> = [];
  private readonly standingsByDay: Array<{ day: number; data: DataFile<WebStandings> }> = [];
  private readonly scoreboards: Array<DataFile<WebScoreboard>> = [];

  private constructor(readonly dir: string) {}

  static load(dir: string = repositoryDataDir()): NhlDataCatalog {
    const catalog = new NhlDataCatalog(dir);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.json'))
      .sort();
    for (const file of files) catalog.add(file, readFileSync(join(dir, file), 'utf8'));
    return catalog;
  }

  playByPlay(gameId: number): DataFile<WebPlayByPlay> | undefined {
    return this.games.get(`playByPlay/${gameId}`) as DataFile<WebPlayByPlay> | undefined;
  }

  feedLive(gameId: number): DataFile<StatsFeedLive> | undefined {
    return this.games.get(`feedLive/${gameId}`) as DataFile<StatsFeedLive> | undefined;
  }

  game(kind: GameKind, gameId: number): DataFile | undefined {
    return this.games.get(`${kind}/${gameId}`);
  }

  /** The games with a response of that kind. */
  gameIds(kind: GameKind): number[] {
    return [...this.games.keys()].filter((key) => key.startsWith(`${kind}/`)).map((key) => Number(key.slice(kind.length + 1)));
  }

  roster(team: string, season: string): DataFile | undefined {
    return this.games.get(`roster/${team.toUpperCase()}/${season}`);
  }

  /** The schedule whose week holds that day (YYYY-MM-DD). */
  schedule(date: string): DataFile<WebSchedule> | undefined {
    return this.schedules.find((schedule) => schedule.json.gameWeek.some((day) => day.date === date));
  }

  /** The standings of the day nearest to that one; the earlier on a tie, as standings only look back. */
  standings(date: string): DataFile<WebStandings> | undefined {
    const day = Date.parse(date);
    let nearest: { day: number; data: DataFile<WebStandings> } | undefined;
    for (const candidate of this.standingsByDay) {
      const distance = Math.abs(candidate.day - day);
      const best = nearest && Math.abs(nearest.day - day);
      if (best === undefined || distance < best || (distance === best && candidate.day < nearest!.day)) nearest = candidate;
    }
    return nearest?.data;
  }

  /** The latest scoreboard saved. */
  scoreNow(): DataFile<WebScoreboard> | undefined {
    return this.scoreboards.reduce<DataFile<WebScoreboard> | undefined>(
      (latest, board) => (!latest || (board.json.currentDate ?? '') > (latest.json.currentDate ?? '') ? board : latest),
      undefined,
    );
  }

  /** What was found, for the start-up line: kind → count. */
  summary(): Record<string, number> {
    const counts: Record<string, number> = {};
    const count = (kind: string, n = 1) => (counts[kind] = (counts[kind] ?? 0) + n);
    for (const key of this.games.keys()) count(key.split('/')[0]);
    if (this.schedules.length) count('schedule', this.schedules.length);
    if (this.standingsByDay.length) count('standings', this.standingsByDay.length);
    if (this.scoreboards.length) count('scoreNow', this.scoreboards.length);
    return counts;
  }

  private add(file: string, text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.skipped.push({ file, reason: `not JSON: ${(error as Error).message}` });
      return;
    }
    const data = { file, text, json };
    const found = classify(json);
    if (!found) {
      this.skipped.push({ file, reason: 'no NHL response this server knows' });
      return;
    }
    switch (found.kind) {
      case 'schedule':
        this.schedules.push(data as DataFile<WebSchedule>);
        return;
      case 'standings':
        this.standingsByDay.push({ day: Date.parse(found.key), data: data as DataFile<WebStandings> });
        return;
      case 'scoreNow':
        this.scoreboards.push(data as DataFile<WebScoreboard>);
        return;
      default: {
        const key = `${found.kind}/${found.key}`;
        const earlier = this.games.get(key);
        if (earlier) this.skipped.push({ file, reason: `same ${found.kind} as ${earlier.file}` });
        else this.games.set(key, data);
      }
    }
  }
}

/** What a parsed file is, and the key it is served under (game id, date, team/season). */
function classify(json: unknown): { kind: Kind; key: string } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const doc = json as Record<string, unknown>;
  if (typeof doc.gamePk === 'number' && isObject(doc.liveData)) return { kind: 'feedLive', key: String(doc.gamePk) };
  if (typeof doc.id === 'number') {
    if (Array.isArray(doc.plays)) return { kind: 'playByPlay', key: String(doc.id) };
    // Boxscores moved their player stats out of a `boxscore` wrapper in 2024.
    if (isObject(doc.boxscore) || isObject(doc.playerByGameStats)) return { kind: 'boxscore', key: String(doc.id) };
    if (isObject(doc.summary)) return { kind: 'landing', key: String(doc.id) };
    return undefined;
  }
  if (isObject(doc.gameReports) && isObject(doc.linescore)) {
    const gameId = rightRailGameId(doc.gameReports as Record<string, unknown>);
    return gameId ? { kind: 'rightRail', key: gameId } : undefined;
  }
  if (Array.isArray(doc.games) && typeof doc.currentDate === 'string') return { kind: 'scoreNow', key: doc.currentDate };
  if (Array.isArray(doc.gameWeek) && doc.gameWeek.every((day) => isObject(day) && Array.isArray(day.games))) {
    return { kind: 'schedule', key: '' };
  }
  if (Array.isArray(doc.standings)) {
    const date = (doc.standings[0] as { date?: unknown } | undefined)?.date ?? doc.standingsDateTimeUtc;
    return typeof date === 'string' && !Number.isNaN(Date.parse(date.slice(0, 10))) ? { kind: 'standings', key: date.slice(0, 10) } : undefined;
  }
  if (Array.isArray(doc.forwards) && Array.isArray(doc.defensemen) && Array.isArray(doc.goalies)) {
    const teamSeason = rosterTeamSeason(doc as unknown as WebRoster);
    return teamSeason ? { kind: 'roster', key: teamSeason } : undefined;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A right-rail response has no `id`: its game is in the links to the game's
 * reports, `shiftcharts?id=2023020207` or `htmlreports/20232024/GS020207.HTM`.
 */
function rightRailGameId(reports: Record<string, unknown>): string | undefined {
  for (const link of Object.values(reports)) {
    if (typeof link !== 'string') continue;
    const byId = /[?&]id=(\d{10})\b/.exec(link);
    if (byId) return byId[1];
    const byReport = /htmlreports\/(\d{4})\d{4}\/[A-Z]{2}(\d{6})\./i.exec(link);
    if (byReport) return byReport[1] + byReport[2];
  }
  return undefined;
}

/** A roster names neither team nor season, but its headshots do: `mugs/nhl/20242025/SEA/8478407.png`. */
function rosterTeamSeason(roster: WebRoster): string | undefined {
  for (const player of [...roster.forwards, ...roster.defensemen, ...roster.goalies]) {
    const match = /\/mugs\/nhl\/(\d{8})\/([A-Z]{3})\//.exec(player.headshot ?? '');
    if (match) return `${match[2]}/${match[1]}`;
  }
  return undefined;
}

/**
 * data/nhl/ of the repository. Found by walking up from this file, which
 * runs as tools/provider-server/src/nhl-data.catalog.ts under jest and from
 * dist/tools/... once built.
 */
export function repositoryDataDir(): string {
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
