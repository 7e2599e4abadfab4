import { BaseEntity, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Device } from './device.entity.js';
import { PushNotification } from './push-notification.entity.js';

export type PushDeliveryStatus = 'sending' | 'sent' | 'retry' | 'token_invalid' | 'rejected';

/** The sent-log: one row per (notification, device). Private; read-only in the CMS. */
@Entity('push_deliveries')
export class PushDelivery extends BaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  notificationId: string;

  @ManyToOne(() => PushNotification, { nullable: false })
  @JoinColumn({ name: 'notification_id' })
  notification: Relation<PushNotification>;

  @PrimaryColumn({ type: 'uuid' })
  deviceId: string;

  @ManyToOne(() => Device, { nullable: false })
  @JoinColumn({ name: 'device_id' })
  device: Relation<Device>;

  @Column({ type: 'text' })
  status: PushDeliveryStatus;

  @Column({ type: 'integer', default: 1 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  providerId: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
