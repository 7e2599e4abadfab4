import type { GameType, MatchEventType, MatchStatus, Position, Strength } from '@app/db';

export interface ConsoleTeam {
  id: string;
  name: string;
  shortName: string | null;
  abbreviation: string | null;
}

export interface ConsoleMatch {
  id: string;
  seasonId: string;
  status: MatchStatus;
  gameType: GameType;
  homeTeam: ConsoleTeam;
  awayTeam: ConsoleTeam;
  homeScore: number;
  awayScore: number;
  period: number | null;
  /** As of `clockUpdatedAt`; a running clock has run down since. */
  clockSecondsRemaining: number | null;
  clockRunning: boolean;
  clockUpdatedAt: Date | null;
  inIntermission: boolean;
  /** Send it back as `expectedVersion` with the next command. */
  version: number;
}

/** Who may appear in the team's events: on its roster for the season, or in the match lineup. */
export interface ConsolePlayer {
  personId: string;
  fullName: string;
  jerseyNumber: number | null;
  position: Position | null;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface ConsoleEvent {
  id: string;
  type: MatchEventType;
  period: number;
  clockSeconds: number;
  sortOrder: number;
  teamId: string | null;
  primaryPerson: PersonRef | null;
  secondaryPerson: PersonRef | null;
  assist1Person: PersonRef | null;
  assist2Person: PersonRef | null;
  drawnByPerson: PersonRef | null;
  strength: Strength | null;
  emptyNet: boolean;
  /** Goals: the score after this goal. */
  homeScore: number | null;
  awayScore: number | null;
  infraction: string | null;
  penaltyMinutes: number | null;
  shootoutScored: boolean | null;
  description: string | null;
  /** NULL when an editor entered it, else the provider ('nhl'). */
  source: string | null;
}

export interface ConsoleCommentaryLine {
  id: string;
  period: number | null;
  clockSeconds: number | null;
  body: string;
  kind: string;
  postedAt: Date;
}

export interface ConsoleState {
  match: ConsoleMatch;
  rosters: { home: ConsolePlayer[]; away: ConsolePlayer[] };
  /** The latest visible events, latest first. */
  events: ConsoleEvent[];
  /** The latest visible commentary lines, latest first. */
  commentary: ConsoleCommentaryLine[];
}

export interface CommandResult {
  /** The match after the command, with its new version. */
  match: ConsoleMatch;
  /** The event, commentary line or video moment the command made or changed; null for clock commands. */
  recordId: string | null;
}
