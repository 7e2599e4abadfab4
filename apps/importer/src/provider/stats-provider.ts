import type { GameType, Handedness, MatchEventType, MatchStatus, PersonRole, Position, StageKind, Strength } from '@app/db';

/**
 * The provider-neutral model of what a statistics provider says. Adapters
 * (provider/nhl/) turn responses into these snapshots; the import writer
 * (import/) turns snapshots into rows. A second provider is a second adapter:
 * neither the jobs nor the writer change.
 *
 * Conventions:
 *   - Every identity is the provider's own (`externalId`), a string, unique
 *     per `source` and kind of thing. References between snapshots use it too
 *     (`teamExternalId`, `personExternalId`), never database ids.
 *   - An optional field left `undefined` means "this response does not say":
 *     the writer keeps what the row already has (and uses a fallback when it
 *     creates the row). `null` means "the provider says there is none" and is
 *     written. Each adapter states only what it can state the same way every
 *     time, so that two endpoints never overwrite each other's values back
 *     and forth (see the NHL adapter for the cases).
 *   - Names come as the default plus translations by locale:
 *     `name: 'Montréal Canadiens', nameI18n: { fr: 'Canadiens de Montréal' }`.
 *   - Instants are ISO 8601 strings in UTC, dates `YYYY-MM-DD`.
 */

/**
 * The transport: fetches a provider path and returns the parsed JSON body.
 * Timeouts, rate limiting and retries live behind it (provider-http.client.ts);
 * it throws ProviderUnavailableError (5xx, timeouts), ProviderRateLimitedError
 * (429), ProviderNotFoundError (404: the NHL adapter then tries the game's
 * statsapi feed) and ProviderDataError for other refusals and bodies that are
 * not JSON (see provider.errors.ts).
 */
export interface ProviderHttpClient {
  getJson(path: string): Promise<unknown>;
}

export interface StatsProvider {
  /** Written to the `source` column of every row the provider identifies: 'nhl'. */
  readonly source: string;
  /** The games of a day (or of the provider's week containing it), headers only. */
  schedule(date: string): Promise<ScheduleSnapshot>;
  /** Today's games with their live score and clock: what a live poll reads first. */
  scoreboard(): Promise<ScheduleSnapshot>;
  /** Play-by-play and rosters of one game, live or final. */
  game(gameId: string): Promise<GameSnapshot>;
  /** Team and player statistics of one game. */
  boxscore(gameId: string): Promise<BoxscoreSnapshot>;
  /** The standings on a date (`YYYY-MM-DD`). */
  standings(date: string): Promise<StandingsSnapshot>;
  /** A team's roster for a season, by the team's code and the provider's season id. */
  roster(teamCode: string, season: string): Promise<RosterSnapshot>;
}

// ---------------------------------------------------------------------------
// Competition structure
// ---------------------------------------------------------------------------

export interface TournamentSnapshot {
  externalId: string;
  name: string;
  shortName?: string | null;
}

export interface SeasonSnapshot {
  externalId: string;
  tournament: TournamentSnapshot;
  /** As displayed: '2024-25'. */
  name: string;
  startsOn?: string | null;
  endsOn?: string | null;
}

/** A stage of the season of the snapshot that names it (a game's, the standings'). */
export interface StageSnapshot {
  externalId: string;
  kind: StageKind;
  name: string;
  sortOrder: number;
  /** The parent stage (a division's conference), named earlier in the same list. */
  parentExternalId: string | null;
}

// ---------------------------------------------------------------------------
// Places, teams, people
// ---------------------------------------------------------------------------

export interface ArenaSnapshot {
  externalId: string;
  name: string;
  nameI18n?: Record<string, string>;
  city?: string | null;
  /** IANA name, canonical ('America/New_York', not 'US/Eastern'). */
  timeZone?: string | null;
}

export interface TeamSnapshot {
  externalId: string;
  abbreviation?: string | null;
  /** The full name, 'Seattle Kraken'. */
  name?: string;
  nameI18n?: Record<string, string>;
  /** 'Kraken' */
  shortName?: string | null;
  /** 'Seattle' */
  city?: string | null;
  logoUrl?: string | null;
}

export interface PersonSnapshot {
  externalId: string;
  fullName: string;
  firstName?: string | null;
  lastName?: string | null;
  nameI18n?: Record<string, string>;
  birthDate?: string | null;
  /** ISO 3166-1 alpha-3 */
  nationality?: string | null;
  heightCm?: number | null;
  weightKg?: number | null;
  shootsCatches?: Handedness | null;
  photoUrl?: string | null;
  role?: PersonRole;
}

/**
 * A person named only in passing (a boxscore line: 'B. Brink'). The writer
 * creates the person from it when unknown and never overwrites a person with it.
 */
export interface PersonRef {
  externalId: string;
  displayName: string;
}

// ---------------------------------------------------------------------------
// Games
// ---------------------------------------------------------------------------

export interface GameClock {
  /** Game clock of the current period; NULL before the start. In an intermission: 0. */
  secondsRemaining: number | null;
  running: boolean;
  inIntermission: boolean;
  /** When the provider's response was read: clients run a running clock from here. */
  readAt: string;
}

