import { ALL_PLAY_BY_PLAY, type Json, NHL_FILES, READ_AT, contextOf, inShootout, readNhlFile } from '../../../../../test/factories/nhl-data.factory.js';
import { ProviderDataError } from '../provider.errors.js';
import { parseNhlPlayByPlay } from './nhl-play-by-play.parser.js';

const parse = (file: string, body: Json = readNhlFile(file)) => parseNhlPlayByPlay(body, contextOf(`/v1/gamecenter/${file}/play-by-play`));

const playsOf = (game: Json, typeDescKey: string): Json[] => game.plays.filter((play: Json) => play.typeDescKey === typeDescKey);

describe.each(ALL_PLAY_BY_PLAY)('parseNhlPlayByPlay(%s)', (file) => {
  const game = readNhlFile(file);
  const snapshot = parse(file, game);
  const teamOf = (nhlTeamId: number) => (nhlTeamId === game.homeTeam.id ? game.homeTeam.abbrev : game.awayTeam.abbrev);

  it('has the game header of the file, with the final score of its teams', () => {
    const { header } = snapshot;
    expect(header).toMatchObject({
      externalId: String(game.id),
      season: { externalId: String(game.season), name: `${String(game.season).slice(0, 4)}-${String(game.season).slice(6)}` },
      gameType: 'regular',
      status: 'finished',
      startsAt: new Date(game.startTimeUTC).toISOString(),
      homeTeam: { externalId: game.homeTeam.abbrev },
      awayTeam: { externalId: game.awayTeam.abbrev },
      homeScore: game.homeTeam.score,
      awayScore: game.awayTeam.score,
      period: game.periodDescriptor.number,
      overtime: game.gameOutcome.lastPeriodType === 'OT',
      shootout: game.gameOutcome.lastPeriodType === 'SO',
      arena: { externalId: game.venue.default, name: game.venue.default },
      clock: { secondsRemaining: game.clock.secondsRemaining, running: false, inIntermission: false, readAt: READ_AT },
    });
    expect(snapshot.source).toBe('nhl');
  });

  it('keeps every play, in sortOrder, each under <gameId>:<eventId>', () => {
    const plays = [...game.plays].sort((a: Json, b: Json) => a.sortOrder - b.sortOrder);
    expect(snapshot.events.map((event) => [event.externalId, event.sortOrder])).toEqual(plays.map((play: Json) => [`${game.id}:${play.eventId}`, play.sortOrder]));
  });

  it('takes the period from periodDescriptor, and the elapsed time from timeInPeriod', () => {
    const byId = new Map<string, Json>(game.plays.map((play: Json) => [`${game.id}:${play.eventId}`, play]));
    for (const event of snapshot.events) {
      const play = byId.get(event.externalId);
      expect(event.period).toBe(play.periodDescriptor.number);
      const [minutes, seconds] = play.timeInPeriod.split(':').map(Number);
      expect(event.clockSeconds).toBe(minutes * 60 + seconds);
    }
  });

  it('has the goals of the file, shootout attempts apart, with the score after each', () => {
    const goals = playsOf(game, 'goal').filter((play) => !inShootout(play));
    const events = snapshot.events.filter((event) => event.type === 'goal');
    expect(events.map((event) => event.externalId)).toEqual(
      [...goals].sort((a, b) => a.sortOrder - b.sortOrder).map((play) => `${game.id}:${play.eventId}`),
    );
    for (const [index, event] of events.entries()) {
      const play = goals.find((goal) => `${game.id}:${goal.eventId}` === event.externalId);
      expect(event).toMatchObject({
        teamExternalId: teamOf(play.details.eventOwnerTeamId),
        primaryPersonExternalId: String(play.details.scoringPlayerId),
        secondaryPersonExternalId: play.details.goalieInNetId === undefined ? null : String(play.details.goalieInNetId),
        assist1PersonExternalId: play.details.assist1PlayerId === undefined ? null : String(play.details.assist1PlayerId),
        homeScore: play.details.homeScore,
        awayScore: play.details.awayScore,
      });
      expect(event.strength).not.toBeNull();
      // The last regulation or overtime goal leaves the score at the result, unless a shootout decided it.
      if (index === events.length - 1 && game.gameOutcome.lastPeriodType !== 'SO') {
        expect([event.homeScore, event.awayScore]).toEqual([game.homeTeam.score, game.awayTeam.score]);
      }
    }
  });

  it('makes shootout shots attempts that do not change the score', () => {
    const attempts = game.plays.filter((play: Json) => inShootout(play) && ['goal', 'shot-on-goal', 'missed-shot'].includes(play.typeDescKey));
    const events = snapshot.events.filter((event) => event.type === 'shootout_attempt');
    expect(events).toHaveLength(attempts.length);
    expect(events.filter((event) => event.shootoutScored)).toHaveLength(attempts.filter((play: Json) => play.typeDescKey === 'goal').length);
    for (const event of events) expect([event.homeScore, event.awayScore, event.strength]).toEqual([null, null, null]);
    expect(events.length > 0).toBe(game.gameOutcome.lastPeriodType === 'SO');
  });

  it('keeps every penalty, those sharing a time stamp included', () => {
    const penalties = playsOf(game, 'penalty');
    const events = snapshot.events.filter((event) => event.type === 'penalty');
    expect(new Set(events.map((event) => event.externalId))).toEqual(new Set(penalties.map((play) => `${game.id}:${play.eventId}`)));
    for (const event of events) {
      const play = penalties.find((penalty) => `${game.id}:${penalty.eventId}` === event.externalId);
      expect(event).toMatchObject({
        infraction: play.details.descKey,
        penaltyMinutes: play.details.duration,
        primaryPersonExternalId: play.details.committedByPlayerId === undefined ? null : String(play.details.committedByPlayerId),
        drawnByPersonExternalId: play.details.drawnByPlayerId === undefined ? null : String(play.details.drawnByPlayerId),
        servedByPersonExternalId: play.details.servedByPlayerId === undefined ? null : String(play.details.servedByPlayerId),
      });
    }
  });

  it('maps the other kinds of plays, and keeps the raw fields in details', () => {
    const counts = (key: string) => playsOf(game, key).filter((play) => !inShootout(play)).length;
    const typed = (type: string) => snapshot.events.filter((event) => event.type === type).length;
    expect(typed('shot')).toBe(counts('shot-on-goal'));
    expect(typed('faceoff')).toBe(counts('faceoff'));
    expect(typed('hit')).toBe(counts('hit'));
    expect(typed('blocked_shot')).toBe(counts('blocked-shot'));
    for (const event of snapshot.events) {
      const play = game.plays.find((candidate: Json) => `${game.id}:${candidate.eventId}` === event.externalId);
      expect(event.details).toMatchObject({ typeDescKey: play.typeDescKey, ...play.details });
    }
  });

  it('gives a blocked shot to the shooter’s team, whichever team the NHL names as its owner', () => {
    const rosterTeams = new Map<number, number>(game.rosterSpots.map((spot: Json) => [spot.playerId, spot.teamId]));
    for (const play of playsOf(game, 'blocked-shot')) {
      const event = snapshot.events.find((candidate) => candidate.externalId === `${game.id}:${play.eventId}`);
      expect(event?.teamExternalId).toBe(teamOf(rosterTeams.get(play.details.shootingPlayerId) as number));
      expect(event?.primaryPersonExternalId).toBe(String(play.details.shootingPlayerId));
    }
  });

  it('has every player of the rosters, with localized names, and a lineup each', () => {
    expect(snapshot.persons).toHaveLength(new Set(game.rosterSpots.map((spot: Json) => spot.playerId)).size);
    for (const spot of game.rosterSpots) {
      const person = snapshot.persons.find((candidate) => candidate.externalId === String(spot.playerId));
      expect(person).toMatchObject({ fullName: `${spot.firstName.default} ${spot.lastName.default}`, photoUrl: spot.headshot, role: 'player' });
      for (const locale of Object.keys(spot.lastName).filter((key) => key !== 'default')) {
        expect(person?.nameI18n?.[locale]).toBe(`${spot.firstName[locale] ?? spot.firstName.default} ${spot.lastName[locale]}`);
      }
      const lineup = snapshot.lineups.find((candidate) => candidate.personExternalId === String(spot.playerId));
      expect(lineup).toMatchObject({ teamExternalId: teamOf(spot.teamId), jerseyNumber: spot.sweaterNumber });
    }
  });
});

