import { beforeEach, describe, expect, it } from '@jest/globals';
import { NhlDataCatalog } from './nhl-data.catalog.js';
import type { StatsFeedLive, StatsPlay, WebPlay, WebPlayByPlay } from './nhl-response.types.js';
import { PlayByPlayReplay } from './play-by-play.replay.js';
import { GameReplays, UnknownGameError } from './replay.control.js';
import { clockSeconds, formatClock, type ReplayTiming } from './replay.timeline.js';

// The saved games of data/nhl/; every expectation below is worked out from them.
const catalog = NhlDataCatalog.load();
const TIMING: ReplayTiming = { intermissionSeconds: 18 * 60, shootoutPlaySeconds: 30, officialAfterSeconds: 10 * 60 };
const PERIOD = 20 * 60;

class FakeClock {
  ms = Date.parse('2030-01-01T18:00:00Z');
  now(): number {
    return this.ms;
  }
}

const savedGames = catalog.gameIds('playByPlay').map((id) => catalog.playByPlay(id)!.json);
function gameDecidedIn(periodType: 'REG' | 'OT' | 'SO'): WebPlayByPlay {
  const game = savedGames.find((candidate) => (candidate.gameOutcome as { lastPeriodType?: string } | undefined)?.lastPeriodType === periodType);
  if (!game) throw new Error(`data/nhl/ has no play-by-play of a game decided in ${periodType}`);
  return game;
}
const periodOf = (play: WebPlay) => play.periodDescriptor?.number ?? play.period ?? 1;
const bySortOrder = (plays: WebPlay[]) => [...plays].sort((a, b) => a.sortOrder! - b.sortOrder!);
/** A regulation play's moment, straight from the rule: 20-minute periods, 18-minute intermissions. */
const regulationMoment = (play: WebPlay) => (periodOf(play) - 1) * (PERIOD + TIMING.intermissionSeconds) + clockSeconds(play.timeInPeriod);
const sortOrders = (plays: WebPlay[]) => plays.map((play) => play.sortOrder);

