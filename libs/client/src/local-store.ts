/**
 * A synced record as the feed sends it: its full current state, snake_case
 * columns. Records are never deleted; one that should disappear arrives with
 * `hidden: true`.
 */
export interface SyncRecord {
  id: string;
  hidden: boolean;
  [column: string]: unknown;
}

/** One change from `/v1/sync` or `/v1/live`: record `id` of `type` is now `data`. */
export interface SyncChange {
  /** Opaque resume point; the client stores the last one and never parses it. */
  cursor: string;
  type: string;
  id: string;
  data: SyncRecord;
}

/**
 * The client's local copy of the synced data and its resume point.
 * `SyncClient` only calls `getCursor`, `apply` and `clear`; `get` and `all`
 * are for the application. Every method is async so that a store may live in
 * SQLite or IndexedDB as well as in memory.
 */
export interface LocalStore {
  /** The cursor to resume from; `undefined` means from the beginning. */
  getCursor(): Promise<string | undefined>;

  /**
   * Upserts each change by `(type, id)` with its sent state and remembers
   * `cursor`, all or nothing as far as the store can: a cursor saved without
   * its changes would skip them for good.
   */
  apply(changes: readonly SyncChange[], cursor: string): Promise<void>;

  /** Drops every record and the cursor (the feed asked for a resync). */
  clear(): Promise<void>;

  /** The record as last sent, hidden or not, so that references to a hidden record still resolve. */
  get(type: string, id: string): Promise<SyncRecord | undefined>;

  /** The visible (not hidden) records of a type: what a UI lists. */
  all(type: string): Promise<SyncRecord[]>;

  /** The types the store holds records of. */
  types(): Promise<string[]>;
}
