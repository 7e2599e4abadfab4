import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { insertTeam } from '../factories/hockey.factory.js';
import { type AppProcess, freePort, startApp } from '../support/app-process.js';
import { concurrentWriters, listenBackendPid, syncedState } from '../support/feed-writers.js';
import { openRawStream } from '../support/raw-sse-client.js';
import { type SseStream, openStream } from '../support/sse-stream.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

async function headCursor(api: AppProcess): Promise<string> {
  const response = await fetch(`${api.baseUrl}/v1/sync?limit=5000`);
  let body = (await response.json()) as { cursor: string; hasMore: boolean };
  while (body.hasMore) body = (await (await fetch(`${api.baseUrl}/v1/sync?limit=5000&since=${body.cursor}`)).json()) as typeof body;
  return body.cursor;
}

async function metric(api: AppProcess, name: string): Promise<number> {
  const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
  return Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

const position = (cursor: string | undefined) => Number(cursor?.split('-')[1] ?? 0);

async function lastPosition(db: DataSource): Promise<number> {
  const [{ last }] = await db.query(`SELECT max(cursor)::int AS last FROM sync_change`);
  return last;
}

describe('live streams under trouble', () => {
  let database: TestDatabase;
  let db: DataSource;
  let teamIds: string[];
  let api: AppProcess | undefined;
  // One API at a time, so that its LISTEN backend is the only one in the database.
  const start = async (env: Record<string, string>) => {
    api = await startApp('api', { DATABASE_URL: database.url, ...env });
    return api;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    teamIds = await Promise.all(Array.from({ length: 20 }, async () => (await insertTeam(db)).id as string));
  });

  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });

  afterAll(async () => {
    await database.drop();
  });

  it('cuts a client that does not read, while fast clients receive everything', async () => {
    const api = await start({ LIVE_MAX_BACKLOG_FRAMES: '100', LIVE_MAX_BACKLOG_BYTES: '262144' });
    const cursor = await headCursor(api);
    const slow = await openRawStream(api.port, `/v1/live?since=${cursor}`, { read: false });
    const fast = await Promise.all(Array.from({ length: 3 }, () => openStream(`${api.baseUrl}/v1/live`, { 'Last-Event-ID': cursor })));
    // About 20 MB of frames: more than the kernel buffers both ends can hold for the slow client.
    for (let i = 0; i < 320; i++) {
      await db.query(`UPDATE teams SET city = $2 || repeat(md5(random()::text), 2048) WHERE id = $1`, [teamIds[i % teamIds.length], `v${i}-`]);
    }
    const last = await lastPosition(db);
    for (const stream of fast) await stream.until((s) => position(s.lastId) >= last);
    expect(await metric(api, 'faceoff_live_slow_client_cutoffs_total')).toBe(1);
    expect(await metric(api, 'faceoff_live_connections')).toBe(3);
    const expected = await syncedState(db, ['team']);
    for (const stream of fast) {
      expect(stream.closed).toBe(false);
      // Two updates of a team read together arrive as one frame with the latest state: compare states, not counts.
      const positions = stream.changes.map((frame) => position(frame.id));
      expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
      expect(stream.mirror.size).toBe(teamIds.length);
      for (const [key, data] of stream.mirror) expect(data).toEqual(expected.get(key));
      stream.close();
    }
    slow.socket.destroy();
  });

  it('serves 1,000 connections from one heartbeat timer: every ping of a tick is the same frame', async () => {
    const api = await start({ LIVE_HEARTBEAT_MS: '300', LIVE_MAX_STREAMS_PER_ADDRESS: '2000' });
    const cursor = await headCursor(api);
    const clients = [];
    for (let i = 0; i < 1000; i++) clients.push(openRawStream(api.port, `/v1/live?since=${cursor}`));
    const streams = await Promise.all(clients);
    const seenBefore = streams.map((stream) => stream.pings().length);
    await sleep(1000);
    const fresh = streams.map((stream, i) => stream.pings().slice(seenBefore[i]));
    expect(fresh.every((pings) => pings.length >= 2)).toBe(true);
    // One timer writes one shared frame per tick, so whole ticks reach all 1,000 connections with
    // the same stamp; timers per connection would stamp each connection's ping differently.
    const stamps = new Set(fresh.flat());
    const sharedByAll = [...stamps].filter((stamp) => fresh.every((pings) => pings.includes(stamp)));
    expect(sharedByAll.length).toBeGreaterThanOrEqual(2);
    expect(stamps.size).toBeLessThanOrEqual(sharedByAll.length + 2);
    for (const stream of streams) stream.socket.destroy();
  });

  it('keeps streams open and loses nothing when its LISTEN connection is killed mid-stream', async () => {
    const api = await start({});
    const cursor = await headCursor(api);
    const streams = await Promise.all(Array.from({ length: 5 }, () => openStream(`${api.baseUrl}/v1/live`, { 'Last-Event-ID': cursor })));
    const writing = concurrentWriters(database.url, teamIds, 4, 80);
    for (let killed = 0; killed < 3; ) {
      await sleep(80);
      const pid = await listenBackendPid(db, 'faceoff-change-feed');
      if (pid === undefined) continue;
      await db.query('SELECT pg_terminate_backend($1)', [pid]);
      killed++;
    }
    await writing;
    const last = await lastPosition(db);
    const expected = await syncedState(db, ['team']);
    for (const stream of streams) {
      await stream.until((s) => position(s.lastId) >= last);
      expect(stream.closed).toBe(false);
      const positions = stream.changes.map((frame) => position(frame.id));
      expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
      for (const [key, data] of stream.mirror) expect(data).toEqual(expected.get(key));
      stream.close();
    }
  });

  it('past the outage budget closes streams and fails /readyz, and recovers when the database returns', async () => {
    const api = await start({ LIVE_OUTAGE_BUDGET_MS: '500', CHANGE_FEED_RECONNECT_MAX_MS: '200' });
    const stream = await openStream(`${api.baseUrl}/v1/live?since=${await headCursor(api)}`);
    const admin = new pg.Client({ connectionString: process.env.FACEOFF_TEST_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
      await db.query('SELECT pg_terminate_backend($1)', [await listenBackendPid(db, 'faceoff-change-feed')]);
      await stream.until((s) => s.closed, 5000);
      expect((await fetch(`${api.baseUrl}/readyz`)).status).toBe(503);
      const refused = await fetch(`${api.baseUrl}/v1/live`);
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
    } finally {
      await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${api.baseUrl}/readyz`)).status !== 200 && Date.now() < deadline) await sleep(100);
    expect((await fetch(`${api.baseUrl}/readyz`)).status).toBe(200);
    const again = await openStream(`${api.baseUrl}/v1/live?since=${await headCursor(api)}`);
    expect(again.status).toBe(200);
    again.close();
  });

  it('says shutdown to every stream on SIGTERM and exits within 10 s', async () => {
    const api = await start({});
    const cursor = await headCursor(api);
    const streams = await Promise.all(Array.from({ length: 200 }, () => openStream(`${api.baseUrl}/v1/live?since=${cursor}`)));
    const { code, ms } = await api.stop('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    for (const stream of streams) {
      await stream.until((s) => s.closed, 2000);
      expect(stream.frames.at(-1)?.event).toBe('shutdown');
    }
  });

  it('runs API_WORKERS workers on one port; clients of a killed worker resume on another (both original workers killed in turn)', async () => {
    const api = await start({ API_WORKERS: '2', API_METRICS_PORT: String(await freePort()) });
    const cursor = await headCursor(api);
    const followers = Array.from({ length: 10 }, () => follow(api, cursor));
    while (followers.some((follower) => follower.connections === 0)) await sleep(20);
    const workerPids = () => execFileSync('pgrep', ['-P', String(api.child.pid)]).toString().trim().split('\n').map(Number);
    const workers = workerPids();
    expect(workers).toHaveLength(2);
    await concurrentWriters(database.url, teamIds, 2, 30);
    // Both original workers die in turn (the primary replaces each): every follower was on one of them.
    process.kill(workers[0], 'SIGKILL');
    await concurrentWriters(database.url, teamIds, 2, 30);
    while (workerPids().filter((pid) => !workers.includes(pid)).length === 0) await sleep(50);
    process.kill(workers[1], 'SIGKILL');
    await concurrentWriters(database.url, teamIds, 2, 30);
    const last = await lastPosition(db);
    const expected = await syncedState(db, ['team']);
    for (const follower of followers) {
      await follower.until(last);
      for (const [key, data] of follower.mirror) expect(data).toEqual(expected.get(key));
      follower.stop();
    }
    expect(followers.filter((follower) => follower.reconnects === 0)).toEqual([]);
  });
});

/** A reader that reconnects with its last id whenever its stream closes. */
function follow(api: AppProcess, cursor: string) {
  const mirror = new Map<string, Record<string, unknown>>();
  let lastId = cursor;
  let stream: SseStream | undefined;
  let stopped = false;
  const state = { mirror, reconnects: 0, connections: 0, stop: () => ((stopped = true), stream?.close()), until: async (last: number) => {
    while (position(lastId) < last) await sleep(20);
  } };
  void (async () => {
    while (!stopped) {
      try {
        stream = await openStream(`${api.baseUrl}/v1/live`, { 'Last-Event-ID': lastId });
        if (stream.status === 200) state.connections++;
        let seen = 0;
        await stream.until((s) => {
          for (const frame of s.changes.slice(seen)) {
            const data = JSON.parse(frame.data);
            mirror.set(`${frame.event}:${data.id}`, data);
            lastId = frame.id!;
          }
          seen = s.changes.length;
          return s.closed;
        }, 60_000);
      } catch {
        // refused while the port has no worker: try again
      }
      if (!stopped) {
        state.reconnects++;
        await sleep(100);
      }
    }
  })();
  return state;
}
