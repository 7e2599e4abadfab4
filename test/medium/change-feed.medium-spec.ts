import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { ChangeFeedListener, ChangeFeedRepository, type FeedBatch } from '@app/change-feed';
import { insertMatch, insertTeam } from '../factories/hockey.factory.js';
import { concurrentWriters, listenBackendPid, syncedState } from '../support/feed-writers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TEMPLATE_EPOCH_VARIABLE } from '../support/test-server.js';

/** Follows the feed into a local copy, the way a client does, and checks order and uniqueness. */
class FeedMirror {
  readonly rows = new Map<string, Record<string, unknown>>();
  readonly positions: number[] = [];

  readonly apply = (batch: FeedBatch): void => {
    for (const change of batch.changes) {
      this.positions.push(change.position);
      this.rows.set(`${change.type}:${change.id}`, change.data);
    }
  };

  strictlyIncreasing(): boolean {
    return this.positions.every((position, i) => i === 0 || position > this.positions[i - 1]);
  }
}

function startListener(database: TestDatabase, repository: ChangeFeedRepository, applicationName: string): ChangeFeedListener {
  return new ChangeFeedListener(repository, {
    connectionString: database.url,
    pageSize: 50,
    reconnectMinMs: 20,
    reconnectMaxMs: 200,
    applicationName,
  });
}

