import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Device } from './device.entity.js';
import { PrivateEntity } from './synced.entity.js';

export const SUBSCRIPTION_TARGET_KINDS = ['team', 'match'] as const;
export type SubscriptionTargetKind = (typeof SUBSCRIPTION_TARGET_KINDS)[number];

export const NOTIFICATION_KINDS = ['goal', 'penalty', 'period', 'final', 'video'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * What a device wants pushed; unique (device, target kind, target id).
 * `targetId` names a team or a match depending on `targetKind`, so it has no
 * foreign key (and no relation). Deleted with its device. Private.
 */
@Entity('device_subscriptions')
export class DeviceSubscription extends PrivateEntity {
  @Column({ type: 'uuid' })
  deviceId: string;

  @ManyToOne(() => Device, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id' })
  device: Relation<Device>;

  @Column({ type: 'text' })
  targetKind: SubscriptionTargetKind;

  @Column({ type: 'uuid' })
  targetId: string;

  /** Defaults to all of NOTIFICATION_KINDS. */
  @Column({ type: 'text', array: true, default: () => "'{goal,penalty,period,final,video}'" })
  kinds: NotificationKind[];
}
