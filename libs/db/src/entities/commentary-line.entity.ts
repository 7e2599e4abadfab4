import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Match } from './match.entity.js';
import { ImportableEntity } from './synced.entity.js';

/** A line of live text commentary. Synced as `commentary_line`. */
@Entity('commentary_lines')
export class CommentaryLine extends ImportableEntity {
  @Column({ type: 'uuid' })
  matchId: string;

  @ManyToOne(() => Match, { nullable: false })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match>;

  /** NULL before and after the game. */
  @Column({ type: 'integer', nullable: true })
  period: number | null;

  @Column({ type: 'integer', nullable: true })
  clockSeconds: number | null;

  @Column({ type: 'text' })
  body: string;

  /** A rendering hint, deliberately open (no CHECK): clients render unknown kinds as "text". */
  @Column({ type: 'text', default: 'text' })
  kind: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  postedAt: Date;

  @Column({ type: 'text', nullable: true })
  author: string | null;
}
