import { z } from 'zod';
import type { GameType, MatchEventType, MatchStatus, Strength } from '@app/db';
import { parseResponse } from '../parse-response.js';
import { ProviderDataError } from '../provider.errors.js';
import type {
  BoxscoreSnapshot,
  EventSnapshot,
  GameHeader,
  GameSnapshot,
  LineupSnapshot,
  PersonSnapshot,
  PlayerMatchStatsSnapshot,
  TeamMatchStatsSnapshot,
  TeamSnapshot,
} from '../stats-provider.js';
import { NHL_SOURCE, type ParseContext, nhlSeason, nhlStage } from './nhl-game-header.parser.js';
import { canonicalTimeZone, fraction, jerseyNumber, position, seconds } from './nhl-values.js';
import { minutesSeconds } from './nhl-web.schema.js';

/*
 * The retired statsapi.web.nhl.com `/api/v1/game/{id}/feed/live` (until
 * 2022-23): game, rosters, plays with wall-clock times, linescore and
 * boxscore in one response, in a shape of its own. Ids of games, teams and
 * players are the NHL's, the same as api-web's.
 */

const int = z.int();
const count = z.int().min(0);
/** The feed writes some counts as floats (powerPlayGoals: 1.0) and percentages as strings ('47.8'). */
const looseNumber = z.union([z.number(), z.string().regex(/^-?\d*\.?\d+$/).transform(Number)]);

const statsTeam = z.looseObject({
  id: int,
  name: z.string(),
  abbreviation: z.string().min(1),
  teamName: z.string().optional(),
  locationName: z.string().optional(),
  venue: z.looseObject({ name: z.string(), city: z.string().optional(), timeZone: z.looseObject({ id: z.string() }).optional() }).optional(),
});

const statsPlayer = z.looseObject({
  id: z.int().positive(),
  fullName: z.string().min(1),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  birthDate: z.iso.date().optional(),
  nationality: z.string().length(3).optional(),
  /** `6' 3"` */
  height: z.string().optional(),
  /** pounds */
  weight: z.int().positive().optional(),
  shootsCatches: z.enum(['L', 'R']).optional(),
});

const playPlayer = z.looseObject({ player: z.looseObject({ id: z.int().positive() }), playerType: z.string() });

const statsPlay = z.looseObject({
  result: z.looseObject({
    eventTypeId: z.string().min(1),
    description: z.string().optional(),
    secondaryType: z.string().optional(),
    penaltyMinutes: count.optional(),
    strength: z.looseObject({ code: z.string() }).optional(),
    emptyNet: z.boolean().optional(),
  }),
  about: z.looseObject({
    eventIdx: count,
    eventId: int,
    period: z.int().min(1),
    periodType: z.string(),
    periodTime: minutesSeconds,
    dateTime: z.iso.datetime({ offset: true }),
    goals: z.looseObject({ away: count, home: count }),
  }),
  coordinates: z.looseObject({ x: z.number().optional(), y: z.number().optional() }).optional(),
  team: z.looseObject({ id: int }).optional(),
  players: z.array(playPlayer).default([]),
});
type StatsPlay = z.output<typeof statsPlay>;

const skaterStats = z.looseObject({
  goals: count,
  assists: count,
  shots: count,
  hits: count,
  penaltyMinutes: count,
  blocked: count,
  plusMinus: int,
  timeOnIce: minutesSeconds,
});
const goalieStats = z.looseObject({
  goals: count,
  assists: count,
  pim: count,
  saves: count,
  shots: count,
  savePercentage: looseNumber.optional(),
  timeOnIce: minutesSeconds,
});
const boxscorePlayer = z.looseObject({
  person: z.looseObject({ id: z.int().positive(), fullName: z.string() }),
  jerseyNumber: z.string().optional(),
  position: z.looseObject({ code: z.string() }).optional(),
  stats: z.looseObject({ skaterStats: skaterStats.optional(), goalieStats: goalieStats.optional() }),
});
const boxscoreTeam = z.looseObject({
  team: z.looseObject({ id: int }),
  teamStats: z.looseObject({
    teamSkaterStats: z.looseObject({
      goals: count,
      pim: count,
      shots: count,
      powerPlayGoals: looseNumber,
      powerPlayOpportunities: looseNumber,
      faceOffWinPercentage: looseNumber.optional(),
      blocked: count,
      takeaways: count,
      giveaways: count,
      hits: count,
    }),
  }),
  players: z.record(z.string(), boxscorePlayer),
  scratches: z.array(z.int()).default([]),
});

