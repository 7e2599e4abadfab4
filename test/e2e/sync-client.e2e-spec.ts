import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { FileStore, type LocalStore, MemoryStore, SyncClient } from '@app/client';
import { insertTeam } from '../factories/hockey.factory.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { concurrentWriters, listenBackendPid, syncedState } from '../support/feed-writers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** Whether the store holds exactly the database's records: the visible ones listed, the hidden ones kept as hidden. */
async function storeMatches(store: LocalStore, db: DataSource): Promise<boolean> {
  const expected = await syncedState(db);
  for (const [key, data] of expected) {
    const [type, id] = key.split(':');
    if (JSON.stringify(await store.get(type, id)) !== JSON.stringify(data)) return false;
  }
  let visible = 0;
  for (const type of await store.types()) visible += (await store.all(type)).length;
  return visible === [...expected.values()].filter((data) => !data.hidden).length;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe('the client library against the real API', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;
  let teamIds: string[];
  let storeDir: string;
  const apiEnv = () => ({ DATABASE_URL: database.url, LIVE_HEARTBEAT_MS: '500', CHANGE_FEED_RECONNECT_MAX_MS: '200' });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    teamIds = await Promise.all(Array.from({ length: 15 }, async () => (await insertTeam(db)).id as string));
    api = await startApp('api', apiEnv());
    storeDir = mkdtempSync(join(tmpdir(), 'faceoff-client-'));
  });

  afterAll(async () => {
    await api.stop();
    await database.drop();
    rmSync(storeDir, { recursive: true, force: true });
  });

  const client = (store: LocalStore) =>
    new SyncClient({ baseUrl: api.baseUrl, store, pageSize: 7, heartbeatMs: 500, reconnect: { minMs: 50, maxMs: 300 } });

  it('syncs, follows live, survives an API restart, and mirrors the database', async () => {
    const store = new MemoryStore();
    const sync = client(store);
    const reasons: string[] = [];
    sync.on('disconnected', ({ reason }) => reasons.push(reason));
    const live = new Promise((resolve) => sync.once('live', resolve));
    sync.start();
    try {
      await live;
      await concurrentWriters(database.url, teamIds, 3, 30);
      await api.stop('SIGTERM');
      await concurrentWriters(database.url, teamIds, 3, 30);
      api = await startApp('api', apiEnv(), api.port);
      await concurrentWriters(database.url, teamIds, 3, 30);
      await until(() => storeMatches(store, db));
      expect(reasons).toContain('shutdown');
    } finally {
      await sync.stop();
    }
  });

  it('keeps its place in a file across restarts of the client', async () => {
    const file = join(storeDir, 'mirror.json');
    const first = new FileStore(file);
    const firstClient = client(first);
    const synced = new Promise((resolve) => firstClient.once('live', resolve));
    firstClient.start();
    await synced;
    await firstClient.stop();
    await first.close();

    await db.query(`UPDATE teams SET short_name = 'while-offline' WHERE id = $1`, [teamIds[0]]);
    const second = new FileStore(file);
    const secondClient = client(second);
    const caughtUp: string[] = [];
    secondClient.on('change', (change, origin) => origin === 'catch-up' && caughtUp.push(change.id));
    const live = new Promise((resolve) => secondClient.once('live', resolve));
    secondClient.start();
    try {
      await live;
      // Only what changed while it was away, not the whole data set again.
      expect(caughtUp).toEqual([teamIds[0]]);
      expect(await storeMatches(second, db)).toBe(true);
    } finally {
      await secondClient.stop();
      await second.close();
    }
  });

  it('drops its copy and syncs from the start when the feed has a new epoch (409 resync_required)', async () => {
    const store = new MemoryStore();
    const sync = client(store);
    const live = new Promise((resolve) => sync.once('live', resolve));
    const resynced = new Promise((resolve) => sync.once('resync', resolve));
    sync.start();
    try {
      await live;
      // As if the database had been restored: the API notices on its next LISTEN connection.
      await db.query(`UPDATE sync_epoch SET fingerprint = 'restored from a backup'`);
      await db.query('SELECT pg_terminate_backend($1)', [await listenBackendPid(db, 'faceoff-change-feed')]);
      await resynced;
      await db.query(`UPDATE teams SET short_name = 'after-resync' WHERE id = $1`, [teamIds[1]]);
      await until(() => storeMatches(store, db));
    } finally {
      await sync.stop();
    }
  });
});
