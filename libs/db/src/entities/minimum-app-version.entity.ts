import { BaseEntity, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Platform } from './device.entity.js';

/**
 * The oldest app version a platform may still use (see
 * migrations/*-minimum-app-versions.ts). Private. Keyed by platform: one row
 * each at most.
 */
@Entity('minimum_app_versions')
export class MinimumAppVersion extends BaseEntity {
  @PrimaryColumn({ type: 'text' })
  platform: Platform;

  /** '2.4.0' */
  @Column({ type: 'text' })
  minVersion: string;

  /** Where the app is updated: the App Store or Google Play page. */
  @Column({ type: 'text' })
  storeUrl: string;

  /** Shown by the app in place of a default text. */
  @Column({ type: 'text', nullable: true })
  message: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
