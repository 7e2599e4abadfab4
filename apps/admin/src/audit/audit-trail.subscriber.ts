import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntitySubscriberInterface, InsertEvent, ObjectLiteral, UpdateEvent } from 'typeorm';
import { AuditLogEntry } from '@app/db';
import { currentActor } from './audit-actor.js';
import { AuditLogService } from './audit-log.service.js';
import { changedFields, hasChanges, type FieldChanges } from './changed-fields.js';
import { claimEditorOwnedFields } from './editor-owned-fields.js';

/** Not an editor's content: changing these does not make a column the editor's. */
const BOOKKEEPING_COLUMNS = new Set(['updatedAt', 'version']);

/** Never copied into the log. */
const SECRET_COLUMNS = new Set(['passwordHash', 'keyHash', 'receipt']);

/**
 * Writes the audit trail for every insert and update an editor makes through
 * the CMS, inside the transaction of the write itself, so that a change and
 * its entry commit together or not at all. The editor comes from the request
 * context; writes outside an admin request (logins, the system) are not
 * entity edits and are not recorded here. An edit of an imported row also
 * claims its columns for editors (editor_owned_fields). Writes made with raw SQL (the live
 * console) record their entries themselves.
 */
@Injectable()
export class AuditTrailSubscriber implements EntitySubscriberInterface {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {
    dataSource.subscribers.push(this);
  }

  async afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    const actor = currentActor();
    if (!actor || event.metadata.target === AuditLogEntry) return;
    const after = this.values(event.metadata.columns.map((column) => column.propertyName), event.entity);
    await this.audit.record(
      { adminUserId: actor, action: 'create', resource: event.metadata.tableName, recordId: String(event.entity.id), changes: redacted(changedFields({}, after)) },
      event.manager,
    );
  }

  async afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    const actor = currentActor();
    if (!actor || !event.entity || event.metadata.target === AuditLogEntry) return;
    const columns = event.updatedColumns.map((column) => column.propertyName);
    const changes = changedFields(this.values(columns, event.databaseEntity ?? {}), this.values(columns, event.entity));
    if (!hasChanges(changes)) return;
    // An editor's change to a row a provider imported: the importer keeps its hands off these columns.
    const recordId = String(event.entity.id ?? event.databaseEntity?.id);
    if (event.metadata.findColumnWithPropertyName('source')) {
      const edited = event.updatedColumns.filter((column) => !BOOKKEEPING_COLUMNS.has(column.propertyName));
      await claimEditorOwnedFields(event.manager, {
        table: event.metadata.tableName,
        recordId,
        columns: edited.map((column) => column.databaseName),
        adminUserId: actor,
      });
    }
    await this.audit.record(
      { adminUserId: actor, action: visibilityAction(changes) ?? 'update', resource: event.metadata.tableName, recordId, changes: redacted(changes) },
      event.manager,
    );
  }

  private values(columns: string[], entity: ObjectLiteral): Record<string, unknown> {
    return Object.fromEntries(columns.filter((column) => column in entity).map((column) => [column, entity[column]]));
  }
}

function redacted(changes: FieldChanges): FieldChanges {
  const hide = (values: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, SECRET_COLUMNS.has(key) ? '[redacted]' : value]));
  return { before: hide(changes.before), after: hide(changes.after) };
}

/** An update that only flips `hidden` is a hide or an unhide. */
function visibilityAction(changes: { after: Record<string, unknown> }): 'hide' | 'unhide' | undefined {
  const keys = Object.keys(changes.after);
  if (keys.length !== 1 || keys[0] !== 'hidden') return undefined;
  return changes.after.hidden ? 'hide' : 'unhide';
}
