import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppName, exitOf, spawnApp, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const APPS: AppName[] = ['api', 'admin', 'importer', 'pusher'];

describe('every app starts, reports ready, and shuts down cleanly on SIGTERM', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  const backends = [
    { queues: 'postgres', env: { REDIS_URL: undefined } },
    ...(process.env.REDIS_URL ? [{ queues: 'redis', env: { REDIS_URL: process.env.REDIS_URL } }] : []),
  ];

  for (const { queues, env } of backends) {
    it.each(APPS)(`%s (queues on ${queues})`, async (name) => {
      const app = await startApp(name, { DATABASE_URL: database.url, ...env });
      try {
        expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
        const ready = await fetch(`${app.baseUrl}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
        const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
        expect(metrics).toContain(`process_cpu_user_seconds_total{app="${name}"}`);
        // Logs are JSON lines.
        const readyLine = app.output().split('\n').find((line) => line.includes(`faceoff-${name} ready`));
        expect(JSON.parse(readyLine ?? '')).toMatchObject({ level: 30, app: name });
        if (name === 'importer' || name === 'pusher') expect(app.output()).toContain(`ready on ${queues.toLowerCase()}`);
      } finally {
        const { code, ms } = await app.stop('SIGTERM');
        expect(code).toBe(0);
        expect(ms).toBeLessThan(10_000);
      }
    });
  }

  it('names the variable when a value is bad, and exits non-zero', async () => {
    const app = spawnApp('api', { DATABASE_URL: database.url, API_PORT: 'not-a-port' });
    expect(await exitOf(app)).toBe(1);
    expect(app.output()).toContain('API_PORT');
    expect(app.output()).toContain('"not-a-port"');
  });

  it('names the variable when a required one is missing', async () => {
    const app = spawnApp('pusher', { DATABASE_URL: undefined });
    expect(await exitOf(app)).toBe(1);
    expect(app.output()).toContain('DATABASE_URL: is required');
  });

  it('says which variable is wrong when a URL is malformed', async () => {
    const app = spawnApp('importer', { DATABASE_URL: database.url, REDIS_URL: 'localhost:6379' });
    expect(await exitOf(app)).toBe(1);
    expect(app.output()).toContain('REDIS_URL');
  });
});
