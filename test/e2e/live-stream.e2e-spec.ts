import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventSource } from 'eventsource';
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { insertTeam } from '../factories/hockey.factory.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { concurrentWriters, syncedState } from '../support/feed-writers.js';
import { openStream } from '../support/sse-stream.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface SyncPage {
  changes: { cursor: string; type: string; id: string; data: Record<string, unknown> }[];
  cursor: string;
  hasMore: boolean;
}

async function syncPage(api: AppProcess, query: string): Promise<{ status: number; body: SyncPage & { error?: { code: string } } }> {
  const response = await fetch(`${api.baseUrl}/v1/sync?${query}`);
  return { status: response.status, body: (await response.json()) as SyncPage & { error?: { code: string } } };
}

/** Pages /v1/sync from `since` to the end (or `maxPages`), mirroring into `mirror`. */
async function syncInto(api: AppProcess, mirror: Map<string, Record<string, unknown>>, since = '0', limit = 500, maxPages = Infinity) {
  let cursor = since;
  for (let page = 0; page < maxPages; page++) {
    const { body } = await syncPage(api, `since=${cursor}&limit=${limit}`);
    for (const change of body.changes) mirror.set(`${change.type}:${change.id}`, change.data);
    cursor = body.cursor;
    if (!body.hasMore) break;
  }
  return cursor;
}

