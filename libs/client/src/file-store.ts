import { EventEmitter } from 'node:events';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LocalStore, SyncChange, SyncRecord } from './local-store.js';
import { MemoryStore, type StoreSnapshot } from './memory-store.js';

export interface FileStoreOptions {
  /** Changes are written at most this often (default 250 ms): a catch-up or a busy stream is one write, not one per frame. */
  writeDelayMs?: number;
}

export interface FileStoreEvents {
  /** The file was unreadable (it is then replaced), or a background write failed (it is retried with the next change). */
  warning: [warning: Error];
}

/**
 * A `LocalStore` kept in memory and saved as one JSON file, so a restarted
 * client resumes from its cursor. Each write replaces the whole file
 * atomically (temporary file, fsync, rename): after a crash the file holds
 * some earlier state whose records and cursor agree, never half of one.
 * The file is read on first use, so listeners added right after construction
 * see a warning about it. Call `close()` before exit to save the last changes.
 */
export class FileStore extends EventEmitter<FileStoreEvents> implements LocalStore {
  private readonly memory = new MemoryStore();
  private readonly writeDelayMs: number;
  private loading: Promise<void> | undefined;
  private dirty = false;
  private writeTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly path: string,
    options: FileStoreOptions = {},
  ) {
    super();
    this.writeDelayMs = options.writeDelayMs ?? 250;
  }

  async getCursor(): Promise<string | undefined> {
    await this.load();
    return this.memory.getCursor();
  }

  async apply(changes: readonly SyncChange[], cursor: string): Promise<void> {
    await this.load();
    this.assertOpen();
    await this.memory.apply(changes, cursor);
    this.scheduleWrite();
  }

  async clear(): Promise<void> {
    await this.load();
    this.assertOpen();
    await this.memory.clear();
    this.scheduleWrite();
  }

  async get(type: string, id: string): Promise<SyncRecord | undefined> {
    await this.load();
    return this.memory.get(type, id);
  }

  async all(type: string): Promise<SyncRecord[]> {
    await this.load();
    return this.memory.all(type);
  }

  async types(): Promise<string[]> {
    await this.load();
    return this.memory.types();
  }

  /** Writes pending changes now; rejects when the write fails. */
  async flush(): Promise<void> {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    // A change applied during a write makes the store dirty again: loop until
    // the file holds the latest state, one write at a time so that an older
    // snapshot never lands after a newer one.
    while (this.writing || this.dirty) {
      this.writing ??= this.writeSnapshot();
      await this.writing;
    }
  }

  /** Saves the last changes; the file is not written again by this instance. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private load(): Promise<void> {
    this.loading ??= this.readSnapshot();
    return this.loading;
  }

  private async readSnapshot(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      this.memory.restore(parseSnapshot(text));
    } catch (error) {
      this.warn(new Error(`${this.path} is not a readable store, starting empty: ${(error as Error).message}`, { cause: error }));
    }
  }

  private scheduleWrite(): void {
    this.dirty = true;
    // Left ref'd: a process that is otherwise done stays up until its last changes are on disk.
    this.writeTimer ??= setTimeout(() => {
      this.flush().catch((error: Error) => this.warn(new Error(`cannot write ${this.path}: ${error.message}`, { cause: error })));
    }, this.writeDelayMs);
  }

  private async writeSnapshot(): Promise<void> {
    this.dirty = false;
    const temporaryPath = `${this.path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      const file = await open(temporaryPath, 'w');
      try {
        await file.writeFile(JSON.stringify(this.memory.snapshot()));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporaryPath, this.path);
    } catch (error) {
      this.dirty = true;
      throw error;
    } finally {
      this.writing = undefined;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`FileStore ${this.path} is closed`);
  }

  private warn(warning: Error): void {
    // Nobody listening must not mean nobody told.
    if (!this.emit('warning', warning)) process.emitWarning(warning);
  }
}

function parseSnapshot(text: string): StoreSnapshot {
  const snapshot = JSON.parse(text) as Partial<StoreSnapshot> | null;
  if (snapshot?.version !== 1) throw new Error('unknown format version');
  if (snapshot.cursor !== undefined && typeof snapshot.cursor !== 'string') throw new Error('cursor is not a string');
  const tables = snapshot.records;
  if (typeof tables !== 'object' || tables === null) throw new Error('no records');
  for (const [type, records] of Object.entries(tables)) {
    if (!Array.isArray(records) || !records.every((record: SyncRecord | null) => typeof record?.id === 'string')) {
      throw new Error(`malformed ${type} records`);
    }
  }
  return { version: 1, cursor: snapshot.cursor, records: tables };
}
