import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { numeric } from './numeric.transformer.js';
import type { GameType } from './match.entity.js';
import { Person } from './person.entity.js';
import { Season } from './season.entity.js';
import { SyncedEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

/**
 * A player's totals for a season; unique (season, person, team, game type),
 * NULL team counting as one value. Synced as `player_season_stats`.
 */
@Entity('player_season_stats')
export class PlayerSeasonStats extends SyncedEntity {
  @Column({ type: 'uuid' })
  seasonId: string;

  @ManyToOne(() => Season, { nullable: false })
  @JoinColumn({ name: 'season_id' })
  season: Relation<Season>;

  /** NULL: totals over all the teams the player played for that season. */
  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @ManyToOne(() => Team, { nullable: true })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team> | null;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { nullable: false })
  @JoinColumn({ name: 'person_id' })
  person: Relation<Person>;

  @Column({ type: 'text', default: 'regular' })
  gameType: GameType;

  @Column({ type: 'integer', default: 0 })
  gamesPlayed: number;

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

  /** Total time on ice. */
  @Column({ type: 'integer', default: 0 })
  toiSeconds: number;

  // Goalies only (NULL for skaters)

  @Column({ type: 'integer', nullable: true })
  wins: number | null;

  @Column({ type: 'integer', nullable: true })
  losses: number | null;

  @Column({ type: 'integer', nullable: true })
  otLosses: number | null;

  /** Fraction 0..1. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  savePct: number | null;

  /** Goals against average. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  gaa: number | null;

  @Column({ type: 'integer', nullable: true })
  shutouts: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  stats: Record<string, unknown>;
}