const feedLive = z.looseObject({
  gamePk: z.int().positive(),
  gameData: z.looseObject({
    game: z.looseObject({ season: z.string(), type: z.string() }),
    datetime: z.looseObject({ dateTime: z.iso.datetime({ offset: true }) }),
    status: z.looseObject({ codedGameState: z.string(), detailedState: z.string() }),
    teams: z.looseObject({ away: statsTeam, home: statsTeam }),
    players: z.record(z.string(), statsPlayer),
    venue: z.looseObject({ name: z.string() }).optional(),
  }),
  liveData: z.looseObject({
    plays: z.looseObject({ allPlays: z.array(statsPlay) }),
    linescore: z.looseObject({
      currentPeriod: z.int().min(0).optional(),
      /** 'mm:ss', 'END' or 'Final' */
      currentPeriodTimeRemaining: z.string().optional(),
      hasShootout: z.boolean().optional(),
      periods: z.array(z.looseObject({ periodType: z.string() })).default([]),
      intermissionInfo: z.looseObject({ inIntermission: z.boolean() }).optional(),
      teams: z.looseObject({ away: z.looseObject({ goals: count }), home: z.looseObject({ goals: count }) }),
    }),
    boxscore: z.looseObject({ teams: z.looseObject({ away: boxscoreTeam, home: boxscoreTeam }) }),
  }),
});
type FeedLive = z.output<typeof feedLive>;

const GAME_TYPES: Record<string, GameType> = { PR: 'preseason', R: 'regular', P: 'playoff' };

/** codedGameState: 1 scheduled, 2 pre-game, 3 in progress, 4 critical, 5 game over, 6-7 final, 8 time TBD, 9 postponed. */
const GAME_STATES: Record<string, MatchStatus> = {
  '1': 'scheduled',
  '2': 'scheduled',
  '3': 'live',
  '4': 'live',
  '5': 'finished',
  '6': 'finished',
  '7': 'finished',
  '8': 'scheduled',
  '9': 'postponed',
};

const EVENT_TYPES: Record<string, MatchEventType> = {
  GOAL: 'goal',
  PENALTY: 'penalty',
  SHOT: 'shot',
  MISSED_SHOT: 'missed_shot',
  BLOCKED_SHOT: 'blocked_shot',
  FACEOFF: 'faceoff',
  HIT: 'hit',
  GIVEAWAY: 'giveaway',
  TAKEAWAY: 'takeaway',
  PERIOD_START: 'period_start',
  PERIOD_END: 'period_end',
  STOP: 'stoppage',
};
const SHOOTOUT_ATTEMPTS = new Set(['GOAL', 'SHOT', 'MISSED_SHOT']);
const STRENGTHS: Record<string, Strength> = { EVEN: 'ev', PPG: 'pp', SHG: 'sh' };

/** `6' 3"` -> 191 (cm). */
function heightCm(height: string | undefined): number | undefined {
  const match = /^(\d+)' ?(\d+)"$/.exec(height ?? '');
  return match ? Math.round((Number(match[1]) * 12 + Number(match[2])) * 2.54) : undefined;
}

const poundsToKg = (pounds: number | undefined) => (pounds === undefined ? undefined : Math.round(pounds * 0.45359237));

/** 'Cross-checking', 'Holding the stick' -> 'cross-checking', 'holding-the-stick': the api-web descKey style. */
const infraction = (secondaryType: string | undefined) => (secondaryType ? secondaryType.toLowerCase().trim().replace(/\s+/g, '-') : null);

