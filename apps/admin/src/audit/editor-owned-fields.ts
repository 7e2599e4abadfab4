import type { EntityManager } from 'typeorm';

/**
 * Marks columns of a row as set by an editor, if a provider imported the row
 * (it has a `source`), so that the next import leaves them alone
 * (migrations/*-editor-owned-fields.ts; the importer's writer reads the same
 * table). Column names as in the database; `table` comes from entity
 * metadata or code, never from input.
 */
export async function claimEditorOwnedFields(
  manager: EntityManager,
  claim: { table: string; recordId: string; columns: string[]; adminUserId: string },
): Promise<void> {
  if (!claim.columns.length) return;
  await manager.query(
    `INSERT INTO editor_owned_fields (table_name, record_id, field, admin_user_id)
     SELECT $1, $2, unnest($3::text[]), $4
      WHERE EXISTS (SELECT 1 FROM "${claim.table}" WHERE id = $2 AND source IS NOT NULL)
     ON CONFLICT (table_name, record_id, field) DO UPDATE SET admin_user_id = EXCLUDED.admin_user_id, at = now()`,
    [claim.table, claim.recordId, claim.columns, claim.adminUserId],
  );
}
