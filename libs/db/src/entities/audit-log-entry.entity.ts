import { BaseEntity, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { AdminUser } from './admin-user.entity.js';

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'hide',
  'unhide',
  'login',
  'login_failed',
  'logout',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One entry of the CMS audit trail. Private and append-only: a trigger
 * refuses UPDATE, DELETE and TRUNCATE, so only ever insert (never `save()` a
 * loaded entry). Not a PrivateEntity: an entry is never updated, so it has
 * no created_at/updated_at pair, only `at`.
 */
@Entity('audit_log')
export class AuditLogEntry extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** NULL: the system, or a failed login with an unknown email. */
  @Column({ type: 'uuid', nullable: true })
  adminUserId: string | null;

  @ManyToOne(() => AdminUser, { nullable: true })
  @JoinColumn({ name: 'admin_user_id' })
  adminUser: Relation<AdminUser> | null;

  @Column({ type: 'text' })
  action: AuditAction;

  /** Table or resource name: "matches", "session". */
  @Column({ type: 'text' })
  resource: string;

  /** Text: not every resource has a uuid id. */
  @Column({ type: 'text', nullable: true })
  recordId: string | null;

  /** The changed fields only: `{ before: {...}, after: {...} }`. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  changes: { before?: Record<string, unknown>; after?: Record<string, unknown> } & Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
