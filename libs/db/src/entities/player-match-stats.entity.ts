import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { numeric } from './numeric.transformer.js';
import { Match } from './match.entity.js';
import { Person } from './person.entity.js';
import { SyncedEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

/** A player's figures in one match; unique (match, person). Synced as `player_match_stats`. */
@Entity('player_match_stats')
export class PlayerMatchStats extends SyncedEntity {
  @Column({ type: 'uuid' })
  matchId: string;

  @ManyToOne(() => Match, { nullable: false })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match>;

  @Column({ type: 'uuid' })
  teamId: string;

  @ManyToOne(() => Team, { nullable: false })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team>;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { nullable: false })
  @JoinColumn({ name: 'person_id' })
  person: Relation<Person>;

  @Column({ type: 'integer', default: 0 })
  goals: number;

  @Column({ type: 'integer', default: 0 })
  assists: number;

  @Column({ type: 'integer', default: 0 })
  points: number;

  @Column({ type: 'integer', default: 0 })
  plusMinus: number;

  @Column({ type: 'integer', default: 0 })
  pim: number;

  @Column({ type: 'integer', default: 0 })
  shots: number;

  @Column({ type: 'integer', default: 0 })
  hits: number;

  @Column({ type: 'integer', default: 0 })
  blockedShots: number;

  @Column({ type: 'integer', default: 0 })
  toiSeconds: number;

  // Goalies only (NULL for skaters)

  @Column({ type: 'integer', nullable: true })
  saves: number | null;

  @Column({ type: 'integer', nullable: true })
  shotsAgainst: number | null;

  /** Fraction 0..1. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  savePct: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  stats: Record<string, unknown>;
}
