import { z } from 'zod';
import { parseResponse } from '../parse-response.js';
import { ProviderDataError } from '../provider.errors.js';
import type { BoxscoreSnapshot, PlayerMatchStatsSnapshot, TeamMatchStatsSnapshot } from '../stats-provider.js';
import { NHL_SOURCE, type ParseContext, nhlGameHeader } from './nhl-game-header.parser.js';
import { fraction, ratio, seconds } from './nhl-values.js';
import { localizedText, minutesSeconds, webGame, webTeam } from './nhl-web.schema.js';

const count = z.int().min(0).optional();
const pairRatio = z.string().regex(/^\d+\/\d+$/, "expected 'n/m'");
/** '0.906' in 2023-24 boxscores, a number elsewhere. */
const numberOrNumeric = z.union([z.number(), z.string().regex(/^-?\d*\.?\d+$/, 'expected a number').transform(Number)]);

const skaterRow = z.looseObject({
  playerId: z.int().positive(),
  name: localizedText,
  goals: count,
  assists: count,
  points: count,
  plusMinus: z.int().optional(),
  pim: count,
  hits: count,
  blockedShots: count,
  /** 'shots' up to 2023-24, 'sog' later. */
  shots: count,
  sog: count,
  toi: minutesSeconds.optional(),
});

const goalieRow = z.looseObject({
  playerId: z.int().positive(),
  name: localizedText,
  goals: count,
  assists: count,
  pim: count,
  toi: minutesSeconds.optional(),
  /** 'saves/shots' up to 2023-24, separate numbers later. */
  saveShotsAgainst: pairRatio.optional(),
  saves: count,
  shotsAgainst: count,
  savePctg: numberOrNumeric.optional(),
});

const teamPlayers = z.looseObject({
  forwards: z.array(skaterRow).default([]),
  defense: z.array(skaterRow).default([]),
  goalies: z.array(goalieRow).default([]),
});
const playerByGameStats = z.looseObject({ awayTeam: teamPlayers, homeTeam: teamPlayers });

/** The 2023-24 boxscore has the team figures on its teams; later ones leave them to the right rail. */
const boxscoreTeam = webTeam.extend({
  sog: count,
  faceoffWinningPctg: z.number().min(0).optional(),
  powerPlayConversion: pairRatio.optional(),
  pim: count,
  hits: count,
  blocks: count,
});

const boxscore = webGame.extend({
  awayTeam: boxscoreTeam,
  homeTeam: boxscoreTeam,
  /** 2023-24: the player figures under a `boxscore` wrapper... */
  boxscore: z.looseObject({ playerByGameStats: playerByGameStats.optional() }).optional(),
  /** ...later at the top level. */
  playerByGameStats: playerByGameStats.optional(),
});

const TEAM_STAT_FIELDS = ['sog', 'faceoffWinningPctg', 'powerPlayConversion', 'pim', 'hits', 'blocks'] as const;

type Side = 'homeTeam' | 'awayTeam';
/** A team's figures before we know whose they are (the right rail names only sides). */
export type TeamFigures = Omit<TeamMatchStatsSnapshot, 'teamExternalId'>;

function skaterStats(row: z.output<typeof skaterRow>, teamExternalId: string): PlayerMatchStatsSnapshot {
  return {
    teamExternalId,
    person: { externalId: String(row.playerId), displayName: row.name.default },
    goals: row.goals,
    assists: row.assists,
    points: row.points,
    plusMinus: row.plusMinus,
    pim: row.pim,
    shots: row.shots ?? row.sog,
    hits: row.hits,
    blockedShots: row.blockedShots,
    toiSeconds: row.toi === undefined ? undefined : seconds(row.toi),
    saves: null,
    shotsAgainst: null,
    savePct: null,
    stats: row,
  };
}

function goalieStats(row: z.output<typeof goalieRow>, teamExternalId: string): PlayerMatchStatsSnapshot {
  const [saves, shotsAgainst] = ratio(row.saveShotsAgainst) ?? [row.saves, row.shotsAgainst];
  return {
    teamExternalId,
    person: { externalId: String(row.playerId), displayName: row.name.default },
    goals: row.goals,
    assists: row.assists,
    pim: row.pim,
    toiSeconds: row.toi === undefined ? undefined : seconds(row.toi),
    saves: saves ?? null,
    shotsAgainst: shotsAgainst ?? null,
    // A backup who never played has no save percentage (and shots against 0).
    savePct: shotsAgainst ? fraction(row.savePctg ?? null) : null,
    stats: row,
  };
}

/**
 * `/v1/gamecenter/{id}/boxscore`: the game and its player figures, with or
 * without the `boxscore` wrapper. Team figures are complete only in the
 * 2023-24 shape; for later ones add the right rail (withRightRail).
 */
