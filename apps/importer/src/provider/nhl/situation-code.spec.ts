import { type Json, NHL_FILES, readNhlFile } from '../../../../../test/factories/nhl-data.factory.js';
import { goalStrength, parseSituationCode } from './situation-code.js';

/** Every goal of the landing files outside shootouts, with the strength the NHL itself gave it. */
const landingGoals = NHL_FILES.landing.flatMap((file) =>
  (readNhlFile(file).summary.scoring as Json[])
    .filter((period) => period.periodDescriptor.periodType !== 'SO')
    .flatMap((period) => (period.goals as Json[]).map((goal) => ({ file, goal }))),
);

describe('situationCode', () => {
  it('reads away goalie, away skaters, home skaters, home goalie', () => {
    expect(parseSituationCode('1541')).toEqual({ awayGoalieInNet: true, awaySkaters: 5, homeSkaters: 4, homeGoalieInNet: true });
    expect(parseSituationCode('0641')).toEqual({ awayGoalieInNet: false, awaySkaters: 6, homeSkaters: 4, homeGoalieInNet: true });
  });

  it('refuses what is not four digits with goalies 0 or 1', () => {
    for (const code of ['', '155', '15511', '2551', 'ab51']) expect(parseSituationCode(code)).toBeUndefined();
  });

  it.each(landingGoals)('gives the strength the NHL gave to $file goal $goal.eventId ($goal.situationCode)', ({ goal }) => {
    const situation = parseSituationCode(goal.situationCode);
    expect(situation).toBeDefined();
    const { strength, emptyNet } = goalStrength(situation!, goal.isHome);
    expect(strength).toBe(goal.strength);
    expect(emptyNet).toBe(goal.goalModifier === 'empty-net');
  });

  it('covers power-play, short-handed, extra-attacker and empty-net goals in those files', () => {
    const strengths = new Set(landingGoals.map(({ goal }) => goal.strength));
    expect(strengths).toEqual(new Set(['ev', 'pp', 'sh']));
    expect(landingGoals.some(({ goal }) => goal.goalModifier === 'empty-net')).toBe(true);
    // 6 skaters with the goalie pulled on the scoring side ('0641') and on the other side ('1460').
    expect(landingGoals.some(({ goal }) => /^0/.test(goal.situationCode) || /0$/.test(goal.situationCode))).toBe(true);
  });

  it('does not count a pulled goalie’s extra attacker as a power play', () => {
    // Away team with its goalie pulled, six skaters against five: even strength, into a guarded net.
    expect(goalStrength(parseSituationCode('0651')!, false)).toEqual({ strength: 'ev', emptyNet: false });
    // The home team scores into that empty net.
    expect(goalStrength(parseSituationCode('0651')!, true)).toEqual({ strength: 'ev', emptyNet: true });
  });
});
