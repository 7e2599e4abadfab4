import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { insertDevice } from '../factories/device.factory.js';
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

  it('turns away a device whose registered version is too old, without headers, on device routes and on /v1/sync; its headers win; it can report its update', async () => {
    const outdated = await insertDevice(db, { platform: 'ios', app_version: '2.9.0' });
    const asDevice = (path: string, init: RequestInit = {}) =>
      fetch(api.baseUrl + path, { ...init, headers: { Authorization: outdated.authorization, ...(init.headers as Record<string, string>) } });

    for (const path of ['/v1/devices/me', '/v1/devices/me/subscriptions', '/v1/sync']) {
      const response = await asDevice(path);
      expect(response.status).toBe(426);
      expect(((await response.json()) as { error: { details: unknown } }).error.details).toMatchObject({ platform: 'ios', appVersion: '2.9.0', storeUrl: STORE_URL });
    }
    // The updated app says so in its headers before it has reported the new version...
    expect((await asDevice('/v1/devices/me', { headers: { 'X-App-Platform': 'ios', 'X-App-Version': '2.10.1' } })).status).toBe(200);
    // ...or reports it (the one route open to an outdated registration), and is let in from then on.
    const update = await asDevice('/v1/devices/me', { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ appVersion: '2.10.1' }) });
    expect(update.status).toBe(200);
    expect((await asDevice('/v1/devices/me')).status).toBe(200);
    expect((await asDevice('/v1/sync')).status).toBe(200);
  });

  it('lets through devices of a platform without a minimum, and leaves bad device credentials to the route', async () => {
    const android = await insertDevice(db, { platform: 'android', app_version: '0.1.0' });
    expect((await fetch(`${api.baseUrl}/v1/devices/me`, { headers: { Authorization: android.authorization } })).status).toBe(200);
    const forged = { Authorization: `Device ${android.id}:${'A'.repeat(43)}` };
    expect((await fetch(`${api.baseUrl}/v1/sync`, { headers: forged })).status).toBe(200);
    const refused = await fetch(`${api.baseUrl}/v1/devices/me`, { headers: forged });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('device_auth_invalid');
  });
});
