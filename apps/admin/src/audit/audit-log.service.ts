import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditLogEntry, type AuditAction } from '@app/db';
import type { FieldChanges } from './changed-fields.js';

export interface AuditRecord {
  adminUserId: string | null;
  action: AuditAction;
  /** The table: 'matches', 'match_events'... or 'session' for logins. */
  resource: string;
  recordId?: string | null;
  changes?: FieldChanges | Record<string, unknown>;
}

/** Appends to the audit trail (append-only in the database). */
@Injectable()
export class AuditLogService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Pass the transaction's manager to record the entry atomically with the change it describes. */
  async record(entry: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(AuditLogEntry, {
      adminUserId: entry.adminUserId,
      action: entry.action,
      resource: entry.resource,
      recordId: entry.recordId ?? null,
      // jsonb: TypeORM types it as a deep-partial of the entity column.
      changes: (entry.changes ?? {}) as never,
    });
  }
}
