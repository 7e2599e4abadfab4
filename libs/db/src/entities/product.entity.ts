import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Match } from './match.entity.js';
import { Season } from './season.entity.js';
import { PrivateEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

export const PRODUCT_KINDS = ['match', 'season', 'team'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/**
 * Something that can be bought. The database checks that each kind names
 * what it unlocks: `match` needs a match; `season` a season and nothing else;
 * `team` a team (and optionally a season), no match. Private.
 */
@Entity('products')
export class Product extends PrivateEntity {
  /** The store product id; unique. */
  @Column({ type: 'text' })
  sku: string;

  @Column({ type: 'text' })
  kind: ProductKind;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'uuid', nullable: true })
  seasonId: string | null;

  @ManyToOne(() => Season, { nullable: true })
  @JoinColumn({ name: 'season_id' })
  season: Relation<Season> | null;

  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @ManyToOne(() => Team, { nullable: true })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team> | null;

  @Column({ type: 'uuid', nullable: true })
  matchId: string | null;

  @ManyToOne(() => Match, { nullable: true })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match> | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
