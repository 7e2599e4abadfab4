import { Column, Entity } from 'typeorm';
import { PrivateEntity } from './synced.entity.js';

export const PLATFORMS = ['ios', 'android'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** An app installation. Private. */
@Entity('devices')
export class Device extends PrivateEntity {
  @Column({ type: 'text' })
  platform: Platform;

  /** APNs/FCM token; unique. */
  @Column({ type: 'text', nullable: true })
  pushToken: string | null;

  /** Set when APNs/FCM rejects the token: skip the device until it registers a new one. */
  @Column({ type: 'timestamptz', nullable: true })
  pushTokenInvalidAt: Date | null;

  /** BCP 47: "fr-CA" */
  @Column({ type: 'text', nullable: true })
  locale: string | null;

  /** IANA name */
  @Column({ type: 'text', nullable: true })
  timeZone: string | null;

  @Column({ type: 'text', nullable: true })
  appVersion: string | null;

  /** Hash of the device's secret key (the key itself is never stored); unique. */
  @Column({ type: 'text' })
  keyHash: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;
}
