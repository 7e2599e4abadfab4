import { type Json, NHL_FILES, contextOf, readNhlFile } from '../../../../../test/factories/nhl-data.factory.js';
import { ProviderDataError } from '../provider.errors.js';
import { parseNhlStatsapiGame } from './nhl-statsapi.parser.js';

const path = `/api/v1/game/2022030236/feed/live`;
const feed = readNhlFile(NHL_FILES.statsapiGame);
const { game, boxscore } = parseNhlStatsapiGame(feed, contextOf(path));
const plays: Json[] = feed.liveData.plays.allPlays;
const playsOf = (eventTypeId: string) => plays.filter((play) => play.result.eventTypeId === eventTypeId);
const eventOf = (play: Json) => game.events.find((event) => event.externalId === `${feed.gamePk}:${play.about.eventId}`);
const teamKey = (nhlTeamId: number) =>
  nhlTeamId === feed.gameData.teams.home.id ? feed.gameData.teams.home.abbreviation : feed.gameData.teams.away.abbreviation;
const players = (side: 'home' | 'away'): Json[] => Object.values(feed.liveData.boxscore.teams[side].players);

describe('parseNhlStatsapiGame (the retired statsapi feed)', () => {
  it('has the header: a final playoff game in its round, with the linescore’s score', () => {
    const { linescore } = feed.liveData;
    expect(game.header).toMatchObject({
      externalId: String(feed.gamePk),
      season: { externalId: feed.gameData.game.season },
      gameType: 'playoff',
      stage: { kind: 'playoff_round', externalId: `${feed.gameData.game.season}:playoff:${String(feed.gamePk).slice(7, 8)}` },
      status: 'finished',
      startsAt: new Date(feed.gameData.datetime.dateTime).toISOString(),
      homeTeam: { externalId: feed.gameData.teams.home.abbreviation, shortName: feed.gameData.teams.home.teamName },
      awayTeam: { externalId: feed.gameData.teams.away.abbreviation },
      homeScore: linescore.teams.home.goals,
      awayScore: linescore.teams.away.goals,
      period: linescore.currentPeriod,
      overtime: linescore.periods.some((period: Json) => period.periodType === 'OVERTIME'),
      shootout: linescore.hasShootout,
      arena: { name: feed.gameData.venue.name, city: feed.gameData.teams.home.venue.city, timeZone: feed.gameData.teams.home.venue.timeZone.id },
    });
  });

  it('has every play, in the order of play (eventIdx), not the array’s wall-clock order', () => {
    expect(game.events).toHaveLength(plays.length);
    const byIdx = [...plays].sort((a, b) => a.about.eventIdx - b.about.eventIdx);
    expect(game.events.map((event) => event.externalId)).toEqual(byIdx.map((play) => `${feed.gamePk}:${play.about.eventId}`));
    // The array differs: it puts a stoppage before the shot it stopped when they share a second.
    expect(plays.map((play) => play.about.eventIdx)).not.toEqual(byIdx.map((play) => play.about.eventIdx));
  });

  it('keeps the wall-clock time of each play in its details', () => {
    for (const play of plays) expect(eventOf(play)?.details.dateTime).toBe(play.about.dateTime);
  });

  it('has the goals with scorer, assists, goalie, strength and the score after each', () => {
    const goals = playsOf('GOAL');
    expect(game.events.filter((event) => event.type === 'goal')).toHaveLength(goals.length);
    expect(goals.length).toBe(game.header.homeScore! + game.header.awayScore!);
    const strengths: Record<string, string> = { EVEN: 'ev', PPG: 'pp', SHG: 'sh' };
    for (const play of goals) {
      const role = (type: string) => play.players.filter((player: Json) => player.playerType === type).map((player: Json) => String(player.player.id));
      expect(eventOf(play)).toMatchObject({
        teamExternalId: teamKey(play.team.id),
        primaryPersonExternalId: role('Scorer')[0],
        secondaryPersonExternalId: role('Goalie')[0] ?? null,
        assist1PersonExternalId: role('Assist')[0] ?? null,
        assist2PersonExternalId: role('Assist')[1] ?? null,
        strength: strengths[play.result.strength.code],
        emptyNet: play.result.emptyNet,
        homeScore: play.about.goals.home,
        awayScore: play.about.goals.away,
        description: play.result.description,
      });
    }
  });

  it('has the penalties with their infraction in api-web’s style and their minutes', () => {
    const penalties = playsOf('PENALTY');
    expect(game.events.filter((event) => event.type === 'penalty')).toHaveLength(penalties.length);
    for (const play of penalties) {
      expect(eventOf(play)).toMatchObject({
        infraction: play.result.secondaryType.toLowerCase().replace(/ /g, '-'),
        penaltyMinutes: play.result.penaltyMinutes,
        primaryPersonExternalId: String(play.players.find((player: Json) => player.playerType === 'PenaltyOn').player.id),
      });
    }
  });

  it('gives a blocked shot to the shooter’s team (the feed names the blocker’s)', () => {
    const homeIds = new Set(players('home').map((player) => player.person.id));
    for (const play of playsOf('BLOCKED_SHOT')) {
      const shooter = play.players.find((player: Json) => player.playerType === 'Shooter').player.id;
      expect(eventOf(play)?.teamExternalId).toBe(homeIds.has(shooter) ? feed.gameData.teams.home.abbreviation : feed.gameData.teams.away.abbreviation);
    }
  });

  it('has every person of the game and a lineup for each, scratches marked', () => {
    expect(game.persons).toHaveLength(Object.keys(feed.gameData.players).length);
    for (const side of ['home', 'away'] as const) {
      const scratches = new Set(feed.liveData.boxscore.teams[side].scratches.map(String));
      const lineups = game.lineups.filter((lineup) => lineup.teamExternalId === feed.gameData.teams[side].abbreviation);
      expect(lineups).toHaveLength(players(side).length);
      expect(lineups.filter((lineup) => lineup.scratched).map((lineup) => lineup.personExternalId).sort()).toEqual([...scratches].sort());
    }
    const player: Json = Object.values(feed.gameData.players)[0];
    const [feet, inches] = player.height.match(/\d+/g).map(Number);
    expect(game.persons[0]).toMatchObject({
      fullName: player.fullName,
      birthDate: player.birthDate,
      nationality: player.nationality,
      heightCm: Math.round((feet * 12 + inches) * 2.54),
      weightKg: Math.round(player.weight * 0.45359237),
    });
  });

  it('has the boxscore: team figures, and a line for each player who played', () => {
    for (const side of ['home', 'away'] as const) {
      const figures = feed.liveData.boxscore.teams[side].teamStats.teamSkaterStats;
      const stats = boxscore.teamStats.find((team) => team.teamExternalId === feed.gameData.teams[side].abbreviation);
      expect(stats).toMatchObject({
        goals: figures.goals,
        shots: figures.shots,
        hits: figures.hits,
        pim: figures.pim,
        blockedShots: figures.blocked,
        powerplay: `${figures.powerPlayGoals}/${figures.powerPlayOpportunities}`,
      });
      expect(stats?.faceoffWinPct).toBeCloseTo(Number(figures.faceOffWinPercentage) / 100, 6);
    }
    const played = [...players('home'), ...players('away')].filter((player) => player.stats.skaterStats || player.stats.goalieStats);
    expect(boxscore.playerStats.map((line) => line.person.externalId).sort()).toEqual(played.map((player) => String(player.person.id)).sort());
    for (const player of played.filter((candidate) => candidate.stats.goalieStats)) {
      const goalie = player.stats.goalieStats;
      const line = boxscore.playerStats.find((candidate) => candidate.person.externalId === String(player.person.id));
      expect(line).toMatchObject({ saves: goalie.saves, shotsAgainst: goalie.shots });
      expect(line?.savePct).toBeCloseTo(goalie.savePercentage / 100, 4);
    }
  });
});

describe('parseNhlStatsapiGame on broken responses', () => {
  it('names a missing field deep in the feed', () => {
    const broken = readNhlFile(NHL_FILES.statsapiGame);
    delete broken.liveData.plays.allPlays[10].about.periodTime;
    expect(() => parseNhlStatsapiGame(broken, contextOf(path))).toThrow(expect.objectContaining({ field: 'liveData.plays.allPlays[10].about.periodTime' }));
  });

  it('refuses unknown game types and states', () => {
    const allStar = readNhlFile(NHL_FILES.statsapiGame);
    allStar.gameData.game.type = 'A';
    expect(() => parseNhlStatsapiGame(allStar, contextOf(path))).toThrow(ProviderDataError);
    const unknown = readNhlFile(NHL_FILES.statsapiGame);
    unknown.gameData.status.codedGameState = '42';
    expect(() => parseNhlStatsapiGame(unknown, contextOf(path))).toThrow(expect.objectContaining({ field: 'gameData.status.codedGameState' }));
  });
});
