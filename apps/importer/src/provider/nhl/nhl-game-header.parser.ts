import type { GameType, MatchStatus } from '@app/db';
import { ProviderDataError } from '../provider.errors.js';
import type { ArenaSnapshot, GameClock, GameHeader, SeasonSnapshot, StageSnapshot, TeamSnapshot, TournamentSnapshot } from '../stats-provider.js';
import { canonicalTimeZone, translations } from './nhl-values.js';
import type { WebGame, WebTeam } from './nhl-web.schema.js';

export const NHL_SOURCE = 'nhl';

/** The ids below are those the demo seed (tools/stack/src/demo-seed.ts) wrote: both land on the same rows. */
export const NHL_TOURNAMENT: TournamentSnapshot = { externalId: 'NHL', name: 'National Hockey League', shortName: 'NHL' };

/** Where a response came from (for error messages) and when it was read (for running clocks). */
export interface ParseContext {
  path: string;
  readAt: string;
}

/** 20242025 -> the season '2024-25'. */
export function nhlSeason(season: number | string, context: ParseContext, field: string): SeasonSnapshot {
  const id = String(season);
  const match = /^(\d{4})(\d{4})$/.exec(id);
  if (!match || Number(match[2]) !== Number(match[1]) + 1) {
    throw new ProviderDataError(context.path, field, `not an NHL season id: ${JSON.stringify(season)}`);
  }
  return { externalId: id, tournament: NHL_TOURNAMENT, name: `${match[1]}-${match[2].slice(2)}` };
}

const GAME_TYPES: Record<number, GameType> = { 1: 'preseason', 2: 'regular', 3: 'playoff' };

/** All-Star games (4) and international tournaments (9, 19...) have no place in the model. */
export const isImportedGameType = (gameType: number): boolean => gameType in GAME_TYPES;

export function nhlGameType(gameType: number, context: ParseContext, field: string): GameType {
  const type = GAME_TYPES[gameType];
  if (!type) throw new ProviderDataError(context.path, field, `game type ${gameType} is not imported (1 preseason, 2 regular, 3 playoff)`);
  return type;
}

const PLAYOFF_ROUNDS: Record<number, string> = { 1: 'First Round', 2: 'Second Round', 3: 'Conference Finals', 4: 'Stanley Cup Final' };

/**
 * The stage of a game. The NHL has no stage ids: the regular season is keyed
 * by season, a playoff round by the round digit of the game id
 * (2022030236: season 2022, type 03, round 2, series 3, game 6).
 */
export function nhlStage(gameId: number, season: SeasonSnapshot, gameType: GameType): StageSnapshot | null {
  if (gameType === 'regular') {
    return { externalId: `${season.externalId}:regular`, kind: 'regular', name: 'Regular Season', sortOrder: 0, parentExternalId: null };
  }
  if (gameType === 'playoff') {
    const round = Number(String(gameId).slice(7, 8));
    return {
      externalId: `${season.externalId}:playoff:${round}`,
      kind: 'playoff_round',
      name: PLAYOFF_ROUNDS[round] ?? `Round ${round}`,
      sortOrder: round,
      parentExternalId: null,
    };
  }
  return null;
}

const GAME_STATES: Record<string, MatchStatus> = {
  FUT: 'scheduled',
  PRE: 'scheduled',
  LIVE: 'live',
  CRIT: 'live', // the last minutes of a close game
  FINAL: 'finished',
  OFF: 'finished', // final and official
};

/** gameScheduleState overrides gameState: a postponed game stays 'FUT'. */
export function nhlStatus(gameState: string, gameScheduleState: string | undefined, context: ParseContext, field: string): MatchStatus {
  if (gameScheduleState === 'PPD' || gameScheduleState === 'SUSP') return 'postponed';
  if (gameScheduleState === 'CNCL') return 'cancelled';
  const status = GAME_STATES[gameState];
  if (!status) throw new ProviderDataError(context.path, field, `unknown gameState ${JSON.stringify(gameState)}`);
  return status;
}

/**
 * Teams are keyed by abbreviation, the one key the standings share with the
 * games (they have no team id). The full name and the logo are left to the
 * standings: the game endpoints have only the common name, and logo URLs
 * that differ per endpoint ('SEA_light.svg', '..._light.svg?season=20252026').
 */
export function nhlTeam(team: WebTeam): TeamSnapshot {
  return {
    externalId: team.abbrev,
    abbreviation: team.abbrev,
    shortName: (team.commonName ?? team.name)?.default,
    city: team.placeName?.default,
  };
}

/** The NHL has no venue ids, only names: a renamed building is a new arena. */
export function nhlArena(game: WebGame): ArenaSnapshot | undefined {
  if (!game.venue) return undefined;
  return {
    externalId: game.venue.default,
    name: game.venue.default,
    nameI18n: translations(game.venue),
    city: game.venueLocation?.default,
    timeZone: canonicalTimeZone(game.venueTimezone),
  };
}

/**
 * In an intermission the NHL's clock counts the intermission down, not the
 * period: the game clock then stands at 0.
 */
function nhlClock(game: WebGame, started: boolean, readAt: string): GameClock | undefined {
  if (!game.clock) return undefined;
  if (!started) return { secondsRemaining: null, running: false, inIntermission: false, readAt };
  const { secondsRemaining, running, inIntermission } = game.clock;
  return { secondsRemaining: inIntermission ? 0 : secondsRemaining, running: running && !inIntermission, inIntermission, readAt };
}

export function nhlGameHeader(game: WebGame, context: ParseContext, field = ''): GameHeader {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  if (game.homeTeam.id === game.awayTeam.id) {
    throw new ProviderDataError(context.path, at('homeTeam.id'), `the home and away teams are the same team (${game.homeTeam.id})`);
  }
  const season = nhlSeason(game.season, context, at('season'));
  const gameType = nhlGameType(game.gameType, context, at('gameType'));
  const status = nhlStatus(game.gameState, game.gameScheduleState, context, at('gameState'));
  const started = status === 'live' || status === 'finished';
  const finished = status === 'finished';
  // The landing has no gameOutcome: the period a final game stopped in says the same.
  const lastPeriodType = game.gameOutcome?.lastPeriodType ?? (finished ? game.periodDescriptor?.periodType : undefined);
  return {
    externalId: String(game.id),
    season,
    stage: nhlStage(game.id, season, gameType),
    gameType,
    startsAt: new Date(game.startTimeUTC).toISOString(),
    status,
    homeTeam: nhlTeam(game.homeTeam),
    awayTeam: nhlTeam(game.awayTeam),
    arena: nhlArena(game),
    neutralSite: game.neutralSite,
    homeScore: game.homeTeam.score,
    awayScore: game.awayTeam.score,
    period: started ? game.periodDescriptor?.number : null,
    clock: nhlClock(game, started, context.readAt),
    overtime: finished && lastPeriodType === 'OT',
    shootout: finished && lastPeriodType === 'SO',
  };
}
