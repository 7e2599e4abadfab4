import { ProviderNotFoundError } from '../provider.errors.js';
import type {
  BoxscoreSnapshot,
  GameSnapshot,
  ProviderHttpClient,
  RosterSnapshot,
  ScheduleSnapshot,
  StandingsSnapshot,
  StatsProvider,
} from '../stats-provider.js';
import { hasTeamFigures, parseNhlBoxscore, parseNhlRightRail, withRightRail } from './nhl-boxscore.parser.js';
import { NHL_SOURCE, type ParseContext } from './nhl-game-header.parser.js';
import { parseNhlPlayByPlay } from './nhl-play-by-play.parser.js';
import { parseNhlRoster } from './nhl-roster.parser.js';
import { parseNhlLanding, parseNhlSchedule, parseNhlScoreboard } from './nhl-schedule.parser.js';
import { parseNhlStandings } from './nhl-standings.parser.js';
import { parseNhlStatsapiGame } from './nhl-statsapi.parser.js';

/** Arguments end up in request paths: only what the NHL's ids look like gets through. */
function checked(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new RangeError(`not ${what}: ${JSON.stringify(value)}`);
  return value;
}
const gameIdOf = (gameId: string) => checked(gameId, /^\d{10}$/, 'an NHL game id');
const dateOf = (date: string) => checked(date, /^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)');

/** What a statsapi game feed holds. */
export interface LegacyGame {
  game: GameSnapshot;
  boxscore: BoxscoreSnapshot;
}

/** The NHL web API (api-web.nhle.com); `legacyGame` reads the retired statsapi's game feed. */
export class NhlStatsProvider implements StatsProvider {
  readonly source = NHL_SOURCE;

  constructor(
    private readonly http: ProviderHttpClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Fetches a path; the context dates the response at its arrival, which is when its clock was true. */
  private async fetch(path: string): Promise<[unknown, ParseContext]> {
    const body = await this.http.getJson(path);
    return [body, { path, readAt: this.now().toISOString() }];
  }

  async schedule(date: string): Promise<ScheduleSnapshot> {
    return parseNhlSchedule(...(await this.fetch(`/v1/schedule/${dateOf(date)}`)));
  }

  async scoreboard(): Promise<ScheduleSnapshot> {
    return parseNhlScoreboard(...(await this.fetch('/v1/score/now')));
  }

  /** The play-by-play; a game the web API does not have is read from the statsapi's feed. */
  async game(gameId: string): Promise<GameSnapshot> {
    const id = gameIdOf(gameId);
    const response = await this.fetchUnlessMissing(`/v1/gamecenter/${id}/play-by-play`);
    return response ? parseNhlPlayByPlay(...response) : (await this.legacyGame(id)).game;
  }

  /**
   * The boxscore; since 2024-25 its teams lack most figures, which the right
   * rail then adds. A game the web API does not have is read from the
   * statsapi's feed, which has a boxscore of its own.
   */
  async boxscore(gameId: string): Promise<BoxscoreSnapshot> {
    const id = gameIdOf(gameId);
    const response = await this.fetchUnlessMissing(`/v1/gamecenter/${id}/boxscore`);
    if (!response) return (await this.legacyGame(id)).boxscore;
    const snapshot = parseNhlBoxscore(...response);
    if (hasTeamFigures(snapshot)) return snapshot;
    return withRightRail(snapshot, parseNhlRightRail(...(await this.fetch(`/v1/gamecenter/${id}/right-rail`))));
  }

  /**
   * undefined for a 404. The NHL's web API serves old games too; a provider
   * that has a game only in the retired statsapi's format (an archive of it,
   * tools/provider-server replaying 2022030236) answers 404 on the web path.
   */
  private async fetchUnlessMissing(path: string): Promise<[unknown, ParseContext] | undefined> {
    try {
      return await this.fetch(path);
    } catch (error) {
      if (error instanceof ProviderNotFoundError) return undefined;
      throw error;
    }
  }

  async standings(date: string): Promise<StandingsSnapshot> {
    return parseNhlStandings(...(await this.fetch(`/v1/standings/${dateOf(date)}`)));
  }

  /** `teamCode` 'SEA', `season` '20242025'. */
  async roster(teamCode: string, season: string): Promise<RosterSnapshot> {
    const team = checked(teamCode, /^[A-Z]{3}$/, 'a team code');
    const seasonId = checked(season, /^\d{8}$/, 'an NHL season id');
    const [body, context] = await this.fetch(`/v1/roster/${team}/${seasonId}`);
    return parseNhlRoster(body, team, seasonId, context);
  }

  /** One game's header from its landing page: lighter than the play-by-play, with the arena's city and time zone. */
  async landing(gameId: string): Promise<ScheduleSnapshot> {
    return parseNhlLanding(...(await this.fetch(`/v1/gamecenter/${gameIdOf(gameId)}/landing`)));
  }

  /** A game of the retired statsapi.web.nhl.com (seasons up to 2022-23), as served by an archive of it. */
  async legacyGame(gameId: string): Promise<LegacyGame> {
    return parseNhlStatsapiGame(...(await this.fetch(`/api/v1/game/${gameIdOf(gameId)}/feed/live`)));
  }
}