/** A match as a schedule, a scoreboard or a game's own response describes it. */
export interface GameHeader {
  externalId: string;
  season: SeasonSnapshot;
  /** The regular season or the playoff round; null for games outside any (preseason). */
  stage: StageSnapshot | null;
  gameType: GameType;
  startsAt: string;
  status: MatchStatus;
  homeTeam: TeamSnapshot;
  awayTeam: TeamSnapshot;
  arena?: ArenaSnapshot | null;
  /** A neutral-site game does not tell where the home team plays. */
  neutralSite?: boolean;
  /** The score including a shootout's deciding goal, as the result counts it. */
  homeScore?: number;
  awayScore?: number;
  /** 1-3 regulation, 4+ overtime (and the shootout); null before the start. */
  period?: number | null;
  clock?: GameClock;
  /** Decided in overtime / in a shootout (false until the game is final). */
  overtime?: boolean;
  shootout?: boolean;
}

export interface LineupSnapshot {
  teamExternalId: string;
  personExternalId: string;
  jerseyNumber?: number | null;
  position?: Position | null;
  scratched?: boolean;
}

/**
 * A play. Person fields hold the provider's person ids; an id the writer
 * cannot resolve is written as NULL (the raw details keep it).
 */
export interface EventSnapshot {
  /** Unique per source across all games: '<gameId>:<eventId>'. */
  externalId: string;
  /** The provider's order of play (not its event ids, which are not chronological). */
  sortOrder: number;
  type: MatchEventType;
  period: number;
  /** Elapsed in the period. */
  clockSeconds: number;
  teamExternalId: string | null;
  /** Who did it: scorer, shooter, penalized player, faceoff winner, hitter. */
  primaryPersonExternalId: string | null;
  /** To whom: goalie in net, faceoff loser, player hit, shot blocker. */
  secondaryPersonExternalId: string | null;
  assist1PersonExternalId: string | null;
  assist2PersonExternalId: string | null;
  /** Goals: from the scoring team's point of view. */
  strength: Strength | null;
  emptyNet: boolean;
  /** Goals: the score after it. Null for shootout attempts, which do not change the score. */
  homeScore: number | null;
  awayScore: number | null;
  infraction: string | null;
  penaltyMinutes: number | null;
  servedByPersonExternalId: string | null;
  drawnByPersonExternalId: string | null;
  /** Shootout attempts only. */
  shootoutScored: boolean | null;
  x: number | null;
  y: number | null;
  description: string | null;
  /** The provider's raw fields of the play. */
  details: Record<string, unknown>;
}

export interface GameSnapshot {
  source: string;
  header: GameHeader;
  /** Everyone the lineups name. */
  persons: PersonSnapshot[];
  lineups: LineupSnapshot[];
  /**
   * Every play the provider has for the game so far, in sortOrder. A play
   * missing from a later snapshot was withdrawn by the provider.
   */
  events: EventSnapshot[];
}

// ---------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------

export interface TeamMatchStatsSnapshot {
  teamExternalId: string;
  goals?: number;
  shots?: number;
  hits?: number;
  blockedShots?: number;
  pim?: number;
  /** Goals/opportunities: '1/3'. */
  powerplay?: string | null;
  /** Fraction 0..1. */
  faceoffWinPct?: number | null;
  giveaways?: number;
  takeaways?: number;
  /** The provider's raw figures. */
  stats: Record<string, unknown>;
}

export interface PlayerMatchStatsSnapshot {
  teamExternalId: string;
  person: PersonRef;
  goals?: number;
  assists?: number;
  points?: number;
  plusMinus?: number;
  pim?: number;
  shots?: number;
  hits?: number;
  blockedShots?: number;
  toiSeconds?: number;
  /** Goalies only (null for skaters). */
  saves: number | null;
  shotsAgainst: number | null;
  /** Fraction 0..1. */
  savePct: number | null;
  stats: Record<string, unknown>;
}

export interface BoxscoreSnapshot {
  source: string;
  header: GameHeader;
  teamStats: TeamMatchStatsSnapshot[];
  playerStats: PlayerMatchStatsSnapshot[];
}

// ---------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------

/** Game headers: a schedule, a scoreboard, one game's summary. */
export interface ScheduleSnapshot {
  source: string;
  /** The seasons the games belong to, with their dates where the provider gives them. */
  seasons: SeasonSnapshot[];
  games: GameHeader[];
}

/** A team's line in one table: league-wide (stage null), its conference's or its division's. */
export interface StandingSnapshot {
  teamExternalId: string;
  stageExternalId: string | null;
  rank: number;
  gamesPlayed: number;
  wins: number;
  losses: number;
  otLosses: number;
  points: number;
  goalsFor: number;
  goalsAgainst: number;
  goalDifferential: number;
  /** Fraction 0..1; null before a team's first game. */
  pointsPct: number | null;
  /** 'W3' */
  streak: string | null;
  /** '6-3-1' */
  l10: string | null;
}

export interface StandingsSnapshot {
  source: string;
  season: SeasonSnapshot;
  /** The stages the rows name, parents first. */
  stages: StageSnapshot[];
  teams: TeamSnapshot[];
  rows: StandingSnapshot[];
}

export interface RosterEntrySnapshot {
  personExternalId: string;
  jerseyNumber: number | null;
  position: Position | null;
}

/** A team's whole roster: a player missing from it is no longer on the team. */
export interface RosterSnapshot {
  source: string;
  season: SeasonSnapshot;
  team: TeamSnapshot;
  persons: PersonSnapshot[];
  entries: RosterEntrySnapshot[];
}
