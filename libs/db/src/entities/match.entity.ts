import { Column, Entity, JoinColumn, ManyToOne, VersionColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Arena } from './arena.entity.js';
import { Season } from './season.entity.js';
import { Stage } from './stage.entity.js';
import { ImportableEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

export const MATCH_STATUSES = ['scheduled', 'live', 'finished', 'postponed', 'cancelled'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export const GAME_TYPES = ['regular', 'playoff', 'preseason'] as const;
export type GameType = (typeof GAME_TYPES)[number];

/** Synced as `match`. */
@Entity('matches')
export class Match extends ImportableEntity {
  @Column({ type: 'uuid' })
  seasonId: string;

  @ManyToOne(() => Season, { nullable: false })
  @JoinColumn({ name: 'season_id' })
  season: Relation<Season>;

  @Column({ type: 'uuid', nullable: true })
  stageId: string | null;

  @ManyToOne(() => Stage, { nullable: true })
  @JoinColumn({ name: 'stage_id' })
  stage: Relation<Stage> | null;

  @Column({ type: 'uuid' })
  homeTeamId: string;

  @ManyToOne(() => Team, { nullable: false })
  @JoinColumn({ name: 'home_team_id' })
  homeTeam: Relation<Team>;

  @Column({ type: 'uuid' })
  awayTeamId: string;

  @ManyToOne(() => Team, { nullable: false })
  @JoinColumn({ name: 'away_team_id' })
  awayTeam: Relation<Team>;

  @Column({ type: 'uuid', nullable: true })
  arenaId: string | null;

  @ManyToOne(() => Arena, { nullable: true })
  @JoinColumn({ name: 'arena_id' })
  arena: Relation<Arena> | null;

  /** Free-text venue for places without an arena row (neutral sites, outdoor games). */
  @Column({ type: 'text', nullable: true })
  venue: string | null;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'text', default: 'scheduled' })
  status: MatchStatus;

  @Column({ type: 'text', default: 'regular' })
  gameType: GameType;

  /** 1-3 regulation, 4+ overtime (and the NHL regular-season shootout); NULL before the start. */
  @Column({ type: 'integer', nullable: true })
  period: number | null;

  @Column({ type: 'integer', nullable: true })
  clockSecondsRemaining: number | null;

  @Column({ type: 'boolean', default: false })
  clockRunning: boolean;

  /** When `clockSecondsRemaining` was read: clients run a running clock from there. */
  @Column({ type: 'timestamptz', nullable: true })
  clockUpdatedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  inIntermission: boolean;

  @Column({ type: 'integer', default: 0 })
  homeScore: number;

  @Column({ type: 'integer', default: 0 })
  awayScore: number;

  /** Decided in overtime. */
  @Column({ type: 'boolean', default: false })
  overtime: boolean;

  /** Decided in a shootout. */
  @Column({ type: 'boolean', default: false })
  shootout: boolean;

  @Column({ type: 'integer', nullable: true })
  attendance: number | null;

  /**
   * Optimistic lock: TypeORM bumps it on every save, the live console in the
   * SQL of each command. Editors send the version they saw; a stale one is refused.
   */
  @VersionColumn()
  version: number;
}
