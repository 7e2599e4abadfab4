import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventSource } from 'eventsource';
import { FileStore } from './file-store.js';
import type { LocalStore, SyncChange, SyncRecord } from './local-store.js';
import { MemoryStore } from './memory-store.js';
import { SyncClient, type Disconnection, type SyncClientOptions } from './sync-client.js';

interface FeedEntry {
  position: number;
  type: string;
  data: SyncRecord;
}

interface SeenRequest {
  path: string;
  since: string | null;
  lastEventId: string | undefined;
  at: number;
}

interface ScriptedAnswer {
  status: number;
  code: string;
  headers?: Record<string, string>;
}

/**
 * The API as docs/sync-protocol.md describes it, in memory: cursors
 * `<epoch>-<position>`, paged catch-up with one entry per record, a live
 * stream that replays what follows the resume point, JSON errors. Tests drive
 * it: record changes, ping, close or end streams, restore a "backup" (new
 * epoch), script the next error answers.
 */
class FakeFeedServer {
  readonly requests: SeenRequest[] = [];
  private epoch = 'e1';
  private log: FeedEntry[] = [];
  private readonly streams = new Set<ServerResponse>();
  private readonly scripted = new Map<string, ScriptedAnswer[]>();
  private readonly server: Server = createServer((request, response) => this.handle(request, response));

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  /** Commits a change; open streams get its frame. */
  record(type: string, data: { id: string; [column: string]: unknown }): string {
    const entry: FeedEntry = { position: this.log.length + 1, type, data: { hidden: false, ...data } };
    this.log.push(entry);
    for (const stream of this.streams) stream.write(this.frame(entry));
    return this.cursorOf(entry.position);
  }

  ping(): void {
    for (const stream of this.streams) stream.write(`event: ping\ndata: ${Date.now()}\n\n`);
  }

  /** Ends every stream as a restart or a slow-client cut does; with `announce`, as a graceful shutdown does. */
  endStreams(announce = false): void {
    for (const stream of this.streams) {
      if (announce) stream.write('event: shutdown\ndata: \n\n');
      stream.end();
    }
    this.streams.clear();
  }

  /** The server comes back on a database restored from a backup holding the first `kept` changes: a new epoch. */
  restoreBackup(epoch: string, kept: number): void {
    this.endStreams();
    this.epoch = epoch;
    this.log = this.log.slice(0, kept);
  }

  /** The next request to `path` gets this error instead of an answer. */
  failNext(path: string, answer: ScriptedAnswer): void {
    this.scripted.set(path, [...(this.scripted.get(path) ?? []), answer]);
  }

  requestsTo(path: string): SeenRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const lastEventId = request.headers['last-event-id'] as string | undefined;
    this.requests.push({ path: url.pathname, since: url.searchParams.get('since'), lastEventId, at: Date.now() });
    const scripted = this.scripted.get(url.pathname)?.shift();
    if (scripted) return this.fail(response, scripted);
    const resumeFrom = this.resumePosition(lastEventId ?? url.searchParams.get('since') ?? undefined);
    if (typeof resumeFrom !== 'number') return this.fail(response, resumeFrom);
    const types = url.searchParams.get('types')?.split(',');
    const after = this.log.filter((entry) => entry.position > resumeFrom && (!types || types.includes(entry.type)));
    if (url.pathname === '/v1/sync') return this.servePage(response, after, Number(url.searchParams.get('limit') ?? 1000));
    if (url.pathname === '/v1/live') return this.openStream(response, after);
    this.fail(response, { status: 404, code: 'not_found' });
  }

  private resumePosition(cursor: string | undefined): number | ScriptedAnswer {
    if (cursor === undefined || cursor === '0') return 0;
    const match = /^([0-9a-z]+)-(\d+)$/.exec(cursor);
    if (!match) return { status: 400, code: 'invalid_cursor' };
    if (match[1] !== this.epoch) return { status: 409, code: 'resync_required' };
    const position = Number(match[2]);
    return position > this.log.length ? { status: 400, code: 'cursor_ahead' } : position;
  }

  private servePage(response: ServerResponse, after: FeedEntry[], limit: number): void {
    const latest = after.filter((entry) => !after.some((later) => later.position > entry.position && sameRecord(later, entry)));
    const page = latest.slice(0, limit);
    const hasMore = latest.length > limit;
    const cursor = hasMore ? this.cursorOf(page[page.length - 1].position) : this.cursorOf(this.log.length);
    const changes = page.map((entry) => ({ cursor: this.cursorOf(entry.position), type: entry.type, id: entry.data.id, data: entry.data }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ changes, cursor, hasMore }));
  }

  private openStream(response: ServerResponse, backlog: FeedEntry[]): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    response.flushHeaders();
    for (const entry of backlog) response.write(this.frame(entry));
    this.streams.add(response);
    response.on('close', () => this.streams.delete(response));
  }

  private fail(response: ServerResponse, answer: ScriptedAnswer): void {
    response
      .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      .end(JSON.stringify({ error: { code: answer.code, message: `fake ${answer.code}` } }));
  }

  private frame(entry: FeedEntry): string {
    return `id: ${this.cursorOf(entry.position)}\nevent: ${entry.type}\ndata: ${JSON.stringify(entry.data)}\n\n`;
  }

  private cursorOf(position: number): string {
    return `${this.epoch}-${position}`;
  }
}