describe('GameReplays of api-web play-by-play', () => {
  let clock: FakeClock;
  let replays: GameReplays;
  const speed = 60;
  /** Moves the clock so that the replay is `seconds` of game time in. */
  const at = (seconds: number) => (clock.ms = start + (seconds / speed) * 1000);
  let start: number;

  beforeEach(() => {
    clock = new FakeClock();
    start = clock.ms;
    replays = new GameReplays(catalog, { speed, timing: TIMING, clock });
  });

  it('shows after N game seconds exactly the plays whose time has come, with the header of the last', () => {
    const game = gameDecidedIn('REG');
    const plays = bySortOrder(game.plays);
    replays.start(game.id);
    for (const seconds of [0, 9 * 60 + 30, PERIOD + TIMING.intermissionSeconds + 1, 2 * (PERIOD + TIMING.intermissionSeconds) + 19 * 60 + 10]) {
      at(seconds);
      const expected = plays.filter((play) => regulationMoment(play) <= seconds);
      const last = expected.at(-1)!;
      const lastGoal = expected.findLast((play) => play.typeDescKey === 'goal');
      const away = lastGoal?.details?.awayScore ?? 0;
      const home = lastGoal?.details?.homeScore ?? 0;
      const critical = periodOf(last) === 3 && clockSeconds(last.timeRemaining) <= 5 * 60 && Math.abs(away - home) <= 1;

      const served = replays.playByPlay(game.id)!;
      expect(sortOrders(served.plays)).toEqual(sortOrders(expected));
      expect(served.periodDescriptor).toEqual(last.periodDescriptor);
      expect(served.clock).toMatchObject({ timeRemaining: last.timeRemaining, inIntermission: false });
      expect([served.awayTeam.score, served.homeTeam.score]).toEqual([away, home]);
      const shots = (teamId: number) =>
        expected.filter((play) => ['goal', 'shot-on-goal'].includes(play.typeDescKey!) && play.details?.eventOwnerTeamId === teamId).length;
      expect([served.awayTeam.sog, served.homeTeam.sog]).toEqual([shots(game.awayTeam.id), shots(game.homeTeam.id)]);
      expect(served.gameState).toBe(critical ? 'CRIT' : 'LIVE');
      expect(served.gameOutcome).toBeUndefined();
      expect(replays.status(game.id)).toMatchObject({ plays: expected.length, period: periodOf(last), away, home, seconds });
    }
  });

  it('counts down the intermission after a period-end, with the clock stopped', () => {
    const game = gameDecidedIn('REG');
    replays.start(game.id);
    at(PERIOD + 60);
    const served = replays.playByPlay(game.id)!;
    expect(served.plays.at(-1)).toMatchObject({ typeDescKey: 'period-end', periodDescriptor: { number: 1 } });
    expect(served.clock).toEqual({
      timeRemaining: formatClock(TIMING.intermissionSeconds - 60),
      secondsRemaining: TIMING.intermissionSeconds - 60,
      running: false,
      inIntermission: true,
    });
  });

  it('is FINAL from the game-end play, then after officialAfterSeconds the file as saved (OFF)', () => {
    const game = gameDecidedIn('REG');
    const gameEnd = regulationMoment(game.plays.find((play) => play.typeDescKey === 'game-end')!);
    replays.start(game.id);
    at(gameEnd - 1);
    expect(replays.playByPlay(game.id)!.plays.some((play) => play.typeDescKey === 'game-end')).toBe(false);
    at(gameEnd);
    const final = replays.playByPlay(game.id)!;
    expect(final.gameState).toBe('FINAL');
    expect(final.gameOutcome).toEqual(game.gameOutcome);
    expect([final.awayTeam.score, final.homeTeam.score]).toEqual([game.awayTeam.score, game.homeTeam.score]);
    expect(replays.status(game.id)!.finished).toBe(false);
    at(gameEnd + TIMING.officialAfterSeconds);
    expect(replays.playByPlay(game.id)).toEqual(game);
    expect(replays.status(game.id)).toMatchObject({ state: 'OFF', finished: true, plays: game.plays.length, seconds: gameEnd + TIMING.officialAfterSeconds });
  });

  it('plays overtime after an intermission, critical while within a goal, and ends on the winner', () => {
    const game = gameDecidedIn('OT');
    const overtime = bySortOrder(game.plays).filter((play) => play.periodDescriptor?.periodType === 'OT');
    const overtimeStart = 3 * (PERIOD + TIMING.intermissionSeconds);
    replays.start(game.id);
    at(overtimeStart - 1);
    expect(replays.playByPlay(game.id)!.clock).toMatchObject({ inIntermission: true, secondsRemaining: 1 });
    at(overtimeStart + 1);
    const served = replays.playByPlay(game.id)!;
    expect(served.periodDescriptor).toEqual(overtime[0].periodDescriptor);
    expect(served.gameState).toBe(Math.abs(served.awayTeam.score! - served.homeTeam.score!) <= 1 ? 'CRIT' : 'LIVE');
    at(overtimeStart + clockSeconds(overtime.at(-1)!.timeInPeriod));
    expect(replays.status(game.id)).toMatchObject({ state: 'FINAL', away: game.awayTeam.score, home: game.homeTeam.score });
  });

  it('unfolds a shootout one play every shootoutPlaySeconds, the score tied until the final', () => {
    const game = gameDecidedIn('SO');
    const plays = bySortOrder(game.plays);
    const overtimeLength = Math.max(...plays.filter((play) => play.periodDescriptor?.periodType === 'OT').map((play) => clockSeconds(play.timeInPeriod)));
    const shootoutStart = 3 * (PERIOD + TIMING.intermissionSeconds) + overtimeLength + TIMING.intermissionSeconds;
    const beforeShootout = plays.filter((play) => play.periodDescriptor?.periodType !== 'SO');
    const tied = beforeShootout.findLast((play) => play.typeDescKey === 'goal')!.details!;
    replays.start(game.id);
    at(shootoutStart + 2 * TIMING.shootoutPlaySeconds);
    const served = replays.playByPlay(game.id)!;
    expect(served.plays).toHaveLength(beforeShootout.length + 3);
    expect([served.awayTeam.score, served.homeTeam.score]).toEqual([tied.awayScore, tied.homeScore]);
    expect(served.gameState).toBe('CRIT');
    at(shootoutStart + (plays.length - beforeShootout.length - 1) * TIMING.shootoutPlaySeconds);
    expect(replays.status(game.id)).toMatchObject({ state: 'FINAL', plays: plays.length, away: game.awayTeam.score, home: game.homeTeam.score });
  });

  it('orders plays by sortOrder, whatever their order in the file', () => {
    const game = gameDecidedIn('REG');
    const shuffled = { ...game, plays: game.plays.map((play, index) => ({ play, key: (index * 7919) % game.plays.length })).sort((a, b) => a.key - b.key).map(({ play }) => play) };
    const seconds = PERIOD + TIMING.intermissionSeconds + 12 * 60;
    expect(sortOrders(new PlayByPlayReplay(shuffled, TIMING).frame(seconds).body.plays)).toEqual(
      sortOrders(bySortOrder(game.plays).filter((play) => regulationMoment(play) <= seconds)),
    );
  });

  it('seeks to a play or a share of the game and goes on from there at its speed', () => {
    const game = gameDecidedIn('REG');
    const plays = bySortOrder(game.plays);
    // A play whose successor comes later, so that exactly n plays are out.
    const n = plays.findIndex((play, index) => index > 100 && regulationMoment(plays[index + 1]) > regulationMoment(play)) + 1;
    replays.start(game.id);
    clock.ms += 5_000;
    expect(replays.seek(game.id, { plays: n })).toMatchObject({ plays: n, seconds: regulationMoment(plays[n - 1]) });
    clock.ms += 1_000;
    expect(replays.status(game.id)!.seconds).toBe(regulationMoment(plays[n - 1]) + speed);
    expect(replays.seek(game.id, { fraction: 1 })).toMatchObject({ state: 'OFF', finished: true });
    expect(replays.seek(game.id, { fraction: 0 }).plays).toBe(plays.filter((play) => regulationMoment(play) === 0).length);
    expect(() => replays.seek(game.id, { plays: plays.length + 1 })).toThrow(RangeError);
    expect(() => replays.seek(game.id, { fraction: 1.5 })).toThrow(RangeError);
  });

  it('replays at the speed asked, stops back to the saved file, and refuses unknown games and bad speeds', () => {
    const game = gameDecidedIn('REG');
    replays.start(game.id, { speed: 600 });
    clock.ms += 5_000;
    expect(replays.status(game.id)).toMatchObject({ speed: 600, seconds: 3000 });
    expect(replays.list().map((status) => status.gameId)).toEqual([game.id]);
    expect(replays.stop(game.id)).toBe(true);
    expect(replays.playByPlay(game.id)).toBeUndefined();
    expect(replays.status(game.id)).toBeUndefined();
    expect(() => replays.start(1)).toThrow(UnknownGameError);
    expect(() => replays.start(game.id, { speed: 0 })).toThrow(RangeError);
  });
});