describe('parseNhlPlayByPlay across seasons', () => {
  it('reads 2023-24 plays (with `period`) and 2024-25 plays (without) alike', () => {
    for (const file of NHL_FILES.playByPlay2023) expect(readNhlFile(file).plays.every((play: Json) => 'period' in play)).toBe(true);
    for (const file of NHL_FILES.playByPlay2024) expect(readNhlFile(file).plays.some((play: Json) => 'period' in play)).toBe(false);
  });

  it('orders by sortOrder, not by eventId, which is not the order of play', () => {
    const game = readNhlFile('2023020510.json');
    const byEventId = [...game.plays].sort((a: Json, b: Json) => a.eventId - b.eventId).map((play: Json) => play.eventId);
    const events = parse('2023020510.json', game).events.map((event) => Number(event.externalId.split(':')[1]));
    expect(events).not.toEqual(byEventId);
  });

  it('has files with several penalties at one time stamp, all of them kept', () => {
    for (const file of ['2023020510.json', NHL_FILES.playByPlay2024[0]]) {
      const game = readNhlFile(file);
      const stamps = new Map<string, number>();
      for (const play of playsOf(game, 'penalty')) {
        const stamp = `${play.periodDescriptor.number} ${play.timeInPeriod}`;
        stamps.set(stamp, (stamps.get(stamp) ?? 0) + 1);
      }
      expect(Math.max(...stamps.values())).toBeGreaterThan(1);
      expect(parse(file, game).events.filter((event) => event.type === 'penalty')).toHaveLength(playsOf(game, 'penalty').length);
    }
  });

  it('translates names given in several locales', () => {
    const ovechkin = parse('2023020499.json').persons.find((person) => person.fullName === 'Alex Ovechkin');
    const spot = readNhlFile('2023020499.json').rosterSpots.find((candidate: Json) => candidate.lastName.default === 'Ovechkin');
    expect(ovechkin?.nameI18n).toEqual(
      Object.fromEntries(Object.keys(spot.lastName).filter((locale) => locale !== 'default').map((locale) => [locale, `${spot.firstName[locale]} ${spot.lastName[locale]}`])),
    );
  });
});

