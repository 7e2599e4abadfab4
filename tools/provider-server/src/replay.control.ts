import { FeedLiveReplay } from './feed-live.replay.js';
import type { NhlDataCatalog } from './nhl-data.catalog.js';
import type { StatsFeedLive, WebPlayByPlay } from './nhl-response.types.js';
import { PlayByPlayReplay, type ReplayFrame } from './play-by-play.replay.js';
import { DEFAULT_TIMING, type GameState, type ReplayTiming } from './replay.timeline.js';

export interface Clock {
  /** Milliseconds, like Date.now(). */
  now(): number;
}

export interface ReplayStatus {
  gameId: number;
  /** The response the game is replayed from: its api-web play-by-play, else its statsapi feed. */
  source: 'play-by-play' | 'feed-live';
  /** Game seconds per real second. */
  speed: number;
  state: GameState;
  period: number;
  away: number;
  home: number;
  plays: number;
  totalPlays: number;
  /** Game seconds since the first puck drop, up to durationSeconds. */
  seconds: number;
  /** Game seconds from the first puck drop until the game is official. */
  durationSeconds: number;
  finished: boolean;
}

/** Where to move a replay: a share of its duration, or the moment its n-th play came out. */
export type SeekTarget = { fraction: number } | { plays: number };

export interface ReplayControl {
  /** Makes the game live from its first puck drop (again, if it was running). */
  start(gameId: number, options?: { speed?: number }): ReplayStatus;
  /** Back to the file as saved. False if it was not replaying. */
  stop(gameId: number): boolean;
  status(gameId: number): ReplayStatus | undefined;
  /** Moves a running replay; it goes on from there at its speed. Plays sharing the n-th play's moment come out with it. */
  seek(gameId: number, to: SeekTarget): ReplayStatus;
  list(): ReplayStatus[];
}

export class UnknownGameError extends Error {}

interface Running {
  gameId: number;
  speed: number;
  /** Game seconds at `sinceMs`. */
  fromSeconds: number;
  sinceMs: number;
  playByPlay?: PlayByPlayReplay;
  feedLive?: FeedLiveReplay;
}

/**
 * The games being replayed, on an injectable clock: a replay is a function of
 * (start time, speed, seeks) and the clock's now, nothing else, so a test
 * that sets the clock knows exactly what a request returns.
 */
export class GameReplays implements ReplayControl {
  private readonly running = new Map<number, Running>();
  private readonly timing: ReplayTiming;
  private readonly clock: Clock;
  private readonly defaultSpeed: number;

  constructor(
    private readonly catalog: NhlDataCatalog,
    options: { speed?: number; timing?: Partial<ReplayTiming>; clock?: Clock } = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.clock = options.clock ?? { now: () => Date.now() };
    this.defaultSpeed = checkedSpeed(options.speed ?? 60);
  }

  start(gameId: number, options: { speed?: number } = {}): ReplayStatus {
    const speed = checkedSpeed(options.speed ?? this.defaultSpeed);
    const playByPlay = this.catalog.playByPlay(gameId);
    const feedLive = this.catalog.feedLive(gameId);
    if (!playByPlay && !feedLive) throw new UnknownGameError(`no play-by-play or feed/live of game ${gameId} in ${this.catalog.dir}`);
    this.running.set(gameId, {
      gameId,
      speed,
      fromSeconds: 0,
      sinceMs: this.clock.now(),
      playByPlay: playByPlay && new PlayByPlayReplay(playByPlay.json, this.timing),
      feedLive: feedLive && new FeedLiveReplay(feedLive.json, this.timing),
    });
    return this.status(gameId)!;
  }

  stop(gameId: number): boolean {
    return this.running.delete(gameId);
  }

  status(gameId: number): ReplayStatus | undefined {
    const replay = this.running.get(gameId);
    if (!replay) return undefined;
    const seconds = this.secondsOf(replay);
    const source = (replay.playByPlay ?? replay.feedLive)!;
    const frame: ReplayFrame<unknown> = source.frame(seconds);
    const durationSeconds = source.timeline.endsAt;
    return {
      gameId,
      source: replay.playByPlay ? 'play-by-play' : 'feed-live',
      speed: replay.speed,
      state: frame.state,
      period: frame.period,
      away: frame.away,
      home: frame.home,
      plays: frame.plays,
      totalPlays: source.totalPlays,
      seconds: Math.min(seconds, durationSeconds),
      durationSeconds,
      finished: seconds >= durationSeconds,
    };
  }

  seek(gameId: number, to: SeekTarget): ReplayStatus {
    const replay = this.running.get(gameId);
    if (!replay) throw new UnknownGameError(`game ${gameId} is not replaying`);
    const { timeline } = (replay.playByPlay ?? replay.feedLive)!;
    let seconds: number;
    if ('fraction' in to) {
      if (!(to.fraction >= 0 && to.fraction <= 1)) throw new RangeError(`fraction must be within 0..1, got ${to.fraction}`);
      seconds = to.fraction * timeline.endsAt;
    } else {
      if (!Number.isInteger(to.plays) || to.plays < 1 || to.plays > timeline.at.length) {
        throw new RangeError(`plays must be an integer within 1..${timeline.at.length}, got ${to.plays}`);
      }
      seconds = timeline.at[to.plays - 1];
    }
    replay.fromSeconds = seconds;
    replay.sinceMs = this.clock.now();
    return this.status(gameId)!;
  }

  list(): ReplayStatus[] {
    return [...this.running.keys()].map((gameId) => this.status(gameId)!);
  }

  /** The play-by-play of a replaying game as of now; undefined when it is not replaying. */
  playByPlay(gameId: number): WebPlayByPlay | undefined {
    const replay = this.running.get(gameId);
    return replay?.playByPlay?.frame(this.secondsOf(replay)).body;
  }

  /** The feed/live of a replaying game as of now; undefined when it is not replaying. */
  feedLive(gameId: number): StatsFeedLive | undefined {
    const replay = this.running.get(gameId);
    return replay?.feedLive?.frame(this.secondsOf(replay)).body;
  }

  /** Replaying games with an api-web play-by-play, as of now. */
  livePlayByPlays(): WebPlayByPlay[] {
    return [...this.running.keys()].flatMap((gameId) => this.playByPlay(gameId) ?? []);
  }

  /** Rounded to the game millisecond: scaling a clock reading must not leave a play a hair short of its moment. */
  private secondsOf(replay: Running): number {
    return Math.round((replay.fromSeconds + ((this.clock.now() - replay.sinceMs) / 1000) * replay.speed) * 1000) / 1000;
  }
}

function checkedSpeed(speed: number): number {
  if (!(Number.isFinite(speed) && speed > 0)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  return speed;
}
