import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { numeric } from './numeric.transformer.js';
import type { GameType } from './match.entity.js';
import { Season } from './season.entity.js';
import { SyncedEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

/** A team's totals for a season; unique (season, team, game type). Synced as `team_season_stats`. */
@Entity('team_season_stats')
export class TeamSeasonStats extends SyncedEntity {
  @Column({ type: 'uuid' })
  seasonId: string;

  @ManyToOne(() => Season, { nullable: false })
  @JoinColumn({ name: 'season_id' })
  season: Relation<Season>;

  @Column({ type: 'uuid' })
  teamId: string;

  @ManyToOne(() => Team, { nullable: false })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team>;

  /** Regular-season and playoff figures are kept apart. */
  @Column({ type: 'text', default: 'regular' })
  gameType: GameType;

  @Column({ type: 'integer', default: 0 })
  gamesPlayed: number;

  @Column({ type: 'integer', default: 0 })
  goalsFor: number;

  @Column({ type: 'integer', default: 0 })
  goalsAgainst: number;

  @Column({ type: 'integer', default: 0 })
  shotsFor: number;

  @Column({ type: 'integer', default: 0 })
  shotsAgainst: number;

  /** Fraction 0..1. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  ppPct: number | null;

  /** Fraction 0..1. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  pkPct: number | null;

  /** Fraction 0..1. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  faceoffPct: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  stats: Record<string, unknown>;
}