function team(feedTeam: z.output<typeof statsTeam>): TeamSnapshot {
  return { externalId: feedTeam.abbreviation, abbreviation: feedTeam.abbreviation, shortName: feedTeam.teamName, city: feedTeam.locationName };
}

function header(feed: FeedLive, context: ParseContext): GameHeader {
  const { gameData, liveData } = feed;
  const { linescore } = liveData;
  const season = nhlSeason(gameData.game.season, context, 'gameData.game.season');
  const gameType = GAME_TYPES[gameData.game.type];
  if (!gameType) throw new ProviderDataError(context.path, 'gameData.game.type', `game type ${JSON.stringify(gameData.game.type)} is not imported (PR, R, P)`);
  const status = GAME_STATES[gameData.status.codedGameState];
  if (!status) throw new ProviderDataError(context.path, 'gameData.status.codedGameState', `unknown state ${JSON.stringify(gameData.status.codedGameState)}`);
  const started = status === 'live' || status === 'finished';
  const finished = status === 'finished';
  const inIntermission = linescore.intermissionInfo?.inIntermission ?? false;
  const remaining = linescore.currentPeriodTimeRemaining ?? '';
  // 'Final' and 'END' mean the period's clock ran out; the feed has no running flag.
  const clockSeconds = /^\d{1,2}:\d{2}$/.test(remaining) ? seconds(remaining) : 0;
  const home = gameData.teams.home;
  const venue = gameData.venue?.name;
  const homeVenue = home.venue?.name === venue ? home.venue : undefined;
  return {
    externalId: String(feed.gamePk),
    season,
    stage: nhlStage(feed.gamePk, season, gameType),
    gameType,
    startsAt: new Date(gameData.datetime.dateTime).toISOString(),
    status,
    homeTeam: team(home),
    awayTeam: team(gameData.teams.away),
    arena: venue ? { externalId: venue, name: venue, city: homeVenue?.city, timeZone: canonicalTimeZone(homeVenue?.timeZone?.id) } : undefined,
    homeScore: linescore.teams.home.goals,
    awayScore: linescore.teams.away.goals,
    period: started && linescore.currentPeriod ? linescore.currentPeriod : null,
    clock: started
      ? { secondsRemaining: inIntermission ? 0 : clockSeconds, running: false, inIntermission, readAt: context.readAt }
      : { secondsRemaining: null, running: false, inIntermission: false, readAt: context.readAt },
    overtime: finished && !linescore.hasShootout && linescore.periods.some((period) => period.periodType === 'OVERTIME'),
    shootout: finished && (linescore.hasShootout ?? false),
  };
}

function person(player: z.output<typeof statsPlayer>): PersonSnapshot {
  return {
    externalId: String(player.id),
    firstName: player.firstName,
    lastName: player.lastName,
    fullName: player.fullName,
    birthDate: player.birthDate,
    nationality: player.nationality,
    heightCm: heightCm(player.height),
    weightKg: poundsToKg(player.weight),
    shootsCatches: player.shootsCatches,
    role: 'player',
  };
}

type Side = 'home' | 'away';

/** Who did it and to whom, by the feed's player roles. */
function actors(eventTypeId: string, first: (role: string) => string | null): [string | null, string | null] {
  switch (eventTypeId) {
    case 'GOAL':
      return [first('Scorer'), first('Goalie')];
    case 'SHOT':
    case 'MISSED_SHOT':
      return [first('Shooter'), first('Goalie')];
    case 'BLOCKED_SHOT':
      return [first('Shooter'), first('Blocker')];
    case 'FACEOFF':
      return [first('Winner'), first('Loser')];
    case 'HIT':
      return [first('Hitter'), first('Hittee')];
    case 'GIVEAWAY':
    case 'TAKEAWAY':
      return [first('PlayerID'), null];
    case 'PENALTY':
      return [first('PenaltyOn'), null];
    default:
      return [null, null];
  }
}

class FeedReader {
  private readonly teams: Map<number, string>;
  /** NHL player id -> our team key, from the boxscore. */
  private readonly playerTeams = new Map<number, string>();