describe('/v1/sync and /v1/live', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;
  let teamIds: string[];
  // Small pages and ring, so that resumes take several reads or miss the ring.
  const apiEnv = () => ({
    DATABASE_URL: database.url,
    LIVE_HEARTBEAT_MS: '1000',
    LIVE_MAX_STREAMS_PER_ADDRESS: '40',
    LIVE_RING_SIZE: '200',
    CHANGE_FEED_PAGE_SIZE: '20',
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    teamIds = await Promise.all(Array.from({ length: 30 }, async () => (await insertTeam(db)).id as string));
    api = await startApp('api', apiEnv());
  });

  afterAll(async () => {
    await api?.stop();
    await database.drop();
  });

  it('pages the whole data set by cursor, each record once', async () => {
    const mirror = new Map<string, Record<string, unknown>>();
    const { body: first } = await syncPage(api, 'limit=7');
    expect(first.changes).toHaveLength(7);
    expect(first.hasMore).toBe(true);
    expect(first.cursor).toBe(first.changes[6].cursor);
    await syncInto(api, mirror, '0', 7);
    expect(mirror).toEqual(await syncedState(db));
  });

  it('sends the headers at once, then frames with ids in increasing order', async () => {
    const cursor = await syncInto(api, new Map());
    const stream = await openStream(`${api.baseUrl}/v1/live`, { 'Last-Event-ID': cursor });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['cache-control']).toBe('no-cache');
      expect(stream.headers['x-accel-buffering']).toBe('no');
      await db.query(`UPDATE teams SET short_name = 'live' WHERE id = ANY($1)`, [teamIds.slice(0, 3)]);
      await stream.until((s) => s.changes.length >= 3);
      expect(stream.changes.map((frame) => frame.event)).toEqual(['team', 'team', 'team']);
      const positions = stream.changes.map((frame) => Number(frame.id!.split('-')[1]));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      await stream.until((s) => s.frames.some((frame) => frame.event === 'ping'), 3000);
      expect(stream.frames.find((frame) => frame.event === 'ping')?.id).toBeUndefined();
    } finally {
      stream.close();
    }
  });

  it('resumes from arbitrary cursors without gap or duplicate while writers commit', async () => {
    await concurrentWriters(database.url, teamIds, 6, 60);
    const base = new Map<string, Record<string, unknown>>();
    const synced = await syncInto(api, base);
    const [epoch, head] = synced.split('-');
    // Any position up to the head is a valid resume point: recent ones are served from the
    // ring (200 frames here), older ones from the database.
    const resumePoints = Array.from({ length: 16 }, (_, i) => (i < 4 ? Number(head) - randomInt(150) : randomInt(Number(head))));
    // Streams open while writers commit, so live frames arrive during their catch-up.
    const writing = concurrentWriters(database.url, teamIds, 6, 60);
    const clients = [];
    for (const position of resumePoints) {
      await sleep(randomInt(20));
      clients.push({ mirror: new Map(base), stream: await openStream(`${api.baseUrl}/v1/live`, { 'Last-Event-ID': `${epoch}-${position}` }) });
    }
    await writing;
    const [{ last }] = await db.query(`SELECT max(cursor)::int AS last FROM sync_change`);
    const expected = await syncedState(db);
    for (const { mirror, stream } of clients) {
      await stream.until((s) => Number(s.lastId?.split('-')[1]) >= last);
      stream.close();
      const positions = stream.changes.map((frame) => Number(frame.id!.split('-')[1]));
      expect(positions.every((position, i) => i === 0 || position > positions[i - 1])).toBe(true);
      for (const frame of stream.changes) {
        const data = JSON.parse(frame.data);
        mirror.set(`${frame.event}:${data.id}`, data);
      }
      expect(mirror).toEqual(expected);
    }
    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(Number(/faceoff_live_ring_hits_total\{[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(Number(/faceoff_live_ring_misses_total\{[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
  });

  it('serves the eventsource package, which resumes through its own Last-Event-ID across a restart', async () => {
    const mirror = new Map<string, Record<string, unknown>>();
    const cursor = await syncInto(api, mirror);
    const source = new EventSource(`${api.baseUrl}/v1/live?since=${cursor}`);
    let opened = 0;
    let shutdowns = 0;
    source.addEventListener('open', () => opened++);
    source.addEventListener('shutdown', () => shutdowns++);
    source.addEventListener('team', (event) => {
      const data = JSON.parse(event.data);
      mirror.set(`team:${data.id}`, data);
    });
    try {
      await new Promise((resolve) => source.addEventListener('open', resolve, { once: true }));
      await concurrentWriters(database.url, teamIds, 2, 20);
      const { code } = await api.stop('SIGTERM');
      expect(code).toBe(0);
      // Committed while no API runs: the resumed stream must bring these too.
      await concurrentWriters(database.url, teamIds, 2, 20);
      api = await startApp('api', apiEnv(), api.port);
      await concurrentWriters(database.url, teamIds, 2, 20);
      const expected = await syncedState(db);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && !sameRecords(mirror, expected)) await sleep(50);
      expect(mirror).toEqual(expected);
      expect(shutdowns).toBe(1);
      expect(opened).toBeGreaterThanOrEqual(2);
    } finally {
      source.close();
    }
  });

  describe('bad input', () => {
    it.each([
      ['/v1/sync?since=garbage', 400, 'invalid_cursor'],
      ['/v1/sync?since=42', 400, 'invalid_cursor'],
      ['/v1/sync?since=ffffffff-999999999', 409, 'resync_required'],
      ['/v1/sync?limit=0', 400, 'validation_failed'],
      ['/v1/sync?limit=5001', 400, 'validation_failed'],
      ['/v1/sync?limit=ten', 400, 'validation_failed'],
      ['/v1/sync?types=team,spaceship', 400, 'unknown_type'],
      ['/v1/sync?unknown=1', 400, 'validation_failed'],
      ['/v1/live?since=garbage', 400, 'invalid_cursor'],
      ['/v1/live?types=spaceship', 400, 'unknown_type'],
    ])('%s → %i %s', async (path, status, code) => {
      const response = await fetch(api.baseUrl + path);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    });

    it('answers a cursor ahead of the feed, on both endpoints, with 400 cursor_ahead', async () => {
      const { body } = await syncPage(api, 'since=0&limit=1');
      const epoch = body.cursor.split('-')[0];
      expect((await syncPage(api, `since=${epoch}-99999999`)).body.error?.code).toBe('cursor_ahead');
      const stream = await openStream(`${api.baseUrl}/v1/live`, { 'Last-Event-ID': `${epoch}-99999999` });
      expect(stream.status).toBe(400);
      expect(stream.error?.error.code).toBe('cursor_ahead');
    });

    it('answers a cursor of another epoch on /v1/live with 409 resync_required', async () => {
      const stream = await openStream(`${api.baseUrl}/v1/live`, { 'Last-Event-ID': 'ffffffff-1' });
      expect(stream.status).toBe(409);
      expect(stream.error?.error.code).toBe('resync_required');
    });

    it('refuses more streams per client address than configured with 429', async () => {
      const streams = await Promise.all(Array.from({ length: 40 }, () => openStream(`${api.baseUrl}/v1/live`)));
      try {
        expect(streams.every((stream) => stream.status === 200)).toBe(true);
        const refused = await openStream(`${api.baseUrl}/v1/live`);
        expect(refused.status).toBe(429);
        expect(refused.error?.error.code).toBe('too_many_streams');
        expect(refused.headers['retry-after']).toBeDefined();
      } finally {
        streams.forEach((stream) => stream.close());
      }
    });
  });
});

function sameRecords(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (JSON.stringify(value) !== JSON.stringify(b.get(key))) return false;
  return true;
}