export function parseNhlBoxscore(body: unknown, context: ParseContext): BoxscoreSnapshot {
  const game = parseResponse(boxscore, body, context.path);
  const header = nhlGameHeader(game, context);
  const players = game.playerByGameStats ?? game.boxscore?.playerByGameStats;
  if (!players && header.status !== 'scheduled') {
    throw new ProviderDataError(context.path, 'playerByGameStats', 'missing, at the top level and under boxscore, for a game under way or over');
  }
  const sides: [Side, string][] = [
    ['homeTeam', header.homeTeam.externalId],
    ['awayTeam', header.awayTeam.externalId],
  ];
  const teamStats = sides.map(([side, teamExternalId]): TeamMatchStatsSnapshot => {
    const team = game[side];
    return {
      teamExternalId,
      goals: team.score,
      shots: team.sog,
      hits: team.hits,
      blockedShots: team.blocks,
      pim: team.pim,
      powerplay: team.powerPlayConversion,
      faceoffWinPct: team.faceoffWinningPctg === undefined ? undefined : fraction(team.faceoffWinningPctg),
      stats: Object.fromEntries(TEAM_STAT_FIELDS.filter((field) => team[field] !== undefined).map((field) => [field, team[field]])),
    };
  });
  const playerStats = players
    ? sides.flatMap(([side, teamExternalId]) => [
        ...players[side].forwards.map((row) => skaterStats(row, teamExternalId)),
        ...players[side].defense.map((row) => skaterStats(row, teamExternalId)),
        ...players[side].goalies.map((row) => goalieStats(row, teamExternalId)),
      ])
    : [];
  return { source: NHL_SOURCE, header, teamStats, playerStats };
}

/** Whether every team's figures are there, or the right rail has to complete them. */
export const hasTeamFigures = (snapshot: BoxscoreSnapshot): boolean =>
  snapshot.teamStats.every((team) => team.hits !== undefined && team.pim !== undefined && team.powerplay !== undefined);

const statValue = z.union([z.number(), z.string()]);
const rightRail = z.looseObject({
  teamGameStats: z.array(z.looseObject({ category: z.string(), awayValue: statValue, homeValue: statValue })),
});

/**
 * `/v1/gamecenter/{id}/right-rail`: its `teamGameStats` by side. Values mix
 * numbers (hits: 49) and strings (powerPlay: '2/6'); percentages are fractions.
 */
export function parseNhlRightRail(body: unknown, context: ParseContext): Record<Side, TeamFigures> {
  const { teamGameStats } = parseResponse(rightRail, body, context.path);
  const figures = (side: 'away' | 'home'): TeamFigures => {
    const values = new Map(teamGameStats.map((stat, index) => [stat.category, { value: side === 'away' ? stat.awayValue : stat.homeValue, index }]));
    const number = (category: string): number | undefined => {
      const stat = values.get(category);
      if (stat === undefined) return undefined;
      const value = Number(stat.value);
      if (typeof stat.value === 'string' && (stat.value.trim() === '' || Number.isNaN(value))) {
        throw new ProviderDataError(context.path, `teamGameStats[${stat.index}].${side}Value`, `expected a number for ${category}, got ${JSON.stringify(stat.value)}`);
      }
      return value;
    };
    const powerPlay = values.get('powerPlay');
    if (powerPlay !== undefined && ratio(String(powerPlay.value)) === undefined) {
      throw new ProviderDataError(context.path, `teamGameStats[${powerPlay.index}].${side}Value`, `expected 'goals/opportunities', got ${JSON.stringify(powerPlay.value)}`);
    }
    return {
      shots: number('sog'),
      hits: number('hits'),
      blockedShots: number('blockedShots'),
      pim: number('pim'),
      powerplay: powerPlay === undefined ? undefined : String(powerPlay.value),
      faceoffWinPct: values.has('faceoffWinningPctg') ? fraction(number('faceoffWinningPctg')) : undefined,
      giveaways: number('giveaways'),
      takeaways: number('takeaways'),
      stats: Object.fromEntries([...values].map(([category, { value }]) => [category, value])),
    };
  };
  return { awayTeam: figures('away'), homeTeam: figures('home') };
}

/** The boxscore's team figures completed by the right rail's; the boxscore's own win where both have one. */
export function withRightRail(snapshot: BoxscoreSnapshot, rail: Record<Side, TeamFigures>): BoxscoreSnapshot {
  const bySide: Record<string, TeamFigures> = {
    [snapshot.header.homeTeam.externalId]: rail.homeTeam,
    [snapshot.header.awayTeam.externalId]: rail.awayTeam,
  };
  return {
    ...snapshot,
    teamStats: snapshot.teamStats.map((team) => {
      const extra = bySide[team.teamExternalId];
      const own = Object.fromEntries(Object.entries(team).filter(([, value]) => value !== undefined));
      return { ...extra, ...own, teamExternalId: team.teamExternalId, stats: { ...extra.stats, ...team.stats } };
    }),
  };
}