  constructor(
    private readonly feed: FeedLive,
    private readonly context: ParseContext,
  ) {
    const { home, away } = feed.gameData.teams;
    this.teams = new Map([
      [home.id, home.abbreviation],
      [away.id, away.abbreviation],
    ]);
    for (const side of ['home', 'away'] as const) {
      const boxTeam = feed.liveData.boxscore.teams[side];
      const teamKey = this.team(boxTeam.team.id, `liveData.boxscore.teams.${side}.team.id`);
      for (const player of Object.values(boxTeam.players)) this.playerTeams.set(player.person.id, teamKey);
    }
  }

  team(nhlTeamId: number, field: string): string {
    const teamKey = this.teams.get(nhlTeamId);
    if (teamKey === undefined) throw new ProviderDataError(this.context.path, field, `team ${nhlTeamId} is not one of the game's teams`);
    return teamKey;
  }

  lineups(side: Side): LineupSnapshot[] {
    const boxTeam = this.feed.liveData.boxscore.teams[side];
    const scratched = new Set(boxTeam.scratches);
    const teamExternalId = this.team(boxTeam.team.id, `liveData.boxscore.teams.${side}.team.id`);
    return Object.values(boxTeam.players).map((player) => ({
      teamExternalId,
      personExternalId: String(player.person.id),
      jerseyNumber: jerseyNumber(player.jerseyNumber),
      position: position(player.position?.code),
      scratched: scratched.has(player.person.id),
    }));
  }

  event(play: StatsPlay, index: number): EventSnapshot {
    const { result, about } = play;
    const inShootout = about.periodType === 'SHOOTOUT';
    const eventTypeId = result.eventTypeId;
    const type: MatchEventType = inShootout && SHOOTOUT_ATTEMPTS.has(eventTypeId) ? 'shootout_attempt' : (EVENT_TYPES[eventTypeId] ?? 'other');
    const byRole = (role: string) => play.players.filter((player) => player.playerType === role).map((player) => String(player.player.id));
    const first = (role: string) => byRole(role)[0] ?? null;
    const isGoal = type === 'goal';
    const isPenalty = type === 'penalty';
    const [primary, secondary] = actors(eventTypeId, first);
    const assists = byRole('Assist');
    // As in api-web's 2024-25 shape, a blocked shot is the shooter's team's (the feed gives the blocker's).
    const shooterTeam = eventTypeId === 'BLOCKED_SHOT' && primary ? this.playerTeams.get(Number(primary)) : undefined;
    return {
      externalId: `${this.feed.gamePk}:${about.eventId}`,
      // eventIdx is the order of play; the array is in wall-clock order, which puts a
      // 'Goalie Stopped' before the shot it stopped when both share a second.
      sortOrder: about.eventIdx,
      type,
      period: about.period,
      clockSeconds: seconds(about.periodTime),
      teamExternalId: shooterTeam ?? (play.team ? this.team(play.team.id, `liveData.plays.allPlays[${index}].team.id`) : null),
      primaryPersonExternalId: primary,
      secondaryPersonExternalId: secondary,
      assist1PersonExternalId: isGoal ? (assists[0] ?? null) : null,
      assist2PersonExternalId: isGoal ? (assists[1] ?? null) : null,
      strength: isGoal ? (STRENGTHS[result.strength?.code ?? ''] ?? null) : null,
      emptyNet: isGoal && (result.emptyNet ?? false),
      homeScore: isGoal ? about.goals.home : null,
      awayScore: isGoal ? about.goals.away : null,
      infraction: isPenalty ? infraction(result.secondaryType) : null,
      penaltyMinutes: isPenalty ? (result.penaltyMinutes ?? null) : null,
      servedByPersonExternalId: isPenalty ? first('ServedBy') : null,
      drawnByPersonExternalId: isPenalty ? first('DrewBy') : null,
      shootoutScored: type === 'shootout_attempt' ? eventTypeId === 'GOAL' : null,
      x: play.coordinates?.x ?? null,
      y: play.coordinates?.y ?? null,
      description: result.description ?? null,
      // The wall clock (dateTime) has no column: it stays here with the feed's raw result.
      details: { ...result, periodType: about.periodType, dateTime: about.dateTime },
    };
  }

