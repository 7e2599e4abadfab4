import type { StatsFeedLive, StatsGameStatus, StatsLinescorePeriod, StatsPlay } from './nhl-response.types.js';
import type { ReplayFrame } from './play-by-play.replay.js';
import { clockSeconds, isCritical, playsOutAt, statsTimeline, type GameState, type ReplayTiming, type Timeline } from './replay.timeline.js';

/** statsapi's codes for the states a replay goes through before the saved (official) one. */
const STATUS: Record<Exclude<GameState, 'OFF'>, StatsGameStatus> = {
  LIVE: { abstractGameState: 'Live', codedGameState: '3', detailedState: 'In Progress', statusCode: '3' },
  CRIT: { abstractGameState: 'Live', codedGameState: '4', detailedState: 'In Progress - Critical', statusCode: '4' },
  FINAL: { abstractGameState: 'Final', codedGameState: '6', detailedState: 'Final', statusCode: '6' },
};

type Side = 'home' | 'away';

/**
 * A statsapi feed/live (/api/v1/game/{id}/feed/live) as it grew during the
 * game: liveData.plays holds the plays out so far, the linescore counts their
 * goals and shots per period, and the status follows. The rest of liveData
 * (boxscore, on-ice and power-play details) stays as saved at the end.
 */
export class FeedLiveReplay {
  readonly timeline: Timeline;

  constructor(private readonly game: StatsFeedLive, timing: ReplayTiming) {
    this.timeline = statsTimeline(game.liveData.plays.allPlays, timing);
  }

  get totalPlays(): number {
    return this.game.liveData.plays.allPlays.length;
  }

  frame(seconds: number): ReplayFrame<StatsFeedLive> {
    const game = this.game;
    const allPlays = game.liveData.plays.allPlays;
    const count = seconds >= this.timeline.endsAt ? allPlays.length : playsOutAt(this.timeline, seconds);
    const plays = allPlays.slice(0, count);
    const last = plays.at(-1);
    const away = last?.about.goals.away ?? 0;
    const home = last?.about.goals.home ?? 0;
    const period = last?.about.period ?? 1;
    if (seconds >= this.timeline.endsAt) return { body: game, state: 'OFF', plays: count, period, away, home };

    const final = count > this.timeline.gameEndIndex;
    const intermission = final ? undefined : this.intermission(plays, count, seconds);
    const state: GameState = final
      ? 'FINAL'
      : isCritical({
          overtime: (last?.about.periodType ?? 'REGULAR') !== 'REGULAR',
          lastRegulationPeriod: period >= 3,
          secondsRemaining: clockSeconds(last?.about.periodTimeRemaining),
          away,
          home,
        })
        ? 'CRIT'
        : 'LIVE';
    const within = (index: number) => index < count;
    const { linescore, plays: playLists, decisions, ...liveData } = game.liveData;
    const { endDateTime, ...datetime } = game.gameData.datetime ?? {};
    const body: StatsFeedLive = {
      ...game,
      gameData: {
        ...game.gameData,
        status: { ...game.gameData.status, ...STATUS[state] },
        datetime: final && endDateTime !== undefined ? { ...datetime, endDateTime } : datetime,
      },
      liveData: {
        ...liveData,
        plays: {
          allPlays: plays,
          scoringPlays: playLists.scoringPlays.filter(within),
          penaltyPlays: playLists.penaltyPlays.filter(within),
          playsByPeriod: playLists.playsByPeriod
            .filter((byPeriod) => byPeriod.startIndex < count)
            .map((byPeriod) => ({ ...byPeriod, plays: byPeriod.plays.filter(within), endIndex: Math.min(byPeriod.endIndex, count - 1) })),
          ...(last && { currentPlay: last }),
        },
        linescore: {
          ...linescore,
          currentPeriod: period,
          currentPeriodOrdinal: last?.about.ordinalNum ?? linescore.currentPeriodOrdinal,
          currentPeriodTimeRemaining: final ? 'Final' : intermission ? 'END' : (last?.about.periodTimeRemaining ?? '20:00'),
          periods: this.periods(plays),
          teams: {
            home: { ...linescore.teams.home, goals: home, shotsOnGoal: this.count(plays, 'home') },
            away: { ...linescore.teams.away, goals: away, shotsOnGoal: this.count(plays, 'away') },
          },
          intermissionInfo: intermission ?? { intermissionTimeRemaining: 0, intermissionTimeElapsed: 0, inIntermission: false },
        },
        // Known only once the game is over.
        decisions: final ? decisions : {},
      },
    };
    return { body, state, plays: count, period, away, home };
  }

  /** Between a PERIOD_END and the next PERIOD_START, counted in the file's own times. */
  private intermission(plays: StatsPlay[], count: number, seconds: number) {
    const lastEnd = plays.findLastIndex((play) => play.result.eventTypeId === 'PERIOD_END');
    const lastStart = plays.findLastIndex((play) => play.result.eventTypeId === 'PERIOD_START');
    if (lastEnd < 0 || lastEnd < lastStart) return undefined;
    const nextStart = this.game.liveData.plays.allPlays.findIndex((play, index) => index >= count && play.result.eventTypeId === 'PERIOD_START');
    // After the last period there is no intermission, only the wait for GAME_END.
    if (nextStart < 0) return undefined;
    return {
      intermissionTimeRemaining: Math.ceil(this.timeline.at[nextStart] - seconds),
      intermissionTimeElapsed: Math.floor(seconds - this.timeline.at[lastEnd]),
      inIntermission: true,
    };
  }

  /** The periods begun so far, with their goals and shots so far; endTime once ended. */
  private periods(plays: StatsPlay[]): StatsLinescorePeriod[] {
    const begun = (num: number) => plays.some((play) => play.result.eventTypeId === 'PERIOD_START' && play.about.period === num);
    const ended = (num: number) => plays.some((play) => play.result.eventTypeId === 'PERIOD_END' && play.about.period === num);
    return this.game.liveData.linescore.periods
      .filter((period) => begun(period.num))
      .map((period) => {
        const inPeriod = plays.filter((play) => play.about.period === period.num);
        const { endTime, ...rest } = period;
        return {
          ...rest,
          ...(ended(period.num) && endTime !== undefined && { endTime }),
          home: { ...period.home, goals: this.count(inPeriod, 'home', 'GOAL'), shotsOnGoal: this.count(inPeriod, 'home') },
          away: { ...period.away, goals: this.count(inPeriod, 'away', 'GOAL'), shotsOnGoal: this.count(inPeriod, 'away') },
        };
      });
  }

  /** Shots on goal (SHOT is a save, GOAL a goal) or, given 'GOAL', goals alone. */
  private count(plays: StatsPlay[], side: Side, only?: 'GOAL'): number {
    const teamId = this.game.gameData.teams[side].id;
    const kinds = only ? [only] : ['SHOT', 'GOAL'];
    return plays.filter((play) => play.team?.id === teamId && kinds.includes(play.result.eventTypeId)).length;
  }
}
