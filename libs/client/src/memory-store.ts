import type { LocalStore, SyncChange, SyncRecord } from './local-store.js';

/** Everything a store holds, as plain JSON: what `FileStore` writes. */
export interface StoreSnapshot {
  version: 1;
  cursor?: string;
  records: Record<string, SyncRecord[]>;
}

/** A `LocalStore` in memory: lost on exit, and the state `FileStore` persists. */
export class MemoryStore implements LocalStore {
  private cursor: string | undefined;
  private readonly tables = new Map<string, Map<string, SyncRecord>>();

  async getCursor(): Promise<string | undefined> {
    return this.cursor;
  }

  async apply(changes: readonly SyncChange[], cursor: string): Promise<void> {
    for (const change of changes) this.table(change.type).set(change.id, change.data);
    this.cursor = cursor;
  }

  async clear(): Promise<void> {
    this.tables.clear();
    this.cursor = undefined;
  }

  async get(type: string, id: string): Promise<SyncRecord | undefined> {
    return this.tables.get(type)?.get(id);
  }

  async all(type: string): Promise<SyncRecord[]> {
    return [...(this.tables.get(type)?.values() ?? [])].filter((record) => !record.hidden);
  }

  async types(): Promise<string[]> {
    return [...this.tables.keys()];
  }

  snapshot(): StoreSnapshot {
    const records: Record<string, SyncRecord[]> = {};
    for (const [type, table] of this.tables) records[type] = [...table.values()];
    return { version: 1, cursor: this.cursor, records };
  }

  restore(snapshot: StoreSnapshot): void {
    this.tables.clear();
    for (const [type, records] of Object.entries(snapshot.records)) {
      this.tables.set(type, new Map(records.map((record) => [record.id, record])));
    }
    this.cursor = snapshot.cursor;
  }

  private table(type: string): Map<string, SyncRecord> {
    let table = this.tables.get(type);
    if (!table) this.tables.set(type, (table = new Map()));
    return table;
  }
}
