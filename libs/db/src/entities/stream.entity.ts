import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Match } from './match.entity.js';
import { SyncedEntity } from './synced.entity.js';

export const STREAM_KINDS = ['live', 'replay'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

/**
 * A live or replay stream of a match. Synced as `stream` — to every client,
 * `url` included: for a paid stream the url must not itself grant access
 * (point it at an endpoint that checks the entitlement and hands out a
 * signed URL).
 */
@Entity('streams')
export class Stream extends SyncedEntity {
  @Column({ type: 'uuid' })
  matchId: string;

  @ManyToOne(() => Match, { nullable: false })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match>;

  @Column({ type: 'text' })
  kind: StreamKind;

  @Column({ type: 'text' })
  url: string;

  /** Defaults to true: a stream someone forgot to configure is not free. */
  @Column({ type: 'boolean', default: true })
  requiresEntitlement: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  startsAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endsAt: Date | null;
}
