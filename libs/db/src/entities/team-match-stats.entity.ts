import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { numeric } from './numeric.transformer.js';
import { Match } from './match.entity.js';
import { SyncedEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

/** A team's figures in one match; unique (match, team). Synced as `team_match_stats`. */
@Entity('team_match_stats')
export class TeamMatchStats extends SyncedEntity {
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

  @Column({ type: 'integer', default: 0 })
  goals: number;

  @Column({ type: 'integer', default: 0 })
  shots: number;

  @Column({ type: 'integer', default: 0 })
  hits: number;

  @Column({ type: 'integer', default: 0 })
  blockedShots: number;

  /** Penalty minutes. */
  @Column({ type: 'integer', default: 0 })
  pim: number;

  /** Goals/opportunities: "1/3". */
  @Column({ type: 'text', nullable: true })
  powerplay: string | null;

  /** Fraction 0..1. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric })
  faceoffWinPct: number | null;

  @Column({ type: 'integer', default: 0 })
  giveaways: number;

  @Column({ type: 'integer', default: 0 })
  takeaways: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  stats: Record<string, unknown>;
}
