import type { WebClock, WebPlay, WebPlayByPlay } from './nhl-response.types.js';
import {
  clockSeconds,
  formatClock,
  inSortOrder,
  isCritical,
  periodOf,
  playsOutAt,
  webTimeline,
  type GameState,
  type ReplayTiming,
  type Timeline,
} from './replay.timeline.js';

/** A replayed game at one moment: the response to serve and what the status reports. */
export interface ReplayFrame<T> {
  body: T;
  state: GameState;
  plays: number;
  period: number;
  away: number;
  home: number;
}

/** Plays after which the clock is stopped. */
const CLOCK_STOPPERS = new Set(['stoppage', 'goal', 'penalty', 'period-end', 'game-end', 'shootout-complete']);

/**
 * An api-web play-by-play (/v1/gamecenter/{id}/play-by-play) as it grew
 * during the game: the plays out so far, and the header (state, period,
 * clock, score, shots) as of the last of them. The saved file is the game
 * once official.
 */
export class PlayByPlayReplay {
  readonly timeline: Timeline;
  private readonly plays: WebPlay[];

  constructor(private readonly game: WebPlayByPlay, timing: ReplayTiming) {
    this.plays = inSortOrder(game.plays);
    this.timeline = webTimeline(this.plays, timing);
  }

  get totalPlays(): number {
    return this.plays.length;
  }

  frame(seconds: number): ReplayFrame<WebPlayByPlay> {
    const game = this.game;
    if (seconds >= this.timeline.endsAt) {
      const last = this.plays.at(-1);
      return { body: game, state: 'OFF', plays: this.plays.length, period: last ? periodOf(last) : 1, away: game.awayTeam.score ?? 0, home: game.homeTeam.score ?? 0 };
    }
    const count = playsOutAt(this.timeline, seconds);
    const plays = this.plays.slice(0, count);
    const last = plays.at(-1);
    const final = count > this.timeline.gameEndIndex;
    const period = last ? periodOf(last) : 1;
    const descriptor = last?.periodDescriptor ?? game.periodDescriptor;
    // Shootout goals carry the score before the shootout, and so they should:
    // the winner's extra goal exists only in the final header.
    const lastGoal = plays.findLast((play) => play.typeDescKey === 'goal');
    const away = final ? (game.awayTeam.score ?? 0) : (lastGoal?.details?.awayScore ?? 0);
    const home = final ? (game.homeTeam.score ?? 0) : (lastGoal?.details?.homeScore ?? 0);
    const clock = this.clock(last, count, seconds, final);
    const overtime = (descriptor?.periodType ?? 'REG') !== 'REG';
    const lastRegulationPeriod = period >= (descriptor?.maxRegulationPeriods ?? 3);
    const state: GameState = final ? 'FINAL' : isCritical({ overtime, lastRegulationPeriod, secondsRemaining: clock.secondsRemaining, away, home }) ? 'CRIT' : 'LIVE';
    const { gameOutcome, ...header } = game;
    const body: WebPlayByPlay = {
      ...header,
      gameState: state,
      ...(game.period !== undefined && { period }),
      periodDescriptor: descriptor,
      clock,
      awayTeam: { ...game.awayTeam, score: away, sog: this.shotsOnGoal(plays, game.awayTeam.id) },
      homeTeam: { ...game.homeTeam, score: home, sog: this.shotsOnGoal(plays, game.homeTeam.id) },
      ...(final && gameOutcome !== undefined && { gameOutcome }),
      plays,
    };
    return { body, state, plays: count, period, away, home };
  }

  /** The last play's clock; between periods, the intermission's (as api-web shows it). */
  private clock(last: WebPlay | undefined, count: number, seconds: number, final: boolean): WebClock {
    if (!final && last?.typeDescKey === 'period-end' && count < this.plays.length) {
      const remaining = this.timeline.at[count] - seconds;
      return { timeRemaining: formatClock(remaining), secondsRemaining: Math.ceil(remaining), running: false, inIntermission: true };
    }
    const timeRemaining = last?.timeRemaining ?? '20:00';
    return { timeRemaining, secondsRemaining: clockSeconds(timeRemaining), running: !final && !CLOCK_STOPPERS.has(last?.typeDescKey ?? 'stoppage'), inIntermission: false };
  }

  /** Shots on goal are the saves plus the goals; shootout attempts are not shots. */
  private shotsOnGoal(plays: WebPlay[], teamId: number): number {
    return plays.filter(
      (play) =>
        (play.typeDescKey === 'shot-on-goal' || play.typeDescKey === 'goal') &&
        play.periodDescriptor?.periodType !== 'SO' &&
        play.details?.eventOwnerTeamId === teamId,
    ).length;
  }
}
