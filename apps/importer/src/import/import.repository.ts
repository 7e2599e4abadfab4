import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type Row = Record<string, unknown>;

/**
 * A row to write, by column (database names). `keep` lists the columns the
 * snapshot does not state: a row that exists keeps its values there, and
 * `values` gives them only to a row being inserted.
 */
export interface UpsertRow {
  values: Row;
  keep?: readonly string[];
}

/** How the rows of a table are matched and written. */
export interface TableSpec {
  table: string;
  /** The unique key rows are matched on: (source, external_id) or a natural key. */
  key: readonly string[];
  /** Key columns that may be NULL (standings.stage_id, unique NULLS NOT DISTINCT). */
  nullableKey?: readonly string[];
  /** Columns written only while NULL: the first value stays (a team's home arena). */
  fillOnly?: readonly string[];
  /** A column that keeps its value unless one of `of` changes (matches.clock_updated_at dates the clock). */
  follows?: { column: string; of: readonly string[] };
  /** Moved on with every real change: matches.version, the live console's optimistic lock. */
  version?: string;
}

export interface UpsertResult {
  /** Row id by key (`keyOf`). */
  ids: Map<string, string>;
  inserted: number;
  updated: number;
  unchanged: number;
}

/** The key of a row as a map key; the same text for a row of input and one read back. */
export const keyOf = (key: readonly string[], row: Row): string => JSON.stringify(key.map((column) => row[column] ?? null));

/** Table and column names come from code (the writer's specs), never from input; checked all the same. */
function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

const quoted = (text: string) => `'${identifier(text)}'`;

/**
 * The import writer's SQL: idempotent upserts that leave the change feed
 * alone when nothing changed, and respect the columns editors own.
 */
@Injectable()
export class ImportRepository {
  constructor(readonly manager: EntityManager) {}

  /**
   * One transaction per snapshot. READ COMMITTED: each statement sees what
   * committed before it, which the row locks of `upsert` rely on.
   */
  transaction<T>(work: (tx: ImportRepository) => Promise<T>): Promise<T> {
    return this.manager.transaction('READ COMMITTED', (manager) => work(new ImportRepository(manager)));
  }

