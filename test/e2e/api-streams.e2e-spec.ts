import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { verifyStreamUrl } from '@app/stream-links';
import { insertDevice, type TestDevice } from '../factories/device.factory.js';
import { insertLiveMatch, type LiveMatch } from '../factories/hockey.factory.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const KEY = { id: 'k1', secret: 'a-stream-signing-secret-of-32-characters-or-more' };

/** Signed stream links: free streams for all, paid ones for entitled devices, checked as the CDN would. */
describe('stream links', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;
  let live: LiveMatch;
  let freeStream: string;
  let paidStream: string;
  let buyer: TestDevice;
  let other: TestDevice;

  const link = (streamId: string, device: TestDevice) =>
    fetch(`${api.baseUrl}/v1/streams/${streamId}/url`, { headers: { Authorization: device.authorization } });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    live = await insertLiveMatch(db);
    const stream = async (requiresEntitlement: boolean) =>
      (
        await db.query('INSERT INTO streams (match_id, kind, url, requires_entitlement) VALUES ($1, $2, $3, $4) RETURNING id', [
          live.match.id,
          'live',
          `https://cdn.example.com/hls/${requiresEntitlement ? 'paid' : 'free'}/master.m3u8`,
          requiresEntitlement,
        ])
      )[0].id as string;
    freeStream = await stream(false);
    paidStream = await stream(true);
    buyer = await insertDevice(db);
    other = await insertDevice(db);
    const [{ id: productId }] = await db.query(`INSERT INTO products (sku, kind, title, team_id) VALUES ('team-pass', 'team', 'Team pass', $1) RETURNING id`, [live.homeTeam.id]);
    await db.query('INSERT INTO entitlements (device_id, product_id) VALUES ($1, $2)', [buyer.id, productId]);
    api = await startApp('api', { DATABASE_URL: database.url, STREAM_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`, STREAM_LINK_TTL_SECONDS: '60' });
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('signs a free stream for any device and a paid one for an entitled device; the CDN check accepts them for that device only', async () => {
    for (const [streamId, device] of [
      [freeStream, other],
      [paidStream, buyer],
    ] as const) {
      const response = await link(streamId, device);
      expect(response.status).toBe(200);
      const { url, expiresAt } = (await response.json()) as { url: string; expiresAt: string };
      expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(50_000);
      expect(verifyStreamUrl(url, { key: KEY, deviceId: device.id })).toEqual({ ok: true });
      expect(verifyStreamUrl(url, { key: KEY, deviceId: device === buyer ? other.id : buyer.id })).toEqual({ ok: false, reason: 'wrong_device' });
      expect(verifyStreamUrl(url, { key: KEY, now: Date.parse(expiresAt) + 120_000 })).toEqual({ ok: false, reason: 'expired' });
      const tampered = new URL(url);
      tampered.pathname = tampered.pathname.replace(/(free|paid)/, 'other');
      expect(verifyStreamUrl(tampered, { key: KEY })).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('refuses a paid stream to a device without an entitlement, or whose entitlement was revoked, with 403 stream_not_entitled', async () => {
    const refused = await link(paidStream, other);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('stream_not_entitled');
    await db.query('UPDATE entitlements SET revoked_at = now() WHERE device_id = $1', [buyer.id]);
    expect((await link(paidStream, buyer)).status).toBe(403);
  });

  it('answers 401 without a device, 404 for a hidden or unknown stream', async () => {
    expect((await fetch(`${api.baseUrl}/v1/streams/${freeStream}/url`)).status).toBe(401);
    await db.query('UPDATE streams SET hidden = true WHERE id = $1', [freeStream]);
    const hidden = await link(freeStream, other);
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { error: { code: string } }).error.code).toBe('stream_not_found');
  });
});
