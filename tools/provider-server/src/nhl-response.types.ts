/**
 * The NHL responses this server reads, only the fields it reads or rewrites.
 * Everything else in a file is passed through untouched, hence the index
 * signatures.
 */

export interface WebPeriodDescriptor {
  number?: number;
  periodType?: string; // 'REG' | 'OT' | 'SO'
  maxRegulationPeriods?: number;
}

/** A play of api-web.nhle.com's /v1/gamecenter/{id}/play-by-play. */
export interface WebPlay {
  sortOrder?: number;
  typeDescKey?: string;
  /** Only in the 2023-24 shape; newer files carry the period in periodDescriptor alone. */
  period?: number;
  periodDescriptor?: WebPeriodDescriptor;
  timeInPeriod?: string;
  timeRemaining?: string;
  details?: { eventOwnerTeamId?: number; awayScore?: number; homeScore?: number; [key: string]: unknown };
  [key: string]: unknown;
}

export interface WebTeam {
  id: number;
  abbrev?: string;
  name?: { default?: string };
  logo?: string;
  score?: number;
  sog?: number;
  [key: string]: unknown;
}

export interface WebClock {
  timeRemaining: string;
  secondsRemaining: number;
  running: boolean;
  inIntermission: boolean;
}

export interface WebPlayByPlay {
  id: number;
  season?: number;
  gameType?: number;
  gameDate?: string;
  startTimeUTC?: string;
  gameState?: string;
  period?: number;
  periodDescriptor?: WebPeriodDescriptor;
  clock?: WebClock;
  awayTeam: WebTeam;
  homeTeam: WebTeam;
  gameOutcome?: unknown;
  plays: WebPlay[];
  [key: string]: unknown;
}

/** /v1/score/now. */
export interface WebScoreboard {
  currentDate?: string;
  games: Array<{ id: number; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface WebSchedule {
  gameWeek: Array<{ date: string; games: unknown[]; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface WebStandings {
  standingsDateTimeUtc?: string;
  standings: Array<{ date?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** /v1/roster/{team}/{season}: players grouped by position. */
export interface WebRoster {
  forwards: Array<{ headshot?: string }>;
  defensemen: Array<{ headshot?: string }>;
  goalies: Array<{ headshot?: string }>;
}

/** A play of the retired statsapi.web.nhl.com's /api/v1/game/{id}/feed/live. */
export interface StatsPlay {
  result: { eventTypeId: string; [key: string]: unknown };
  about: {
    period: number;
    periodType?: string;
    ordinalNum?: string;
    periodTime?: string;
    periodTimeRemaining?: string;
    dateTime: string;
    goals: { away: number; home: number };
    [key: string]: unknown;
  };
  team?: { id: number; [key: string]: unknown };
  [key: string]: unknown;
}

export interface StatsLinescorePeriod {
  num: number;
  startTime?: string;
  endTime?: string;
  home: { goals: number; shotsOnGoal: number; [key: string]: unknown };
  away: { goals: number; shotsOnGoal: number; [key: string]: unknown };
  [key: string]: unknown;
}

export interface StatsLinescore {
  currentPeriod?: number;
  currentPeriodOrdinal?: string;
  currentPeriodTimeRemaining?: string;
  periods: StatsLinescorePeriod[];
  teams: {
    home: { goals: number; shotsOnGoal: number; [key: string]: unknown };
    away: { goals: number; shotsOnGoal: number; [key: string]: unknown };
  };
  intermissionInfo?: { intermissionTimeRemaining: number; intermissionTimeElapsed: number; inIntermission: boolean };
  [key: string]: unknown;
}

export interface StatsGameStatus {
  abstractGameState: string;
  codedGameState: string;
  detailedState: string;
  statusCode: string;
  [key: string]: unknown;
}

export interface StatsFeedLive {
  gamePk: number;
  gameData: {
    status: StatsGameStatus;
    datetime?: { dateTime?: string; endDateTime?: string };
    teams: { home: { id: number }; away: { id: number } };
    [key: string]: unknown;
  };
  liveData: {
    plays: {
      allPlays: StatsPlay[];
      scoringPlays: number[];
      penaltyPlays: number[];
      playsByPeriod: Array<{ startIndex: number; endIndex: number; plays: number[] }>;
      currentPlay?: StatsPlay;
    };
    linescore: StatsLinescore;
    decisions?: unknown;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}
