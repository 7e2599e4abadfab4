import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Season } from './season.entity.js';
import { ImportableEntity } from './synced.entity.js';

export const STAGE_KINDS = ['regular', 'conference', 'division', 'group', 'playoff_round'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/**
 * A part of a season that has its own matches or standings table: the
 * regular season, its conferences and divisions (children via `parent`), the
 * groups of a tournament, the rounds of the playoffs. Synced as `stage`.
 */
@Entity('stages')
export class Stage extends ImportableEntity {
  @Column({ type: 'uuid' })
  seasonId: string;

  @ManyToOne(() => Season, { nullable: false })
  @JoinColumn({ name: 'season_id' })
  season: Relation<Season>;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Stage, { nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent: Relation<Stage> | null;

  @Column({ type: 'text' })
  kind: StageKind;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  nameI18n: Record<string, string>;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;
}
