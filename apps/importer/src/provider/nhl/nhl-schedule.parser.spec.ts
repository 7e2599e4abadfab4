import { type Json, NHL_FILES, READ_AT, contextOf, readNhlFile } from '../../../../../test/factories/nhl-data.factory.js';
import { ProviderDataError } from '../provider.errors.js';
import { parseNhlLanding, parseNhlSchedule, parseNhlScoreboard } from './nhl-schedule.parser.js';

const context = contextOf('/v1/schedule/test');

const STATUSES: Record<string, string> = { FUT: 'scheduled', PRE: 'scheduled', LIVE: 'live', CRIT: 'live', FINAL: 'finished', OFF: 'finished' };
const canonical = (timeZone: string) => new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;

describe.each(NHL_FILES.schedule)('parseNhlSchedule(%s)', (file) => {
  const week = readNhlFile(file);
  const games: Json[] = week.gameWeek.flatMap((day: Json) => day.games);
  const snapshot = parseNhlSchedule(week, context);

  it('has every game of the week, with its state and, once played, its score', () => {
    expect(snapshot.games.map((game) => game.externalId)).toEqual(games.map((game) => String(game.id)));
    for (const game of games) {
      const header = snapshot.games.find((candidate) => candidate.externalId === String(game.id));
      const finished = game.gameState === 'OFF';
      expect(header).toMatchObject({
        status: STATUSES[game.gameState],
        startsAt: new Date(game.startTimeUTC).toISOString(),
        homeTeam: { externalId: game.homeTeam.abbrev, city: game.homeTeam.placeName.default },
        awayTeam: { externalId: game.awayTeam.abbrev },
        homeScore: game.homeTeam.score,
        awayScore: game.awayTeam.score,
        period: finished ? game.periodDescriptor.number : null,
        overtime: game.gameOutcome?.lastPeriodType === 'OT',
        shootout: game.gameOutcome?.lastPeriodType === 'SO',
        neutralSite: game.neutralSite,
        arena: { externalId: game.venue.default, timeZone: canonical(game.venueTimezone) },
      });
      // A schedule says nothing of the clock: the import leaves it alone.
      expect(header?.clock).toBeUndefined();
      // Nor does it name teams in full: the standings do.
      expect(header?.homeTeam.name).toBeUndefined();
    }
  });

  it('dates the season of its games', () => {
    expect(snapshot.seasons).toEqual([
      expect.objectContaining({
        externalId: String(games[0].season),
        startsOn: week.preSeasonStartDate,
        endsOn: week.playoffEndDate,
      }),
    ]);
  });
});

describe('parseNhlSchedule', () => {
  it('passes over games it does not import (an All-Star game) and keeps the others', () => {
    const week = readNhlFile(NHL_FILES.schedule[1]);
    week.gameWeek[0].games[0].gameType = 4;
    const games: Json[] = week.gameWeek.flatMap((day: Json) => day.games);
    expect(parseNhlSchedule(week, context).games).toHaveLength(games.length - 1);
  });

  it('names the broken field of a game', () => {
    const week = readNhlFile(NHL_FILES.schedule[0]);
    delete week.gameWeek[0].games[2].startTimeUTC;
    expect(() => parseNhlSchedule(week, context)).toThrow(expect.objectContaining({ field: 'gameWeek[0].games[2].startTimeUTC' }));
    expect(() => parseNhlSchedule(week, context)).toThrow(ProviderDataError);
  });
});

describe.each(NHL_FILES.scoreNow)('parseNhlScoreboard(%s)', (file) => {
  const board = readNhlFile(file);
  const snapshot = parseNhlScoreboard(board, context);

  it('has every game with its status, score and period', () => {
    expect(snapshot.games).toHaveLength(board.games.length);
    for (const game of board.games) {
      const header = snapshot.games.find((candidate) => candidate.externalId === String(game.id));
      const started = ['LIVE', 'CRIT', 'FINAL', 'OFF'].includes(game.gameState);
      expect(header).toMatchObject({ status: STATUSES[game.gameState], homeScore: game.homeTeam.score, awayScore: game.awayTeam.score });
      expect(header?.period).toBe(started ? game.periodDescriptor.number : null);
    }
  });

  it('reads the game clock; in an intermission the NHL’s clock is the intermission’s, the game clock stands at 0', () => {
    for (const game of board.games.filter((candidate: Json) => candidate.clock && ['LIVE', 'CRIT'].includes(candidate.gameState))) {
      const { clock } = snapshot.games.find((candidate) => candidate.externalId === String(game.id)) ?? {};
      expect(clock).toEqual(
        game.clock.inIntermission
          ? { secondsRemaining: 0, running: false, inIntermission: true, readAt: READ_AT }
          : { secondsRemaining: game.clock.secondsRemaining, running: game.clock.running, inIntermission: false, readAt: READ_AT },
      );
    }
  });
});

describe('parseNhlScoreboard', () => {
  it('covers live, critical, final, pre-game and intermission states in the files', () => {
    const games: Json[] = NHL_FILES.scoreNow.flatMap((file) => readNhlFile(file).games);
    expect(new Set(games.map((game) => game.gameState))).toEqual(new Set(['LIVE', 'CRIT', 'FINAL', 'OFF', 'FUT', 'PRE']));
    expect(games.some((game) => game.clock?.inIntermission)).toBe(true);
    expect(games.some((game) => game.clock?.running)).toBe(true);
  });

  it('writes each arena’s time zone one way, whichever alias the NHL used', () => {
    const zones = NHL_FILES.scoreNow.flatMap((file) => parseNhlScoreboard(readNhlFile(file), context).games.map((game) => game.arena?.timeZone));
    expect(zones).not.toContain('US/Eastern');
    expect(zones).toContain('America/New_York');
  });
});

describe.each(NHL_FILES.landing)('parseNhlLanding(%s)', (file) => {
  const landing = readNhlFile(file);
  const [game] = parseNhlLanding(landing, context).games;

  it('has the game’s header, the arena’s city and time zone, and how it was decided', () => {
    expect(game).toMatchObject({
      externalId: String(landing.id),
      status: 'finished',
      homeScore: landing.homeTeam.score,
      awayScore: landing.awayTeam.score,
      period: landing.periodDescriptor.number,
      // No gameOutcome in a landing: the last period tells.
      overtime: landing.periodDescriptor.periodType === 'OT',
      shootout: landing.periodDescriptor.periodType === 'SO',
      arena: { name: landing.venue.default, city: landing.venueLocation.default, timeZone: canonical(landing.venueTimezone) },
      homeTeam: { externalId: landing.homeTeam.abbrev, shortName: landing.homeTeam.commonName.default, city: landing.homeTeam.placeName.default },
    });
  });

  it('puts a playoff game in its round, taken from the game id', () => {
    const round = Number(String(landing.id).slice(7, 8));
    expect(game.stage).toEqual(
      landing.gameType === 3
        ? expect.objectContaining({ kind: 'playoff_round', externalId: `${landing.season}:playoff:${round}`, sortOrder: round })
        : expect.objectContaining({ kind: 'regular', externalId: `${landing.season}:regular` }),
    );
  });
});