describe('change feed (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let repository: ChangeFeedRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    repository = new ChangeFeedRepository(db);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('delivers every change once, in strictly increasing commit order, under concurrent writers', async () => {
    const teamIds = await Promise.all(Array.from({ length: 40 }, async () => (await insertTeam(db)).id as string));
    const mirror = new FeedMirror();
    const listener = startListener(database, repository, 'feed-test-writers');
    listener.subscribe(mirror.apply);
    await listener.start(0);
    try {
      await concurrentWriters(database.url, teamIds, 8, 200);
      await listener.catchUp();
    } finally {
      await listener.stop();
    }

    expect(mirror.strictlyIncreasing()).toBe(true);
    expect(new Set(mirror.positions).size).toBe(mirror.positions.length);
    expect(mirror.rows).toEqual(await syncedState(db, ['team']));
  });

  it('loses nothing when its LISTEN connection is killed mid-stream', async () => {
    const teamIds = await Promise.all(Array.from({ length: 20 }, async () => (await insertTeam(db)).id as string));
    const mirror = new FeedMirror();
    const applicationName = 'feed-test-killed';
    const listener = startListener(database, repository, applicationName);
    listener.subscribe(mirror.apply);
    const disconnects: Error[] = [];
    listener.on('disconnected', (error) => disconnects.push(error));
    await listener.start(0);
    try {
      const writing = concurrentWriters(database.url, teamIds, 4, 100);
      let killed = 0;
      while (killed < 3) {
        await sleep(60);
        const pid = await listenBackendPid(db, applicationName);
        if (pid === undefined) continue;
        await db.query('SELECT pg_terminate_backend($1)', [pid]);
        killed++;
      }
      await writing;
      while (!listener.connected) await sleep(10);
      await listener.catchUp();
    } finally {
      await listener.stop();
    }

    expect(disconnects.length).toBeGreaterThanOrEqual(3);
    expect(mirror.strictlyIncreasing()).toBe(true);
    expect(new Set(mirror.positions).size).toBe(mirror.positions.length);
    expect(mirror.rows).toEqual(await syncedState(db, ['team']));
  });

  it('keeps one row per record: a record updated many times is one change to send', async () => {
    const team = await insertTeam(db);
    const head = await repository.headPosition();
    for (let i = 0; i < 50; i++) await db.query('UPDATE teams SET short_name = $2 WHERE id = $1', [team.id, `v${i}`]);

    const changes = await repository.changesSince(head - 1, 1000);
    const mine = changes.filter((change) => change.id === team.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].data.short_name).toBe('v49');
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM sync_change WHERE record_id = $1`, [team.id]);
    expect(count).toBe(1);
  });

  it('records nothing and notifies no one for an update that changes nothing', async () => {
    const team = await insertTeam(db, { short_name: 'Kraken' });
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const notifications: string[] = [];
    listener.on('notification', (message) => notifications.push(message.payload ?? ''));
    await listener.query('LISTEN data_updates');
    try {
      const head = await repository.headPosition();
      const [before] = await db.query('SELECT updated_at FROM teams WHERE id = $1', [team.id]);
      await db.query('UPDATE teams SET short_name = short_name, name = name WHERE id = $1', [team.id]);
      await db.query('UPDATE teams SET short_name = $2 WHERE id = $1', [team.id, 'Kraken']);
      // A real change afterwards, so we know notifications had time to arrive.
      const marker = await insertTeam(db);
      while (!notifications.some((payload) => payload.includes(marker.id as string))) await sleep(5);

      expect(notifications.filter((payload) => payload.includes(team.id as string))).toEqual([]);
      expect((await repository.changesSince(head, 100)).map((change) => change.id)).toEqual([marker.id]);
      const [after] = await db.query('SELECT updated_at FROM teams WHERE id = $1', [team.id]);
      expect(after.updated_at).toEqual(before.updated_at);
    } finally {
      await listener.end();
    }
  });

  it('notifies with a small payload naming the change, never the row', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const payloads: Record<string, unknown>[] = [];
    listener.on('notification', (message) => payloads.push(JSON.parse(message.payload ?? '{}')));
    await listener.query('LISTEN data_updates');
    try {
      const team = await insertTeam(db, { name: 'x'.repeat(9000) });
      while (payloads.length === 0) await sleep(5);
      const [change] = await repository.changesSince((await repository.headPosition()) - 1, 1);
      expect(payloads).toEqual([{ type: 'team', id: team.id, cursor: String(change.position) }]);
    } finally {
      await listener.end();
    }
  });

  it('refuses DELETE and TRUNCATE on synced tables with a clear error', async () => {
    const team = await insertTeam(db);
    await expect(db.query('DELETE FROM teams WHERE id = $1', [team.id])).rejects.toThrow(
      'rows of teams are never deleted: set hidden = true instead',
    );
    await expect(db.query('TRUNCATE standings')).rejects.toThrow('rows of standings are never deleted');
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM teams WHERE id = $1', [team.id]);
    expect(count).toBe(1);
  });

  it('sends hiding and unhiding through the feed with the full state', async () => {
    const match = await insertMatch(db);
    const head = await repository.headPosition();
    await db.query('UPDATE matches SET hidden = true WHERE id = $1', [match.id]);
    const [hidden] = await repository.changesSince(head, 10, ['match']);
    expect(hidden).toMatchObject({ type: 'match', id: match.id, data: { id: match.id, hidden: true, home_team_id: match.home_team_id } });

    await db.query('UPDATE matches SET hidden = false WHERE id = $1', [match.id]);
    const [shown] = await repository.changesSince(hidden.position, 10, ['match']);
    expect(shown.position).toBeGreaterThan(hidden.position);
    expect(shown.data.hidden).toBe(false);
  });

  it('filters by type and pages by position', async () => {
    const match = await insertMatch(db);
    const head = (await repository.headPosition()) - 10;
    const onlyMatches = await repository.changesSince(head, 100, ['match']);
    expect(onlyMatches.every((change) => change.type === 'match')).toBe(true);
    expect(onlyMatches.map((change) => change.id)).toContain(match.id);

    const all = await repository.changesSince(0, 100_000);
    const firstPage = await repository.changesSince(0, 3);
    const secondPage = await repository.changesSince(firstPage[2].position, 3);
    expect([...firstPage, ...secondPage]).toEqual(all.slice(0, 6));
  });

  it('tells a connected listener at once when the epoch is renewed by hand', async () => {
    const listener = startListener(database, repository, 'feed-test-epoch');
    await listener.start();
    try {
      const changed = new Promise<[string, string]>((resolve) => listener.once('epochChanged', (...epochs) => resolve(epochs)));
      const previous = listener.epoch;
      const [{ renewed }] = await db.query('SELECT sync_renew_epoch() AS renewed');
      expect(await changed).toEqual([previous, renewed]);
      expect(listener.epoch).toBe(renewed);
    } finally {
      await listener.stop();
    }
  });

  it('gives a cloned or restored database an epoch of its own, and keeps it', async () => {
    const epoch = await repository.currentEpoch();
    expect(epoch).toMatch(/^[0-9a-f]{8}$/);
    // This database was cloned from the migrated template: same rows, other database.
    expect(epoch).not.toBe(process.env[TEMPLATE_EPOCH_VARIABLE]);
    expect(await repository.currentEpoch()).toBe(epoch);

    await db.query(`UPDATE sync_epoch SET fingerprint = 'a database restored from elsewhere'`);
    const renewed = await repository.currentEpoch();
    expect(renewed).not.toBe(epoch);
    expect(await repository.currentEpoch()).toBe(renewed);
  });
});
