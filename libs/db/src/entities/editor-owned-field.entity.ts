import { BaseEntity, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { AdminUser } from './admin-user.entity.js';

/**
 * A column of an imported row that an editor changed: the importer no longer
 * writes it (see migrations/*-editor-owned-fields.ts). Private. `tableName`
 * and `field` are database names ('persons', 'full_name'); `recordId` is the
 * row's id, in whichever table. Not a PrivateEntity: its key is the three
 * columns, and it has no created/updated pair, only when it was last claimed.
 */
@Entity('editor_owned_fields')
export class EditorOwnedField extends BaseEntity {
  @PrimaryColumn({ type: 'text' })
  tableName: string;

  @PrimaryColumn({ type: 'uuid' })
  recordId: string;

  @PrimaryColumn({ type: 'text' })
  field: string;

  /** NULL for a claim made outside the CMS. */
  @Column({ type: 'uuid', nullable: true })
  adminUserId: string | null;

  @ManyToOne(() => AdminUser, { nullable: true })
  @JoinColumn({ name: 'admin_user_id' })
  adminUser: Relation<AdminUser> | null;

  /** When it was last claimed. */
  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
