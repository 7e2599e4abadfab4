import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { numeric } from './numeric.transformer.js';
import { Season } from './season.entity.js';
import { Stage } from './stage.entity.js';
import { SyncedEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

/**
 * A team's line in a standings table; unique (season, stage, team) with NULL
 * stage counting as one value (the league-wide table). Synced as `standing`.
 */
@Entity('standings')
export class Standing extends SyncedEntity {
  @Column({ type: 'uuid' })
  seasonId: string;

  @ManyToOne(() => Season, { nullable: false })
  @JoinColumn({ name: 'season_id' })
  season: Relation<Season>;

  /** NULL: the whole season's (league-wide) table. */
  @Column({ type: 'uuid', nullable: true })
  stageId: string | null;

  @ManyToOne(() => Stage, { nullable: true })
  @JoinColumn({ name: 'stage_id' })
  stage: Relation<Stage> | null;

  @Column({ type: 'uuid' })
  teamId: string;

  @ManyToOne(() => Team, { nullable: false })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team>;

  /** Position in the table, from 1. */
  @Column({ type: 'integer' })
  rank: number;

  @Column({ type: 'integer', default: 0 })
  gamesPlayed: number;

  @Column({ type: 'integer', default: 0 })
  wins: number;

  @Column({ type: 'integer', default: 0 })
  losses: number;

  @Column({ type: 'integer', default: 0 })
  otLosses: number;

  @Column({ type: 'integer', default: 0 })
  points: number;

  @Column({ type: 'integer', default: 0 })
  goalsFor: number;

  @Column({ type: 'integer', default: 0 })
  goalsAgainst: number;

  /** A plain column (not generated): the writer fills it. */
  @Column({ type: 'integer', default: 0 })
  goalDifferential: number;

  /** Fraction 0..1. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  pointsPct: number | null;

  /** "W3" */
  @Column({ type: 'text', nullable: true })
  streak: string | null;

  /** Record in the last ten games: "6-3-1" */
  @Column({ type: 'text', nullable: true })
  l10: string | null;
}