// The one statsapi game saved, with the real wall-clock time of every play.
const FEED_LIVE_GAME = 2022030236;

describe(`GameReplays of the statsapi feed/live of ${FEED_LIVE_GAME}`, () => {
  const saved = catalog.feedLive(FEED_LIVE_GAME);
  if (!saved) throw new Error(`data/nhl/ has no statsapi feed/live of game ${FEED_LIVE_GAME}`);
  const game: StatsFeedLive = saved.json;
  const allPlays = game.liveData.plays.allPlays;
  const event = (type: string, period?: number) => allPlays.find((play) => play.result.eventTypeId === type && (period === undefined || play.about.period === period))!;
  const time = (play: StatsPlay) => Date.parse(play.about.dateTime);
  const puckDrop = time(event('PERIOD_START'));
  const speed = 60;
  let clock: FakeClock;
  let replays: GameReplays;
  /** Moves the clock so that the replay is at that wall-clock time of the real game. */
  const atGameTime = (ms: number) => (clock.ms = start + (ms - puckDrop) / speed);
  let start: number;

  beforeEach(() => {
    clock = new FakeClock();
    start = clock.ms;
    replays = new GameReplays(catalog, { speed, timing: TIMING, clock });
    replays.start(FEED_LIVE_GAME);
  });

  it('shows the plays up to the real time of the game, N game seconds after the first puck drop', () => {
    for (const seconds of [0, 600, 1800, 5000, 8000]) {
      clock.ms = start + (seconds / speed) * 1000;
      const expected = allPlays.filter((play) => time(play) <= puckDrop + seconds * 1000);
      const served = replays.feedLive(FEED_LIVE_GAME)!;
      expect(served.liveData.plays.allPlays).toEqual(expected);
      expect(served.liveData.plays.currentPlay).toEqual(expected.at(-1));
      expect(served.liveData.plays.scoringPlays).toEqual(game.liveData.plays.scoringPlays.filter((index) => index < expected.length));
      const last = expected.at(-1)!;
      expect(served.liveData.linescore).toMatchObject({ currentPeriod: last.about.period, teams: { away: { goals: last.about.goals.away }, home: { goals: last.about.goals.home } } });
      const goalsInPeriods = served.liveData.linescore.periods.map((period) => period.home.goals + period.away.goals);
      expect(goalsInPeriods.reduce((sum, goals) => sum + goals, 0)).toBe(expected.filter((play) => play.result.eventTypeId === 'GOAL').length);
      expect(served.gameData.status.abstractGameState).toBe('Live');
    }
  });

  it('keeps the real intermission between the end of a period and the start of the next', () => {
    const firstEnd = time(event('PERIOD_END', 1));
    const secondStart = time(event('PERIOD_START', 2));
    atGameTime(firstEnd + 60_000);
    let served = replays.feedLive(FEED_LIVE_GAME)!;
    expect(served.liveData.linescore).toMatchObject({
      currentPeriodTimeRemaining: 'END',
      intermissionInfo: { inIntermission: true, intermissionTimeElapsed: 60, intermissionTimeRemaining: (secondStart - firstEnd) / 1000 - 60 },
    });
    expect(served.liveData.linescore.periods.map((period) => [period.num, period.endTime])).toEqual([[1, event('PERIOD_END', 1).about.dateTime]]);
    atGameTime(secondStart - 1000);
    expect(replays.feedLive(FEED_LIVE_GAME)!.liveData.plays.allPlays.some((play) => play.result.eventTypeId === 'PERIOD_START' && play.about.period === 2)).toBe(false);
    atGameTime(secondStart);
    served = replays.feedLive(FEED_LIVE_GAME)!;
    expect(served.liveData.linescore.intermissionInfo!.inIntermission).toBe(false);
    expect(served.liveData.linescore.periods.map((period) => [period.num, period.endTime])).toEqual([
      [1, event('PERIOD_END', 1).about.dateTime],
      [2, undefined],
    ]);
  });

  it('is Final at GAME_END, and the file as saved once official', () => {
    const gameEnd = time(event('GAME_END'));
    atGameTime(gameEnd);
    const served = replays.feedLive(FEED_LIVE_GAME)!;
    expect(served.gameData.status).toMatchObject({ abstractGameState: 'Final', codedGameState: '6' });
    expect(served.liveData.plays.allPlays.at(-1)!.result.eventTypeId).toBe('GAME_END');
    expect(served.liveData.linescore.periods).toEqual(game.liveData.linescore.periods);
    expect(replays.status(FEED_LIVE_GAME)).toMatchObject({ source: 'feed-live', state: 'FINAL', durationSeconds: (gameEnd - puckDrop) / 1000 + TIMING.officialAfterSeconds });
    clock.ms += (TIMING.officialAfterSeconds / speed) * 1000;
    expect(replays.feedLive(FEED_LIVE_GAME)).toEqual(game);
  });
});