function sameRecord(a: FeedEntry, b: FeedEntry): boolean {
  return a.type === b.type && a.data.id === b.data.id;
}

/** Resolves once `condition` holds; fails the test if it does not within a second. */
async function until(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await sleep(5);
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(): Promise<{ server: FakeFeedServer; url: string }> {
  const server = new FakeFeedServer();
  const url = await server.listen();
  cleanups.push(() => server.close());
  return { server, url };
}

/** A client on `url` that records what it announces and is stopped after the test. */
function startClient(url: string, options: Partial<SyncClientOptions> = {}) {
  const store = options.store ?? new MemoryStore();
  const client = new SyncClient({ baseUrl: url, store, reconnect: { minMs: 10, maxMs: 50 }, ...options });
  const changes: Array<[SyncChange, string]> = [];
  const disconnections: Disconnection[] = [];
  client.on('change', (change, origin) => changes.push([change, origin]));
  client.on('disconnected', (disconnection) => disconnections.push(disconnection));
  cleanups.push(() => client.stop());
  client.start();
  return { client, store, changes, disconnections };
}

function recordTeams(server: FakeFeedServer, count: number): void {
  for (let n = 1; n <= count; n += 1) server.record('team', { id: `t${n}`, name: `Team ${n}` });
}

async function ids(store: LocalStore, type: string): Promise<string[]> {
  return (await store.all(type)).map((record) => record.id).sort();
}

describe('SyncClient', () => {
  it('pages /v1/sync to the end, then holds /v1/live from the last page', async () => {
    const { server, url } = await startServer();
    recordTeams(server, 5);
    const { client, store, changes } = startClient(url, { pageSize: 2 });

    const [cursor] = await once(client, 'synced');
    expect(server.requestsTo('/v1/sync').map((request) => request.since)).toEqual([null, 'e1-2', 'e1-4']);
    expect(cursor).toBe('e1-5');
    expect(await store.getCursor()).toBe('e1-5');
    expect(await ids(store, 'team')).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(changes.every(([, origin]) => origin === 'catch-up')).toBe(true);

    await until(() => client.state === 'live');
    expect(server.requestsTo('/v1/live')).toMatchObject([{ lastEventId: 'e1-5' }]);
    const goal = { id: 'ev1', match_id: 'm1', type: 'goal', period: 2 };
    server.record('match_event', goal);
    await until(() => changes.length === 6);
    expect(changes[5]).toEqual([{ cursor: 'e1-6', type: 'match_event', id: 'ev1', data: { hidden: false, ...goal } }, 'live']);
    expect(client.cursor).toBe('e1-6');
    expect(await store.getCursor()).toBe('e1-6');
    expect(await store.get('match_event', 'ev1')).toMatchObject(goal);
  });

  it.each([
    ['closed', false],
    ['shutdown', true],
  ] as const)('reconnects with Last-Event-ID when the server ends the stream (%s) and misses nothing', async (reason, announce) => {
    const { server, url } = await startServer();
    recordTeams(server, 2);
    const { client, store, changes, disconnections } = startClient(url);
    await until(() => client.state === 'live');

    server.endStreams(announce);
    server.record('team', { id: 't3', name: 'While away' });
    await until(() => changes.length === 3 && client.state === 'live');

    expect(disconnections).toMatchObject([{ reason }]);
    expect(server.requestsTo('/v1/live').map((request) => request.lastEventId)).toEqual(['e1-2', 'e1-2']);
    expect(server.requestsTo('/v1/sync')).toHaveLength(1);
    expect(changes.map(([change, origin]) => `${change.id} ${origin}`)).toEqual(['t1 catch-up', 't2 catch-up', 't3 live']);
    expect(await store.getCursor()).toBe('e1-3');
  });

  it('keeps a stream that pings, and drops one silent for twice the heartbeat', async () => {
    const { server, url } = await startServer();
    const { client, disconnections } = startClient(url, { heartbeatMs: 100 });
    const pings: number[] = [];
    client.on('ping', (serverTime) => pings.push(serverTime));
    await until(() => client.state === 'live');

    const heartbeat = setInterval(() => server.ping(), 50);
    await sleep(400);
    clearInterval(heartbeat);
    const silentSince = Date.now();
    expect(disconnections).toEqual([]);
    expect(pings.length).toBeGreaterThanOrEqual(5);

    await until(() => disconnections.length === 1);
    expect(disconnections[0].reason).toBe('silent');
    expect(Date.now() - silentSince).toBeGreaterThanOrEqual(150);
    await until(() => server.requestsTo('/v1/live').length === 2);
    expect(server.requestsTo('/v1/live')[1].lastEventId).toBe('e1-0');
  });

  it('on 409 resync_required clears the store and syncs from the beginning', async () => {
    const { server, url } = await startServer();
    recordTeams(server, 2);
    const { client, store } = startClient(url);
    const resyncs: string[] = [];
    client.on('resync', (error) => resyncs.push(error.code));
    await until(() => client.state === 'live');

    server.restoreBackup('e2', 1);
    server.record('team', { id: 't3', name: 'After the restore' });
    const [cursor] = await once(client, 'synced');

    expect(resyncs).toEqual(['resync_required']);
    expect(server.requestsTo('/v1/live').map((request) => request.lastEventId)).toEqual(['e1-2', 'e1-2']);
    expect(server.requestsTo('/v1/sync').map((request) => request.since)).toEqual([null, null]);
    expect(cursor).toBe('e2-2');
    expect(await ids(store, 'team')).toEqual(['t1', 't3']);
    await until(() => client.state === 'live');
  });

  it('waits as long as Retry-After says when the server has too many streams', async () => {
    const { server, url } = await startServer();
    const { client, disconnections } = startClient(url);
    server.failNext('/v1/live', { status: 429, code: 'too_many_streams', headers: { 'retry-after': '1' } });
    await until(() => client.state === 'live', 1500);

    const [refused, accepted] = server.requestsTo('/v1/live');
    expect(disconnections).toMatchObject([{ reason: 'unavailable', error: { status: 429, code: 'too_many_streams' } }]);
    expect(disconnections[0].retryInMs).toBeGreaterThanOrEqual(1000);
    expect(accepted.at - refused.at).toBeGreaterThanOrEqual(1000);
  });

  it('retries catch-up with backoff while the server is unavailable', async () => {
    const { server, url } = await startServer();
    recordTeams(server, 1);
    server.failNext('/v1/sync', { status: 503, code: 'service_unavailable' });
    server.failNext('/v1/sync', { status: 503, code: 'service_unavailable' });
    const { client, store, disconnections } = startClient(url);
    await once(client, 'synced');

    expect(disconnections.map((disconnection) => disconnection.reason)).toEqual(['unavailable', 'unavailable']);
    expect(server.requestsTo('/v1/sync')).toHaveLength(3);
    expect(await ids(store, 'team')).toEqual(['t1']);
  });

  it('reports a 400 as an error and stops, keeping the store rather than restarting from zero', async () => {
    const { server, url } = await startServer();
    recordTeams(server, 2);
    const store = new MemoryStore();
    await store.apply([{ cursor: 'e1-9', type: 'team', id: 't9', data: { id: 't9', hidden: false } }], 'e1-9');
    const { client } = startClient(url, { store });
    const [error] = await once(client, 'error');

    expect(error).toMatchObject({ status: 400, code: 'cursor_ahead' });
    await until(() => client.state === 'stopped');
    await sleep(50);
    expect(server.requests.map((request) => request.since)).toEqual(['e1-9']);
    expect(await store.getCursor()).toBe('e1-9');
    expect(await ids(store, 'team')).toEqual(['t9']);
  });

  it('resumes from the cursor a FileStore kept across a restart', async () => {
    const { server, url } = await startServer();
    const directory = await mkdtemp(join(tmpdir(), 'faceoff-client-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'store.json');
    recordTeams(server, 3);

    const first = startClient(url, { store: new FileStore(path) });
    await until(() => first.client.state === 'live');
    await first.client.stop();
    await (first.store as FileStore).close();
    server.record('team', { id: 't4', name: 'While closed' });

    const second = startClient(url, { store: new FileStore(path) });
    await once(second.client, 'synced');
    expect(server.requestsTo('/v1/sync').map((request) => request.since)).toEqual([null, 'e1-3']);
    expect(second.changes.map(([change]) => change.id)).toEqual(['t4']);
    expect(await ids(second.store, 'team')).toEqual(['t1', 't2', 't3', 't4']);
  });

  it('stop() closes the stream and ends a wait at once, leaving nothing behind', async () => {
    const { server, url } = await startServer();
    const { client } = startClient(url);
    await until(() => client.state === 'live' && server.openStreams === 1);

    await client.stop();
    expect(client.state).toBe('stopped');
    await until(() => server.openStreams === 0);

    server.failNext('/v1/sync', { status: 503, code: 'service_unavailable', headers: { 'retry-after': '30' } });
    client.start();
    await once(client, 'disconnected');
    const stopping = Date.now();
    await client.stop();
    expect(Date.now() - stopping).toBeLessThan(100);
    const seen = server.requests.length;
    await sleep(50);
    expect(server.requests).toHaveLength(seen);
  });
});

describe('FakeFeedServer', () => {
  it('speaks SSE as a standard EventSource reads it', async () => {
    const { server, url } = await startServer();
    server.record('team', { id: 't1', name: 'Team 1' });
    const source = new EventSource(`${url}/v1/live?since=0`);
    cleanups.push(async () => source.close());

    const frame = await new Promise<MessageEvent>((resolve) => source.addEventListener('team', resolve));
    expect(frame.lastEventId).toBe('e1-1');
    expect(JSON.parse(frame.data as string)).toEqual({ id: 't1', name: 'Team 1', hidden: false });
    const ping = new Promise<MessageEvent>((resolve) => source.addEventListener('ping', resolve));
    server.ping();
    expect(Number((await ping).data)).toBeGreaterThan(0);
  });
});
