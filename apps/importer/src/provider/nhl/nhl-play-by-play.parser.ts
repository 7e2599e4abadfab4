import { z } from 'zod';
import type { MatchEventType } from '@app/db';
import { parseResponse } from '../parse-response.js';
import { ProviderDataError } from '../provider.errors.js';
import type { EventSnapshot, GameSnapshot, LineupSnapshot, PersonSnapshot } from '../stats-provider.js';
import { NHL_SOURCE, type ParseContext, nhlGameHeader } from './nhl-game-header.parser.js';
import { fullName, jerseyNumber, personNameI18n, position, seconds } from './nhl-values.js';
import { localizedText, minutesSeconds, periodDescriptor, webGame } from './nhl-web.schema.js';
import { goalStrength, parseSituationCode } from './situation-code.js';

const playerId = z.int().positive().optional();

const playDetails = z.looseObject({
  eventOwnerTeamId: z.int().optional(),
  xCoord: z.number().optional(),
  yCoord: z.number().optional(),
  scoringPlayerId: playerId,
  assist1PlayerId: playerId,
  assist2PlayerId: playerId,
  goalieInNetId: playerId,
  shootingPlayerId: playerId,
  blockingPlayerId: playerId,
  winningPlayerId: playerId,
  losingPlayerId: playerId,
  hittingPlayerId: playerId,
  hitteePlayerId: playerId,
  playerId,
  committedByPlayerId: playerId,
  drawnByPlayerId: playerId,
  servedByPlayerId: playerId,
  homeScore: z.int().min(0).optional(),
  awayScore: z.int().min(0).optional(),
  descKey: z.string().optional(),
  duration: z.int().min(0).optional(),
});
type PlayDetails = z.output<typeof playDetails>;

const play = z.looseObject({
  eventId: z.int(),
  sortOrder: z.int(),
  typeDescKey: z.string().min(1),
  /** Only up to 2023-24; newer plays carry the period in periodDescriptor alone. */
  period: z.int().min(1).optional(),
  periodDescriptor: periodDescriptor.optional(),
  timeInPeriod: minutesSeconds,
  situationCode: z.string().regex(/^[01]\d\d[01]$/, 'expected four digits: away goalie, away skaters, home skaters, home goalie').optional(),
  details: playDetails.optional(),
});
type Play = z.output<typeof play>;

const rosterSpot = z.looseObject({
  teamId: z.int(),
  playerId: z.int().positive(),
  firstName: localizedText,
  lastName: localizedText,
  sweaterNumber: z.int().optional(),
  positionCode: z.string().optional(),
  headshot: z.string().optional(),
});
type RosterSpot = z.output<typeof rosterSpot>;

const playByPlay = webGame.extend({
  plays: z.array(play),
  // A game far in the future has no rosters yet.
  rosterSpots: z.array(rosterSpot).default([]),
});
type PlayByPlay = z.output<typeof playByPlay>;

const EVENT_TYPES: Record<string, MatchEventType> = {
  goal: 'goal',
  penalty: 'penalty',
  'shot-on-goal': 'shot',
  'missed-shot': 'missed_shot',
  'failed-shot-attempt': 'missed_shot',
  'blocked-shot': 'blocked_shot',
  faceoff: 'faceoff',
  hit: 'hit',
  giveaway: 'giveaway',
  takeaway: 'takeaway',
  'period-start': 'period_start',
  'period-end': 'period_end',
  stoppage: 'stoppage',
};

/** In a shootout these are attempts, and a scored one does not change the game score. */
const SHOOTOUT_ATTEMPTS = new Set(['goal', 'shot-on-goal', 'missed-shot', 'failed-shot-attempt']);

/** Play fields that have a column; the others are kept raw in `details`. */
const MAPPED_PLAY_FIELDS = new Set(['eventId', 'sortOrder', 'period', 'periodDescriptor', 'timeInPeriod', 'timeRemaining', 'details']);

/** Who did it and to whom (primary and secondary person). */
function actors(typeDescKey: string, d: PlayDetails): [number | undefined, number | undefined] {
  switch (typeDescKey) {
    case 'goal':
      return [d.scoringPlayerId, d.goalieInNetId];
    case 'shot-on-goal':
    case 'missed-shot':
    case 'failed-shot-attempt':
      return [d.shootingPlayerId, d.goalieInNetId];
    case 'blocked-shot':
      return [d.shootingPlayerId, d.blockingPlayerId];
    case 'faceoff':
      return [d.winningPlayerId, d.losingPlayerId];
    case 'hit':
      return [d.hittingPlayerId, d.hitteePlayerId];
    case 'giveaway':
    case 'takeaway':
      return [d.playerId, undefined];
    case 'penalty':
      return [d.committedByPlayerId, undefined];
    default:
      return [undefined, undefined];
  }
}

const id = (value: number | undefined): string | null => (value === undefined ? null : String(value));

class GameReader {
  /** NHL team id -> our team key (the abbreviation). */
  private readonly teams: Map<number, string>;
  /** NHL player id -> NHL team id, from the rosters. */
  private readonly playerTeams: Map<number, number>;

  constructor(
    private readonly game: PlayByPlay,
    private readonly context: ParseContext,
  ) {
    this.teams = new Map([
      [game.homeTeam.id, game.homeTeam.abbrev],
      [game.awayTeam.id, game.awayTeam.abbrev],
    ]);
    this.playerTeams = new Map(game.rosterSpots.map((spot) => [spot.playerId, spot.teamId]));
  }