  teamStats(side: Side): TeamMatchStatsSnapshot {
    const boxTeam = this.feed.liveData.boxscore.teams[side];
    const figures = boxTeam.teamStats.teamSkaterStats;
    return {
      teamExternalId: this.team(boxTeam.team.id, `liveData.boxscore.teams.${side}.team.id`),
      goals: figures.goals,
      shots: figures.shots,
      hits: figures.hits,
      blockedShots: figures.blocked,
      pim: figures.pim,
      powerplay: `${Math.round(figures.powerPlayGoals)}/${Math.round(figures.powerPlayOpportunities)}`,
      faceoffWinPct: figures.faceOffWinPercentage === undefined ? null : fraction(figures.faceOffWinPercentage),
      giveaways: figures.giveaways,
      takeaways: figures.takeaways,
      stats: figures,
    };
  }

  playerStats(side: Side): PlayerMatchStatsSnapshot[] {
    const boxTeam = this.feed.liveData.boxscore.teams[side];
    const teamExternalId = this.team(boxTeam.team.id, `liveData.boxscore.teams.${side}.team.id`);
    // Scratched players have no stats.
    return Object.values(boxTeam.players).flatMap((player): PlayerMatchStatsSnapshot[] => {
      const ref = { externalId: String(player.person.id), displayName: player.person.fullName };
      const { skaterStats: skater, goalieStats: goalie } = player.stats;
      if (skater) {
        return [
          {
            teamExternalId,
            person: ref,
            goals: skater.goals,
            assists: skater.assists,
            points: skater.goals + skater.assists,
            plusMinus: skater.plusMinus,
            pim: skater.penaltyMinutes,
            shots: skater.shots,
            hits: skater.hits,
            blockedShots: skater.blocked,
            toiSeconds: seconds(skater.timeOnIce),
            saves: null,
            shotsAgainst: null,
            savePct: null,
            stats: skater,
          },
        ];
      }
      if (goalie) {
        return [
          {
            teamExternalId,
            person: ref,
            goals: goalie.goals,
            assists: goalie.assists,
            points: goalie.goals + goalie.assists,
            pim: goalie.pim,
            toiSeconds: seconds(goalie.timeOnIce),
            saves: goalie.saves,
            shotsAgainst: goalie.shots,
            // A percentage here (86.95...), a fraction in our column.
            savePct: goalie.shots > 0 ? fraction(goalie.savePercentage ?? null) : null,
            stats: goalie,
          },
        ];
      }
      return [];
    });
  }
}

/** The statsapi game feed as a game (plays, lineups) and its boxscore. */
export function parseNhlStatsapiGame(body: unknown, context: ParseContext): { game: GameSnapshot; boxscore: BoxscoreSnapshot } {
  const feed = parseResponse(feedLive, body, context.path);
  const reader = new FeedReader(feed, context);
  const gameHeader = header(feed, context);
  const seen = new Map<number, number>();
  feed.liveData.plays.allPlays.forEach((play, index) => {
    const earlier = seen.get(play.about.eventId);
    if (earlier !== undefined) {
      throw new ProviderDataError(context.path, `liveData.plays.allPlays[${index}].about.eventId`, `event ${play.about.eventId} appears twice (also allPlays[${earlier}])`);
    }
    seen.set(play.about.eventId, index);
  });
  const events = feed.liveData.plays.allPlays.map((play, index) => reader.event(play, index)).sort((a, b) => a.sortOrder - b.sortOrder);
  return {
    game: {
      source: NHL_SOURCE,
      header: gameHeader,
      persons: Object.values(feed.gameData.players).map(person),
      lineups: [...reader.lineups('home'), ...reader.lineups('away')],
      events,
    },
    boxscore: {
      source: NHL_SOURCE,
      header: gameHeader,
      teamStats: [reader.teamStats('home'), reader.teamStats('away')],
      playerStats: [...reader.playerStats('home'), ...reader.playerStats('away')],
    },
  };
}
