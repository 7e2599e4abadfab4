import { Column, Entity } from 'typeorm';
import { PrivateEntity } from './synced.entity.js';

export const ADMIN_ROLES = ['admin', 'editor', 'viewer'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/**
 * A CMS account. Private. An account with audit-log entries cannot be
 * deleted (the log is append-only): set `disabled` instead.
 */
@Entity('admin_users')
export class AdminUser extends PrivateEntity {
  /** Unique; the database only accepts it lower-case: lower-case it before saving and looking up. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'text', default: 'viewer' })
  role: AdminRole;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;
}