  team(nhlTeamId: number, field: string): string {
    const team = this.teams.get(nhlTeamId);
    if (team === undefined) {
      throw new ProviderDataError(
        this.context.path,
        field,
        `team ${nhlTeamId} is neither the home team (${this.game.homeTeam.id}) nor the away team (${this.game.awayTeam.id})`,
      );
    }
    return team;
  }

  person(spot: RosterSpot): PersonSnapshot {
    return {
      externalId: String(spot.playerId),
      firstName: spot.firstName.default,
      lastName: spot.lastName.default,
      fullName: fullName(spot.firstName.default, spot.lastName.default),
      nameI18n: personNameI18n(spot.firstName, spot.lastName),
      photoUrl: spot.headshot,
      role: 'player',
    };
  }

  lineup(spot: RosterSpot, index: number): LineupSnapshot {
    return {
      teamExternalId: this.team(spot.teamId, `rosterSpots[${index}].teamId`),
      personExternalId: String(spot.playerId),
      jerseyNumber: jerseyNumber(spot.sweaterNumber),
      position: position(spot.positionCode),
    };
  }

  /**
   * The team of a play. A blocked shot is the shooter's (its primary
   * person's): 2023-24 play-by-play gives the blocker's team as the owner,
   * 2024-25 the shooter's.
   */
  private eventTeam(play: Play, index: number): string | null {
    const d = play.details ?? {};
    const shooterTeam = play.typeDescKey === 'blocked-shot' && d.shootingPlayerId !== undefined ? this.playerTeams.get(d.shootingPlayerId) : undefined;
    const nhlTeamId = shooterTeam ?? d.eventOwnerTeamId;
    return nhlTeamId === undefined ? null : this.team(nhlTeamId, `plays[${index}].details.eventOwnerTeamId`);
  }

  event(play: Play, index: number): EventSnapshot {
    const field = `plays[${index}]`;
    const d = play.details ?? {};
    const period = play.periodDescriptor?.number ?? play.period;
    if (period === undefined) throw new ProviderDataError(this.context.path, field, 'no period: neither periodDescriptor.number nor period');
    const inShootout = play.periodDescriptor?.periodType === 'SO';
    const type: MatchEventType = inShootout && SHOOTOUT_ATTEMPTS.has(play.typeDescKey) ? 'shootout_attempt' : (EVENT_TYPES[play.typeDescKey] ?? 'other');
    const isGoal = type === 'goal';
    const isPenalty = type === 'penalty';
    const situation = play.situationCode === undefined ? undefined : parseSituationCode(play.situationCode);
    const scoredByHome = d.eventOwnerTeamId === this.game.homeTeam.id;
    const strength = isGoal && situation ? goalStrength(situation, scoredByHome) : undefined;
    const [primary, secondary] = actors(play.typeDescKey, d);
    const raw = Object.fromEntries(Object.entries(play).filter(([key]) => !MAPPED_PLAY_FIELDS.has(key)));
    return {
      externalId: `${this.game.id}:${play.eventId}`,
      sortOrder: play.sortOrder,
      type,
      period,
      clockSeconds: seconds(play.timeInPeriod),
      teamExternalId: this.eventTeam(play, index),
      primaryPersonExternalId: id(primary),
      secondaryPersonExternalId: id(secondary),
      assist1PersonExternalId: isGoal ? id(d.assist1PlayerId) : null,
      assist2PersonExternalId: isGoal ? id(d.assist2PlayerId) : null,
      strength: strength?.strength ?? null,
      emptyNet: strength?.emptyNet ?? false,
      homeScore: isGoal ? (d.homeScore ?? null) : null,
      awayScore: isGoal ? (d.awayScore ?? null) : null,
      infraction: isPenalty ? (d.descKey ?? null) : null,
      penaltyMinutes: isPenalty ? (d.duration ?? null) : null,
      servedByPersonExternalId: isPenalty ? id(d.servedByPlayerId) : null,
      drawnByPersonExternalId: isPenalty ? id(d.drawnByPlayerId) : null,
      shootoutScored: type === 'shootout_attempt' ? play.typeDescKey === 'goal' : null,
      x: d.xCoord ?? null,
      y: d.yCoord ?? null,
      description: null,
      details: { ...raw, ...(play.periodDescriptor?.periodType ? { periodType: play.periodDescriptor.periodType } : {}), ...d },
    };
  }
}

/**
 * `/v1/gamecenter/{id}/play-by-play`: the game, its rosters and every play,
 * in both the 2023-24 and the 2024-25 shapes.
 */
export function parseNhlPlayByPlay(body: unknown, context: ParseContext): GameSnapshot {
  const game = parseResponse(playByPlay, body, context.path);
  const reader = new GameReader(game, context);

  const seenEvents = new Map<number, number>();
  game.plays.forEach((play, index) => {
    const earlier = seenEvents.get(play.eventId);
    if (earlier !== undefined) {
      throw new ProviderDataError(context.path, `plays[${index}].eventId`, `event ${play.eventId} appears twice (also plays[${earlier}])`);
    }
    seenEvents.set(play.eventId, index);
  });

  const spots = [...new Map(game.rosterSpots.map((spot, index) => [spot.playerId, { spot, index }])).values()];
  // Event ids are not the order of play (2023020510's shootout starts with event 1054, its first
  // attempt is 187): sortOrder is.
  const events = game.plays
    .map((play, index) => ({ play, index }))
    .sort((a, b) => a.play.sortOrder - b.play.sortOrder)
    .map(({ play, index }) => reader.event(play, index));
  return {
    source: NHL_SOURCE,
    header: nhlGameHeader(game, context),
    persons: spots.map(({ spot }) => reader.person(spot)),
    lineups: spots.map(({ spot, index }) => reader.lineup(spot, index)),
    events,
  };
}