describe('parseNhlPlayByPlay on broken responses', () => {
  const file = NHL_FILES.playByPlay2024[0];
  const broken = (change: (game: Json) => void) => {
    const game = readNhlFile(file);
    change(game);
    return () => parse(file, game);
  };
  const failure = (parseIt: () => unknown): ProviderDataError => {
    try {
      parseIt();
    } catch (error) {
      if (error instanceof ProviderDataError) return error;
      throw error;
    }
    throw new Error('no error');
  };

  it('names the field that is missing', () => {
    const error = failure(
      broken((game) => {
        delete game.homeTeam;
      }),
    );
    expect(error.field).toBe('homeTeam');
    expect(error.message).toContain(`/v1/gamecenter/${file}/play-by-play: homeTeam:`);
  });

  it('refuses a play without any period', () => {
    const error = failure(
      broken((game) => {
        delete game.plays[3].periodDescriptor;
      }),
    );
    expect(error.field).toBe('plays[3]');
    expect(error.problem).toMatch(/no period/);
  });

  it('refuses a malformed time or situation code', () => {
    expect(failure(broken((game) => (game.plays[5].timeInPeriod = '5 min'))).field).toBe('plays[5].timeInPeriod');
    expect(failure(broken((game) => (game.plays[5].situationCode = '15a1'))).field).toBe('plays[5].situationCode');
  });

  it('refuses a play of a team that is not in the game', () => {
    const game = readNhlFile(file);
    const index = game.plays.findIndex((play: Json) => play.typeDescKey === 'goal');
    game.plays[index].details.eventOwnerTeamId = 99;
    const error = failure(() => parse(file, game));
    expect(error.field).toBe(`plays[${index}].details.eventOwnerTeamId`);
    expect(error.problem).toContain('team 99');
  });

  it('refuses an event id given twice', () => {
    expect(failure(broken((game) => (game.plays[7].eventId = game.plays[2].eventId))).problem).toMatch(/appears twice/);
  });

  it('refuses unknown game states and types, and bodies that are not a game', () => {
    expect(failure(broken((game) => (game.gameState = 'WHAT'))).field).toBe('gameState');
    expect(failure(broken((game) => (game.gameType = 4))).field).toBe('gameType');
    expect(failure(() => parse(file, [])).field).toBeUndefined();
    expect(failure(() => parse(file, null))).toBeInstanceOf(ProviderDataError);
  });
});
