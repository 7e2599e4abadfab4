import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, type QueueBaseOptions } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '@app/config';
import { configureQueueBackend } from '@app/queue';
import { serveOfflineHtml } from '../../apps/admin/src/admin-panel/offline-html.js';
import { OPS_QUEUE_NAMES } from '../../apps/admin/src/ops/ops.module.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// @fastify/static, under @bull-board/fastify, require()s content-disposition, which is
// ESM only: Node loads that since 20.19, Jest's module registry only on Node 24.9+.
// So it is loaded as ESM here and handed to that require().
const contentDisposition = await import('content-disposition');
jest.mock('content-disposition', () => contentDisposition);
const { registerOpsBoard } = await import('../../apps/admin/src/ops/ops-board.js');

interface BoardJob {
  id: string;
  failedReason?: string;
}

interface BoardQueue {
  name: string;
  counts: Record<string, number>;
  jobs: BoardJob[];
}

const ROLE_HEADER = 'x-test-role';
const PROVIDER_DOWN = 'provider unavailable';
const [IMPORT_QUEUE, PUSH_QUEUE] = OPS_QUEUE_NAMES;

/** Resolves once `read` gives a value `done` accepts; the test's timeout ends a wait that never does. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await sleep(50);
  }
}

// PostgreSQL always; Redis too where REDIS_URL names one (CI).
const backends = [
  { backend: 'PostgreSQL', env: {} },
  ...(process.env.REDIS_URL ? [{ backend: 'Redis', env: { REDIS_URL: process.env.REDIS_URL } }] : []),
];

describe.each(backends)('the ops board on $backend', ({ env }) => {
  let database: TestDatabase;
  let connection: QueueBaseOptions['connection'];
  // A Redis may be shared with a running stack or another test run; PostgreSQL ignores the prefix.
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  let importQueue: Queue;
  let pushQueue: Queue;
  const workers: Worker[] = [];
  let importProviderUp = false;
  let releasePushJobs: () => void = () => {};
  let app: FastifyInstance;
  let origin: string;

  function board(path: string, { method = 'GET', role = 'admin' } = {}): Promise<Response> {
    return fetch(`${origin}${path}`, { method, headers: { [ROLE_HEADER]: role } });
  }

  async function boardQueue(name: string, status = 'latest'): Promise<BoardQueue> {
    const response = await board(`/ops/api/queues?activeQueue=${name}&status=${status}&page=1&jobsPerPage=50`);
    expect(response.status).toBe(200);
    const { queues } = (await response.json()) as { queues: BoardQueue[] };
    return queues.find((queue) => queue.name === name)!;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    connection = configureQueueBackend(loadConfig({ DATABASE_URL: database.url, ...env }));
    importQueue = new Queue(IMPORT_QUEUE, { connection, prefix });
    pushQueue = new Queue(PUSH_QUEUE, { connection, prefix });
    await Promise.all([importQueue.waitUntilReady(), pushQueue.waitUntilReady()]);

    app = Fastify();
    serveOfflineHtml(app);
    await registerOpsBoard(app, {
      basePath: '/ops',
      queues: [importQueue, pushQueue],
      preHandler: async (request, reply) => {
        if (request.headers[ROLE_HEADER] !== 'admin') return reply.code(403).send({ error: 'admins only' });
      },
    });
    origin = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    releasePushJobs();
    await app?.close();
    await Promise.all(workers.map((worker) => worker.close()));
    for (const queue of [importQueue, pushQueue]) {
      await queue?.obliterate({ force: true });
      await queue?.close();
    }
    await database?.drop();
  });

  it('lists the failed jobs, retries one until its worker completes it, and removes another', async () => {
    workers.push(
      new Worker(
        IMPORT_QUEUE,
        async (job) => {
          if (!importProviderUp) throw new Error(PROVIDER_DOWN);
          return { imported: job.data.feed };
        },
        { connection, prefix },
      ),
    );
    const schedule = await importQueue.add('schedule', { feed: 'schedule' });
    const rosters = await importQueue.add('rosters', { feed: 'rosters' });
    await eventually(() => importQueue.getFailedCount(), (failed) => failed === 2);

    const failed = await boardQueue(IMPORT_QUEUE, 'failed');
    expect(failed.counts).toEqual(await importQueue.getJobCounts());
    expect(failed.jobs.map((job) => job.id).sort()).toEqual([schedule.id, rosters.id].sort());
    expect(failed.jobs.map((job) => job.failedReason)).toEqual([PROVIDER_DOWN, PROVIDER_DOWN]);

    importProviderUp = true;
    expect((await board(`/ops/api/queues/${IMPORT_QUEUE}/${schedule.id}/retry`, { method: 'PUT' })).ok).toBe(true);
    await eventually(() => importQueue.getJobState(schedule.id!), (state) => state === 'completed');
    expect((await importQueue.getJob(schedule.id!))!.returnvalue).toEqual({ imported: schedule.data.feed });

    expect((await board(`/ops/api/queues/${IMPORT_QUEUE}/${rosters.id}/clean`, { method: 'PUT' })).ok).toBe(true);
    expect(await importQueue.getJob(rosters.id!)).toBeUndefined();
    expect((await board(`/ops/api/queues/${IMPORT_QUEUE}/${rosters.id}`)).status).toBe(404);

    const after = await boardQueue(IMPORT_QUEUE);
    expect(after.counts).toEqual(await importQueue.getJobCounts());
    expect(after.counts).toMatchObject({ failed: failed.counts.failed - 2, completed: failed.counts.completed + 1 });
    expect((await boardQueue(IMPORT_QUEUE, 'completed')).jobs.map((job) => job.id)).toEqual([schedule.id]);
  });

  it('lists the active and the waiting jobs', async () => {
    const pushGate = new Promise<void>((resolve) => (releasePushJobs = resolve));
    workers.push(new Worker(PUSH_QUEUE, () => pushGate, { connection, prefix, concurrency: 1 }));
    const first = await pushQueue.add('deliver', { device: 1 });
    await eventually(() => pushQueue.getActiveCount(), (active) => active === 1);
    const second = await pushQueue.add('deliver', { device: 2 });

    const push = await boardQueue(PUSH_QUEUE);
    expect(push.counts).toEqual(await pushQueue.getJobCounts());
    expect((await boardQueue(PUSH_QUEUE, 'active')).jobs.map((job) => job.id)).toEqual([first.id]);
    expect((await boardQueue(PUSH_QUEUE, 'waiting')).jobs.map((job) => job.id)).toEqual([second.id]);

    releasePushJobs();
    await eventually(() => pushQueue.getCompletedCount(), (completed) => completed === 2);
  });

  it('serves its page and the UI files from node_modules, and links nothing from elsewhere', async () => {
    const page = await board('/ops');
    expect(page.status).toBe(200);
    const html = await page.text();
    const base = new URL(html.match(/<base href="([^"]+)"/)![1], origin);
    expect(base.pathname).toBe('/ops/');
    const links = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1], base));
    expect(links.filter((link) => link.origin !== origin)).toEqual([]);
    for (const link of links) {
      expect([link.pathname, (await board(link.pathname)).status]).toEqual([link.pathname, 200]);
    }
  });

  it('puts the page in the public path of a prefixed scope', async () => {
    const admin = Fastify();
    await admin.register(async (scope) => registerOpsBoard(scope, { basePath: '/ops', queues: [importQueue] }), { prefix: '/admin' });
    const page = await fetch(`${await admin.listen({ host: '127.0.0.1', port: 0 })}/admin/ops`);
    const html = await page.text();
    await admin.close();
    expect(page.status).toBe(200);
    expect(html).toContain('<base href="/admin/ops/"');
  });

  it('runs the preHandler before the page, the UI files and the API', async () => {
    const job = await importQueue.add('rosters', { feed: 'rosters' });
    const editor = { role: 'editor' };
    expect((await board('/ops', editor)).status).toBe(403);
    expect((await board('/ops/static/favicon-32x32.png', editor)).status).toBe(403);
    expect((await board('/ops/api/queues', editor)).status).toBe(403);
    expect((await board(`/ops/api/queues/${IMPORT_QUEUE}/${job.id}/clean`, { ...editor, method: 'PUT' })).status).toBe(403);
    expect(await importQueue.getJob(job.id!)).toBeDefined();
  });
});
