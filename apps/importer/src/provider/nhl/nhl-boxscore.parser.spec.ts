import { type Json, NHL_FILES, contextOf, readNhlFile } from '../../../../../test/factories/nhl-data.factory.js';
import { ProviderDataError } from '../provider.errors.js';
import { hasTeamFigures, parseNhlBoxscore, parseNhlRightRail, withRightRail } from './nhl-boxscore.parser.js';

const context = contextOf('/v1/gamecenter/test/boxscore');

/**
 * The newer boxscore shape, made from a real 2023-24 file as the SOURCES.md
 * describes the drift (no file of that shape is in data/nhl/): player figures
 * at the top level, and teams without their figures (the right rail has them).
 */
function withoutWrapper(box: Json): Json {
  const { boxscore, ...rest } = box;
  const team = ({ sog, faceoffWinningPctg, powerPlayConversion, pim, hits, blocks, ...kept }: Json) => kept;
  return { ...rest, playerByGameStats: boxscore.playerByGameStats, awayTeam: team(box.awayTeam), homeTeam: team(box.homeTeam) };
}

/** A right rail carrying a 2023-24 boxscore's team figures, in the right rail's own shape (fractions, mixed types). */
function rightRailOf(box: Json): Json {
  const category = (name: string, value: (team: Json) => unknown) => ({ category: name, awayValue: value(box.awayTeam), homeValue: value(box.homeTeam) });
  return {
    teamGameStats: [
      category('sog', (team) => team.sog),
      category('faceoffWinningPctg', (team) => team.faceoffWinningPctg / 100),
      category('powerPlay', (team) => team.powerPlayConversion),
      category('pim', (team) => team.pim),
      category('hits', (team) => team.hits),
      category('blockedShots', (team) => String(team.blocks)),
    ],
  };
}

describe.each(NHL_FILES.boxscore2023)('parseNhlBoxscore(%s)', (file) => {
  const box = readNhlFile(file);
  const snapshot = parseNhlBoxscore(box, context);
  const players = box.boxscore.playerByGameStats;

  it('has the game header, and each team’s figures from its team object', () => {
    expect(snapshot.header).toMatchObject({ externalId: String(box.id), homeScore: box.homeTeam.score, awayScore: box.awayTeam.score, status: 'finished' });
    for (const side of ['homeTeam', 'awayTeam']) {
      const team = box[side];
      const stats = snapshot.teamStats.find((candidate) => candidate.teamExternalId === team.abbrev);
      expect(stats).toMatchObject({
        goals: team.score,
        shots: team.sog,
        hits: team.hits,
        blockedShots: team.blocks,
        pim: team.pim,
        powerplay: team.powerPlayConversion,
      });
      // A percentage in this file (54.4), a fraction in the snapshot.
      expect(stats?.faceoffWinPct).toBeCloseTo(team.faceoffWinningPctg / 100, 6);
    }
    expect(hasTeamFigures(snapshot)).toBe(true);
  });

  it('has a line for every skater and goalie, by team', () => {
    for (const side of ['homeTeam', 'awayTeam']) {
      const rows = [...players[side].forwards, ...players[side].defense, ...players[side].goalies];
      const lines = snapshot.playerStats.filter((line) => line.teamExternalId === box[side].abbrev);
      expect(lines.map((line) => line.person.externalId).sort()).toEqual(rows.map((row: Json) => String(row.playerId)).sort());
    }
    for (const row of [...players.homeTeam.forwards, ...players.awayTeam.defense]) {
      const line = snapshot.playerStats.find((candidate) => candidate.person.externalId === String(row.playerId));
      const [minutes, seconds] = row.toi.split(':').map(Number);
      expect(line).toMatchObject({
        person: { displayName: row.name.default },
        goals: row.goals,
        assists: row.assists,
        points: row.points,
        plusMinus: row.plusMinus,
        shots: row.shots,
        hits: row.hits,
        toiSeconds: minutes * 60 + seconds,
        saves: null,
      });
    }
  });

  it('reads saves and shots from the goalies’ "saves/shots" and the save percentage as a fraction', () => {
    for (const row of [...players.homeTeam.goalies, ...players.awayTeam.goalies]) {
      const [saves, shots] = row.saveShotsAgainst.split('/').map(Number);
      const line = snapshot.playerStats.find((candidate) => candidate.person.externalId === String(row.playerId));
      expect(line).toMatchObject({ saves, shotsAgainst: shots, savePct: shots > 0 ? Number(row.savePctg) : null });
    }
  });

  it('reads the newer shape, without the wrapper, completed by the right rail, to the same snapshot', () => {
    const newer = parseNhlBoxscore(withoutWrapper(box), context);
    expect(newer.playerStats).toEqual(snapshot.playerStats);
    expect(hasTeamFigures(newer)).toBe(false);
    const completed = withRightRail(newer, parseNhlRightRail(rightRailOf(box), context));
    for (const team of snapshot.teamStats) {
      const { stats, faceoffWinPct, ...figures } = team;
      const merged = completed.teamStats.find((candidate) => candidate.teamExternalId === team.teamExternalId);
      expect(merged).toMatchObject(figures);
      expect(merged?.faceoffWinPct).toBeCloseTo(faceoffWinPct as number, 6);
      expect(merged?.stats).toMatchObject({ sog: stats.sog });
    }
  });
});

describe.each(NHL_FILES.rightRail)('parseNhlRightRail(%s)', (file) => {
  const rail = readNhlFile(file);
  const figures = parseNhlRightRail(rail, context);
  const value = (category: string, side: 'awayValue' | 'homeValue') => rail.teamGameStats.find((stat: Json) => stat.category === category)[side];

  it('reads each side’s figures, numbers and "n/m" strings alike', () => {
    for (const [side, key] of [
      ['awayTeam', 'awayValue'],
      ['homeTeam', 'homeValue'],
    ] as const) {
      expect(figures[side]).toMatchObject({
        shots: value('sog', key),
        hits: value('hits', key),
        blockedShots: value('blockedShots', key),
        pim: value('pim', key),
        giveaways: value('giveaways', key),
        takeaways: value('takeaways', key),
        powerplay: value('powerPlay', key),
        faceoffWinPct: value('faceoffWinningPctg', key),
      });
      expect(figures[side].stats).toEqual(Object.fromEntries(rail.teamGameStats.map((stat: Json) => [stat.category, stat[key]])));
    }
  });
});

describe('boxscore parsers on broken responses', () => {
  it('refuse a finished game without player figures', () => {
    const { boxscore, ...box } = readNhlFile(NHL_FILES.boxscore2023[0]);
    expect(boxscore).toBeDefined();
    expect(() => parseNhlBoxscore(box, context)).toThrow(ProviderDataError);
  });

  it('refuse a figure that is not a number, naming it', () => {
    const rail = readNhlFile(NHL_FILES.rightRail[0]);
    const index = rail.teamGameStats.findIndex((stat: Json) => stat.category === 'hits');
    rail.teamGameStats[index].homeValue = 'many';
    expect(() => parseNhlRightRail(rail, context)).toThrow(expect.objectContaining({ field: `teamGameStats[${index}].homeValue` }));
  });

  it('refuse a malformed goalie line', () => {
    const box = readNhlFile(NHL_FILES.boxscore2023[0]);
    box.boxscore.playerByGameStats.homeTeam.goalies[0].saveShotsAgainst = 'twenty';
    expect(() => parseNhlBoxscore(box, context)).toThrow(expect.objectContaining({ field: 'boxscore.playerByGameStats.homeTeam.goalies[0].saveShotsAgainst' }));
  });
});
