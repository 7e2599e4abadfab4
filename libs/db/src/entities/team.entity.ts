import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Arena } from './arena.entity.js';
import { ImportableEntity } from './synced.entity.js';

/** Synced as `team`. */
@Entity('teams')
export class Team extends ImportableEntity {
  /** "Seattle Kraken" */
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  nameI18n: Record<string, string>;

  /** "Kraken" */
  @Column({ type: 'text', nullable: true })
  shortName: string | null;

  /** "SEA" (not unique: reused across leagues and eras). */
  @Column({ type: 'text', nullable: true })
  abbreviation: string | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  logoUrl: string | null;

  /** "#RRGGBB" */
  @Column({ type: 'text', nullable: true })
  primaryColor: string | null;

  /** "#RRGGBB" */
  @Column({ type: 'text', nullable: true })
  secondaryColor: string | null;

  /** Home arena. */
  @Column({ type: 'uuid', nullable: true })
  arenaId: string | null;

  @ManyToOne(() => Arena, { nullable: true })
  @JoinColumn({ name: 'arena_id' })
  arena: Relation<Arena> | null;
}
