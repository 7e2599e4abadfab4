import type { Strength } from '@app/db';

/**
 * The NHL's `situationCode`: four digits, read left to right as away goalie
 * in net (1/0), away skaters, home skaters, home goalie in net.
 * '1541': both goalies in, five away skaters against four at home.
 */
export interface Situation {
  awayGoalieInNet: boolean;
  awaySkaters: number;
  homeSkaters: number;
  homeGoalieInNet: boolean;
}

export function parseSituationCode(code: string): Situation | undefined {
  const match = /^([01])(\d)(\d)([01])$/.exec(code);
  if (!match) return undefined;
  return {
    awayGoalieInNet: match[1] === '1',
    awaySkaters: Number(match[2]),
    homeSkaters: Number(match[3]),
    homeGoalieInNet: match[4] === '1',
  };
}

export interface GoalStrength {
  strength: Strength;
  emptyNet: boolean;
}

/**
 * A goal's strength from the scoring team's side, and whether the net it went
 * into was empty. A goalie pulled for an extra attacker makes no power play —
 * the NHL scores a 6-on-5 as even strength ('1560' scored by the away team:
 * ev, empty net) — so that attacker is not counted.
 */
export function goalStrength(situation: Situation, scoredByHome: boolean): GoalStrength {
  const away = situation.awaySkaters - (situation.awayGoalieInNet ? 0 : 1);
  const home = situation.homeSkaters - (situation.homeGoalieInNet ? 0 : 1);
  const [own, opponent] = scoredByHome ? [home, away] : [away, home];
  const opponentGoalieInNet = scoredByHome ? situation.awayGoalieInNet : situation.homeGoalieInNet;
  return { strength: own > opponent ? 'pp' : own < opponent ? 'sh' : 'ev', emptyNet: !opponentGoalieInNet };
}
