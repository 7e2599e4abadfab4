import type { DataSource } from 'typeorm';
import type { FeedChange } from './feed-change.js';

interface ChangeRow {
  cursor: string;
  type: string;
  id: string;
  committed_ms: number;
  data: Record<string, unknown>;
}

/** The SQL side of the feed; the functions it calls live in migrations/*-change-feed.ts. */
export class ChangeFeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The epoch for cursors, renewed first if this database was restored or cloned. */
  async currentEpoch(): Promise<string> {
    const [row]: { epoch: string }[] = await this.dataSource.query('SELECT sync_current_epoch() AS epoch');
    return row.epoch;
  }

  /** The highest position committed so far (0 for an empty feed). */
  async headPosition(): Promise<number> {
    const [row]: { head: string }[] = await this.dataSource.query(
      'SELECT coalesce(max(cursor), 0)::text AS head FROM sync_change',
    );
    return Number(row.head);
  }

  /** The synced types, as clients name them. */
  async types(): Promise<string[]> {
    const rows: { type: string }[] = await this.dataSource.query('SELECT type FROM sync_type ORDER BY type');
    return rows.map((row) => row.type);
  }

  /**
   * Records changed after `since`, oldest first, each once with its current
   * state; at most `limit` of them. O(records returned) thanks to the
   * one-row-per-record log and its cursor index.
   */
  async changesSince(since: number, limit: number, types?: readonly string[]): Promise<FeedChange[]> {
    const rows: ChangeRow[] = await this.dataSource.query(
      // Ordered by the bigint, not by its text form.
      `SELECT c.cursor::text AS cursor, c.type, c.id, extract(epoch FROM c.changed_at)::float8 * 1000 AS committed_ms, c.data
         FROM sync_changes_since($1, $2, $3) c ORDER BY c.cursor`,
      [since, limit, types?.length ? types : null],
    );
    return rows.map((row) => ({
      position: Number(row.cursor),
      type: row.type,
      id: row.id,
      committedAt: row.committed_ms,
      data: row.data,
    }));
  }
}
