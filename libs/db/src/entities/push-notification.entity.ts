import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Match } from './match.entity.js';
import { PrivateEntity } from './synced.entity.js';

export const PUSH_KINDS = ['goal', 'penalty', 'period_start', 'period_end', 'final', 'video', 'announcement'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];
export type PushSourceType = 'match_event' | 'match' | 'video_moment' | 'announcement';
export type PushNotificationStatus = 'held' | 'cancelled' | 'sending' | 'sent';
export type PushTexts = Record<string, { title: string; body: string }>;

/** One push the pusher planned (see migrations/*-push-notifications.ts). Private; read-only in the CMS. */
@Entity('push_notifications')
export class PushNotification extends PrivateEntity {
  @Column({ type: 'text' })
  sourceType: PushSourceType;

  @Column({ type: 'uuid' })
  sourceId: string;

  @Column({ type: 'text' })
  kind: PushKind;

  @Column({ type: 'uuid', nullable: true })
  matchId: string | null;

  @ManyToOne(() => Match, { nullable: true })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match> | null;

  @Column({ type: 'text', default: 'held' })
  status: PushNotificationStatus;

  @Column({ type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ type: 'timestamptz' })
  sendAfter: Date;

  @Column({ type: 'timestamptz' })
  committedAt: Date;

  @Column({ type: 'jsonb', nullable: true })
  texts: PushTexts | null;

  @Column({ type: 'integer', nullable: true })
  buckets: number | null;

  @Column({ type: 'integer', array: true, default: () => "'{}'" })
  bucketsDone: number[];

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