  /**
   * Inserts the rows that are new and updates those that differ, in two
   * statements:
   *
   * 1. Locks the rows that exist (in id order: two imports touching the same
   *    teams never deadlock). An editor's transaction holds the same lock
   *    while it changes a row and claims its columns; once we hold it, the
   *    next statement sees the claim.
   * 2. INSERT ... ON CONFLICT DO UPDATE ... WHERE the row IS DISTINCT: the
   *    values written are, per column, the row's own where the snapshot
   *    does not state the column or an editor owns it
   *    (editor_owned_fields), the snapshot's otherwise. A row that would not
   *    change is not updated at all — not even to the same values — so it
   *    records nothing in the change feed and counts as unchanged.
   *
   * Rows must not repeat a key (the caller merges them first).
   */
  async upsert(spec: TableSpec, rows: readonly UpsertRow[]): Promise<UpsertResult> {
    if (rows.length === 0) return { ids: new Map(), inserted: 0, updated: 0, unchanged: 0 };
    const table = identifier(spec.table);
    const key = spec.key.map(identifier);
    const nullable = new Set(spec.nullableKey ?? []);
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row.values)))].map(identifier);
    const updatable = columns.filter((column) => !key.includes(column));
    // A column a row leaves out is one it does not state.
    const payload = JSON.stringify(
      rows.map((row) => ({ values: row.values, keep: [...(row.keep ?? []), ...columns.filter((column) => !(column in row.values))] })),
    );
    const matches = (a: string, b: string) =>
      key.map((column) => (nullable.has(column) ? `${a}.${column} IS NOT DISTINCT FROM ${b}.${column}` : `${a}.${column} = ${b}.${column}`)).join(' AND ');
    const input = `input AS (
      SELECT r.*, ARRAY(SELECT jsonb_array_elements_text(coalesce(x.item->'keep', '[]'::jsonb))) AS keep__
        FROM jsonb_array_elements($1::jsonb) AS x(item)
        CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, x.item->'values') AS r
    )`;

    const existing: Row[] = await this.manager.query(
      `WITH ${input}
       SELECT e.id, ${key.map((column) => `e.${column}`).join(', ')}
         FROM ${table} e JOIN input i ON ${matches('e', 'i')}
        ORDER BY e.id
          FOR NO KEY UPDATE OF e`,
      [payload],
    );

    const fillOnly = new Set(spec.fillOnly ?? []);
    const effective = columns.map((column) => {
      if (key.includes(column)) return column;
      const kept = `${quoted(column)} = ANY(kept__)${fillOnly.has(column) ? ` OR (old__).${column} IS NOT NULL` : ''}`;
      return `CASE WHEN (old__).id IS NOT NULL AND (${kept}) THEN (old__).${column} ELSE ${column} END AS ${column}`;
    });
    const follows = spec.follows;
    const written = columns.map((column) => {
      if (follows?.column !== column) return column;
      const of = follows.of.map(identifier);
      return `CASE WHEN (old__).id IS NOT NULL
                    AND ROW(${of.map((other) => `(old__).${other}`).join(', ')}) IS NOT DISTINCT FROM ROW(${of.join(', ')})
                   THEN (old__).${column} ELSE ${column} END`;
    });
    const set = updatable.map((column) => `${column} = EXCLUDED.${column}`);
    if (spec.version) set.push(`${identifier(spec.version)} = t.${identifier(spec.version)} + 1`);
    const onConflict =
      updatable.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${set.join(', ')}
           WHERE ROW(${updatable.map((column) => `t.${column}`).join(', ')}) IS DISTINCT FROM ROW(${updatable.map((column) => `EXCLUDED.${column}`).join(', ')})`;
    const changed: Row[] = await this.manager.query(
      `WITH ${input},
       merged AS (
         SELECT i.*, e AS old__,
                i.keep__ || coalesce((SELECT array_agg(o.field) FROM editor_owned_fields o
                                       WHERE o.table_name = ${quoted(table)} AND o.record_id = e.id), '{}') AS kept__
           FROM input i LEFT JOIN ${table} e ON ${matches('e', 'i')}
       ),
       effective AS (SELECT ${effective.join(', ')}, old__ FROM merged)
       INSERT INTO ${table} AS t (${columns.join(', ')})
       SELECT ${written.join(', ')} FROM effective
       ON CONFLICT (${key.join(', ')}) ${onConflict}
       RETURNING t.id, ${key.map((column) => `t.${column}`).join(', ')}`,
      [payload],
    );

    const existingKeys = new Set(existing.map((row) => keyOf(key, row)));
    const ids = new Map([...existing, ...changed].map((row) => [keyOf(key, row), String(row.id)]));
    const updated = changed.filter((row) => existingKeys.has(keyOf(key, row))).length;
    const inserted = changed.length - updated;
    const missing = rows.filter((row) => !ids.has(keyOf(key, row.values)));
    // Rows another transaction inserted between the two statements, which we then left unchanged.
    if (missing.length > 0) {
      const found: Row[] = await this.manager.query(
        `WITH ${input} SELECT e.id, ${key.map((column) => `e.${column}`).join(', ')} FROM ${table} e JOIN input i ON ${matches('e', 'i')}`,
        [JSON.stringify(missing.map((row) => ({ values: row.values })))],
      );
      for (const row of found) ids.set(keyOf(key, row), String(row.id));
    }
    return { ids, inserted, updated, unchanged: rows.length - inserted - updated };
  }

  /**
   * Sets `column` to `value` on the rows in `scope` that are not `except`
   * and do not have it yet, unless an editor owns that column of the row:
   * events withdrawn by the provider get hidden, players gone from a roster
   * inactive. Returns how many rows it changed.
   */
  async setOnOthers(table: string, scope: Row, except: readonly string[], column: string, value: boolean): Promise<number> {
    const scopeColumns = Object.keys(scope).map(identifier);
    const target = identifier(column);
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count].
    const [{ changed }]: { changed: number }[] = await this.manager.query(
      `WITH changed AS (
       UPDATE ${identifier(table)} t SET ${target} = $1
        WHERE ${scopeColumns.map((scoped, index) => `t.${scoped} = $${index + 3}`).join(' AND ')}
          AND t.${target} IS DISTINCT FROM $1
          AND NOT (t.id = ANY($2::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM editor_owned_fields o
                           WHERE o.table_name = ${quoted(table)} AND o.record_id = t.id AND o.field = ${quoted(column)})
       RETURNING t.id)
       SELECT count(*)::int AS changed FROM changed`,
      [value, except, ...scopeColumns.map((scoped) => scope[scoped])],
    );
    return changed;
  }

  /** Ids of a source's rows by external id, for references a snapshot makes to rows it does not carry. */
  async idsByExternalId(table: string, source: string, externalIds: readonly string[]): Promise<Map<string, string>> {
    if (externalIds.length === 0) return new Map();
    const rows: { id: string; external_id: string }[] = await this.manager.query(
      `SELECT id, external_id FROM ${identifier(table)} WHERE source = $1 AND external_id = ANY($2::text[])`,
      [source, externalIds],
    );
    return new Map(rows.map((row) => [row.external_id, row.id]));
  }
}
