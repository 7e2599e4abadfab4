import { BaseEntity, Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * Columns of every record that mobile clients sync. The change-feed triggers
 * (see migrations/*-change-feed.ts) keep `updated_at` honest and record each
 * committed change in `sync_change` with its commit-ordered cursor; rows are
 * never deleted, only hidden.
 */
export abstract class SyncedEntity extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'boolean', default: false })
  hidden: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A synced record that may come from a statistics provider: `(source, external_id)` is unique. */
export abstract class ImportableEntity extends SyncedEntity {
  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ type: 'text', nullable: true })
  externalId: string | null;
}

/** Private records (devices, purchases, admin users...): never sent through the feed. */
export abstract class PrivateEntity extends BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
