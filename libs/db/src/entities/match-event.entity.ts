import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Match } from './match.entity.js';
import { Person } from './person.entity.js';
import { ImportableEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

export const MATCH_EVENT_TYPES = [
  'goal',
  'penalty',
  'shot',
  'missed_shot',
  'blocked_shot',
  'save',
  'faceoff',
  'hit',
  'giveaway',
  'takeaway',
  'fight',
  'injury',
  'substitution',
  'goalie_change',
  'timeout',
  'period_start',
  'period_end',
  'shootout_attempt',
  'stoppage',
  'other',
] as const;
export type MatchEventType = (typeof MATCH_EVENT_TYPES)[number];

export const STRENGTHS = ['ev', 'pp', 'sh'] as const;
export type Strength = (typeof STRENGTHS)[number];

/**
 * A play-by-play event. Goal, penalty and shootout columns are NULL on other
 * types; whatever else a provider sends goes into `details`.
 * `externalId` must be unique per source across all matches: NHL event ids
 * are only unique within a game, so compose `<gameId>:<eventId>`.
 * Synced as `match_event`.
 */
@Entity('match_events')
export class MatchEvent extends ImportableEntity {
  @Column({ type: 'uuid' })
  matchId: string;

  @ManyToOne(() => Match, { nullable: false })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match>;

  @Column({ type: 'text' })
  type: MatchEventType;

  @Column({ type: 'integer' })
  period: number;

  /** Elapsed seconds in the period. */
  @Column({ type: 'integer', default: 0 })
  clockSeconds: number;

  /** The provider's order: breaks ties between events at the same second. */
  @Column({ type: 'integer', default: 0 })
  sortOrder: number;

  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @ManyToOne(() => Team, { nullable: true })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team> | null;

  /** Who did it: scorer, shooter, penalized player, faceoff winner, hitter... */
  @Column({ type: 'uuid', nullable: true })
  primaryPersonId: string | null;

  @ManyToOne(() => Person, { nullable: true })
  @JoinColumn({ name: 'primary_person_id' })
  primaryPerson: Relation<Person> | null;

  /** To whom: goalie in net, faceoff loser, player hit, shot blocker, fight opponent... */
  @Column({ type: 'uuid', nullable: true })
  secondaryPersonId: string | null;

  @ManyToOne(() => Person, { nullable: true })
  @JoinColumn({ name: 'secondary_person_id' })
  secondaryPerson: Relation<Person> | null;

  // Goals

  @Column({ type: 'uuid', nullable: true })
  assist1PersonId: string | null;

  @ManyToOne(() => Person, { nullable: true })
  @JoinColumn({ name: 'assist1_person_id' })
  assist1Person: Relation<Person> | null;

  @Column({ type: 'uuid', nullable: true })
  assist2PersonId: string | null;

  @ManyToOne(() => Person, { nullable: true })
  @JoinColumn({ name: 'assist2_person_id' })
  assist2Person: Relation<Person> | null;

  @Column({ type: 'text', nullable: true })
  strength: Strength | null;

  @Column({ type: 'boolean', default: false })
  emptyNet: boolean;

  /** Score after the goal. */
  @Column({ type: 'integer', nullable: true })
  homeScore: number | null;

  @Column({ type: 'integer', nullable: true })
  awayScore: number | null;

  // Penalties

  @Column({ type: 'text', nullable: true })
  infraction: string | null;

  @Column({ type: 'integer', nullable: true })
  penaltyMinutes: number | null;

  @Column({ type: 'uuid', nullable: true })
  servedByPersonId: string | null;

  @ManyToOne(() => Person, { nullable: true })
  @JoinColumn({ name: 'served_by_person_id' })
  servedByPerson: Relation<Person> | null;

  @Column({ type: 'uuid', nullable: true })
  drawnByPersonId: string | null;

  @ManyToOne(() => Person, { nullable: true })
  @JoinColumn({ name: 'drawn_by_person_id' })
  drawnByPerson: Relation<Person> | null;

  // Shootouts

  @Column({ type: 'boolean', nullable: true })
  shootoutScored: boolean | null;

  /** Feet from centre ice, NHL convention: x -100..100 along the rink, y -42.5..42.5 across. */
  @Column({ type: 'double precision', nullable: true })
  x: number | null;

  @Column({ type: 'double precision', nullable: true })
  y: number | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
