import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { PostgresThrottlerStorage } from '../../apps/api/src/purchases/throttle/postgres-throttler.storage.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The purchase throttle's counters in PostgreSQL (deployments without Redis). */
describe('PostgresThrottlerStorage', () => {
  let database: TestDatabase;
  let db: DataSource;
  let storage: PostgresThrottlerStorage;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    storage = new PostgresThrottlerStorage(db);
  });

  afterAll(async () => {
    storage?.onModuleDestroy();
    await database?.drop();
  });

  it('counts 30 concurrent hits exactly once each and blocks every hit past the limit', async () => {
    const [hits, limit] = [30, 5];
    const records = await Promise.all(Array.from({ length: hits }, () => storage.increment('device-a', 60_000, limit, 60_000, 'device')));
    expect(records.map((record) => record.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: hits }, (_, i) => i + 1));
    expect(records.filter((record) => record.isBlocked)).toHaveLength(hits - limit);
    for (const record of records.filter((r) => r.isBlocked)) expect(record.timeToBlockExpire).toBeGreaterThanOrEqual(59);
    // Another key, and the same key under another throttler name, count on their own.
    expect(await storage.increment('device-b', 60_000, 5, 60_000, 'device')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await storage.increment('device-a', 60_000, 5, 60_000, 'address')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts afresh once the window, or the block, is over', async () => {
    expect(await storage.increment('window', 300, 2, 300, 'device')).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 1 });
    expect(await storage.increment('window', 300, 2, 300, 'device')).toMatchObject({ totalHits: 2, isBlocked: false });
    await sleep(350);
    expect(await storage.increment('window', 300, 2, 300, 'device')).toMatchObject({ totalHits: 1, isBlocked: false });

    expect(await storage.increment('block', 300, 1, 600, 'device')).toMatchObject({ isBlocked: false });
    expect(await storage.increment('block', 300, 1, 600, 'device')).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    await sleep(350); // the window is over, the block is not
    expect(await storage.increment('block', 300, 1, 600, 'device')).toMatchObject({ isBlocked: true });
    await sleep(300);
    expect(await storage.increment('block', 300, 1, 600, 'device')).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
