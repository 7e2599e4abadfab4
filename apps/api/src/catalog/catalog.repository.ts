import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Records an answer is made of, as (sync type, ids subquery) — hidden ones included: hiding one changes the answer. */
export type Scope = [type: string, idsSql: string][];

/** A row as the feed carries it (docs/sync-protocol.md): the table's columns, snake_case. */
export type Row = Record<string, unknown>;

/**
 * Reads for the REST endpoints. Every answer has a version read from the
 * change feed — a digest of the cursors of the records it is made of — which
 * the controller turns into a strong ETag: any insert, update or hide of one
 * of them takes a new cursor, so the version changes exactly when the answer
 * does, and is known without building the answer.
 */
@Injectable()
export class CatalogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async version(scope: Scope, params: unknown[]): Promise<string> {
    const union = scope.map(([type], i) => `SELECT '${type}'::text AS type, id FROM (${scope[i][1]}) s${i}(id)`).join(' UNION ALL ');
    const [row] = await this.dataSource.query(
      `SELECT sync_current_epoch() AS epoch, md5(coalesce(string_agg(c.type || ':' || c.record_id || ':' || c.cursor, ',' ORDER BY c.type, c.record_id), '')) AS digest
         FROM (${union}) r JOIN sync_change c ON c.type = r.type AND c.record_id = r.id`,
      params,
    );
    return `${row.epoch}-${row.digest}`;
  }

  rows(sql: string, params: unknown[]): Promise<Row[]> {
    return this.dataSource.query(`SELECT to_jsonb(t) AS row FROM (${sql}) t`, params).then((rows: { row: Row }[]) => rows.map((r) => r.row));
  }
}
