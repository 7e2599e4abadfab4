import type { PushKind } from '@app/db';

export interface TeamNames {
  abbreviation: string;
  name: string;
}

/** What a match notification's text is made of, read when its hold-back ends. */
export interface MatchPushContext {
  kind: Exclude<PushKind, 'announcement'>;
  home: TeamNames;
  away: TeamNames;
  homeScore: number;
  awayScore: number;
  period: number | null;
  overtime: boolean;
  shootout: boolean;
  /** The event's team (goal, penalty). */
  team: TeamNames | null;
  /** Elapsed in the period, seconds. */
  clockSeconds: number | null;
  scorer: string | null;
  assists: string[];
  strength: 'ev' | 'pp' | 'sh' | null;
  emptyNet: boolean;
  penaltyMinutes: number | null;
  infraction: string | null;
  videoTitle: string | null;
}

export interface LocalizedText {
  title: string;
  body: string;
}
