import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const STORE_URL = 'https://apps.apple.com/app/faceoff/id000000000';

/** Old apps turned away with 426 and the store link, on every mobile route. */
describe('minimum app versions', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;

  const get = (path: string, platform?: string, version?: string) =>
    fetch(api.baseUrl + path, { headers: { ...(platform && { 'X-App-Platform': platform }), ...(version && { 'X-App-Version': version }) } });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    await db.query('INSERT INTO minimum_app_versions (platform, min_version, store_url) VALUES ($1, $2, $3)', ['ios', '2.10.0', STORE_URL]);
    api = await startApp('api', { DATABASE_URL: database.url });
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('answers an older app 426 with the store link, on /v1/sync and on /v1/live before any stream starts', async () => {
    for (const path of ['/v1/sync', '/v1/live']) {
      const response = await get(path, 'ios', '2.9.7');
      expect(response.status).toBe(426);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: { code: string; details: Record<string, string> } };
      expect(body.error.code).toBe('app_version_unsupported');
      expect(body.error.details).toMatchObject({ platform: 'ios', appVersion: '2.9.7', minimumVersion: '2.10.0', storeUrl: STORE_URL });
    }
  });

  it('compares versions as versions, and lets current apps, other platforms and clients without the headers through', async () => {
    expect((await get('/v1/sync', 'ios', '2.10.0')).status).toBe(200);
    expect((await get('/v1/sync', 'iOS', '10.0.1')).status).toBe(200);
    expect((await get('/v1/sync', 'android', '1.0.0')).status).toBe(200);
    expect((await get('/v1/sync')).status).toBe(200);
    expect((await get('/v1/sync', 'ios', 'not-a-version')).status).toBe(426);
    expect((await get('/healthz', 'ios', '1.0.0')).status).toBe(200);
  });
});
