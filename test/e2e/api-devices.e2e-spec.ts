import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { insertDevice } from '../factories/device.factory.js';
import { insertMatch, insertTeam } from '../factories/hockey.factory.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, only ever asserted on: left untyped. */
  body: any;
}

interface Registered {
  deviceId: string;
  deviceKey: string;
  authorization: string;
}

const ALL_KINDS = ['goal', 'penalty', 'period', 'final', 'video'];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the API: device identity and subscriptions', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;

  const call = async (method: string, path: string, { body, authorization }: { body?: unknown; authorization?: string } = {}): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authorization !== undefined) headers.authorization = authorization;
    const response = await fetch(`${api.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
  };
  const registration = (overrides: Record<string, unknown> = {}) => ({ platform: 'android', locale: 'fr-CA', timeZone: 'America/Montreal', appVersion: '2.3.1', ...overrides });
  const register = async (overrides: Record<string, unknown> = {}): Promise<Registered> => {
    const answer = await call('POST', '/v1/devices', { body: registration(overrides) });
    expect(answer.status).toBe(201);
    return { ...(answer.body as Registered), authorization: `Device ${answer.body.deviceId}:${answer.body.deviceKey}` };
  };
  const deviceRow = async (id: string) => (await db.query('SELECT * FROM devices WHERE id = $1', [id]))[0];
  const subscriptionRows = async (id: string) =>
    db.query('SELECT target_kind, target_id, kinds, created_at FROM device_subscriptions WHERE device_id = $1 ORDER BY target_kind, target_id', [id]);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    api = await startApp('api', { DATABASE_URL: database.url });
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('registers, authenticates, updates and replaces subscriptions, with the key stored only as its hash', async () => {
    const answer = await call('POST', '/v1/devices', { body: registration({ pushToken: 'token-a', locale: 'fr-ca', timeZone: 'america/toronto' }) });
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body).sort()).toEqual(['deviceId', 'deviceKey']);
    const { deviceId, deviceKey } = answer.body as Registered;
    expect(Buffer.from(deviceKey, 'base64url')).toHaveLength(32);
    const authorization = `Device ${deviceId}:${deviceKey}`;

    const row = await deviceRow(deviceId);
    expect(row.key_hash).toBe(sha256(deviceKey));
    expect(JSON.stringify(row)).not.toContain(deviceKey);
    expect(row).toMatchObject({ platform: 'android', push_token: 'token-a', locale: 'fr-CA', time_zone: 'America/Toronto', app_version: '2.3.1' });

    const me = await call('GET', '/v1/devices/me', { authorization });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ deviceId, platform: 'android', pushToken: 'token-a', locale: 'fr-CA', timeZone: 'America/Toronto', appVersion: '2.3.1', pushTokenInvalidAt: null });
    const meText = JSON.stringify(me.body);
    expect(meText).not.toContain(deviceKey);
    expect(meText).not.toContain(row.key_hash);
    expect(me.body).not.toHaveProperty('keyHash');

    // The push service rejected the token; a new one clears that, the same one would not.
    await db.query("UPDATE devices SET push_token_invalid_at = now() - interval '1 hour' WHERE id = $1", [deviceId]);
    const same = await call('PATCH', '/v1/devices/me', { authorization, body: { pushToken: 'token-a' } });
    expect(same.status).toBe(200);
    expect(same.body.pushTokenInvalidAt).not.toBeNull();
    const patched = await call('PATCH', '/v1/devices/me', { authorization, body: { pushToken: 'token-b', locale: 'en', timeZone: 'Europe/Paris', appVersion: '2.4.0-beta.1+77' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ deviceId, pushToken: 'token-b', pushTokenInvalidAt: null, locale: 'en', timeZone: 'Europe/Paris', appVersion: '2.4.0-beta.1+77' });
    expect(await deviceRow(deviceId)).toMatchObject({ push_token: 'token-b', push_token_invalid_at: null, locale: 'en', time_zone: 'Europe/Paris', key_hash: sha256(deviceKey) });
    // Absent fields stay; null turns notifications off.
    const cleared = await call('PATCH', '/v1/devices/me', { authorization, body: { pushToken: null } });
    expect(cleared.body).toMatchObject({ pushToken: null, locale: 'en', timeZone: 'Europe/Paris' });

    const team = await insertTeam(db);
    const match = await insertMatch(db);
    expect(await call('GET', '/v1/devices/me/subscriptions', { authorization })).toMatchObject({ status: 200, body: { subscriptions: [] } });
    const first = await call('PUT', '/v1/devices/me/subscriptions', {
      authorization,
      body: { subscriptions: [{ targetKind: 'team', targetId: team.id }, { targetKind: 'match', targetId: match.id, kinds: ['final', 'goal'] }] },
    });
    expect(first.status).toBe(200);
    const expected = [
      { target_kind: 'match', target_id: match.id, kinds: ['goal', 'final'] },
      { target_kind: 'team', target_id: team.id, kinds: ALL_KINDS },
    ];
    const stored = await subscriptionRows(deviceId);
    expect(stored.map(({ created_at: _, ...rest }: Record<string, unknown>) => rest)).toEqual(expected);
    const asApi = (rows: typeof expected) => rows.map(({ target_kind, target_id, kinds }) => ({ targetKind: target_kind, targetId: target_id, kinds }));
    expect(first.body.subscriptions.map(({ targetKind, targetId, kinds }: Record<string, unknown>) => ({ targetKind, targetId, kinds }))).toEqual(asApi(expected));
    const listed = await call('GET', '/v1/devices/me/subscriptions', { authorization });
    expect(listed.body).toEqual(first.body);

    // Replacing: the match is dropped, the team kept (same row, new kinds), another team added.
    const other = await insertTeam(db);
    const second = await call('PUT', '/v1/devices/me/subscriptions', {
      authorization,
      body: { subscriptions: [{ targetKind: 'team', targetId: team.id, kinds: ['goal'] }, { targetKind: 'team', targetId: other.id }] },
    });
    expect(second.status).toBe(200);
    const replaced = await subscriptionRows(deviceId);
    expect(replaced.map(({ target_id, kinds }: Record<string, unknown>) => ({ target_id, kinds }))).toEqual(
      [
        { target_id: team.id, kinds: ['goal'] },
        { target_id: other.id, kinds: ALL_KINDS },
      ].sort((a, b) => String(a.target_id).localeCompare(String(b.target_id))),
    );
    expect(replaced.find((r: Record<string, unknown>) => r.target_id === team.id).created_at).toEqual(stored.find((r: Record<string, unknown>) => r.target_id === team.id).created_at);

    // An empty list unfollows everything.
    expect((await call('PUT', '/v1/devices/me/subscriptions', { authorization, body: { subscriptions: [] } })).body).toEqual({ subscriptions: [] });
    expect(await subscriptionRows(deviceId)).toEqual([]);

    // The key is given once: nothing else returns it.
    for (const path of ['/v1/devices/me', '/v1/devices/me/subscriptions']) {
      expect(JSON.stringify((await call('GET', path, { authorization })).body)).not.toContain(deviceKey);
    }
  });

  it('answers missing or malformed credentials with device_auth_required, wrong ones with device_auth_invalid', async () => {
    const mine = await register();
    const theirs = await insertDevice(db, { locale: 'de-DE' });
    const stranger = randomUUID();

    const required = [
      undefined,
      '',
      'Device',
      'garbage',
      `Bearer ${mine.deviceId}:${mine.deviceKey}`,
      `Device ${mine.deviceId}`,
      `Device ${mine.deviceId}:`,
      `Device :${mine.deviceKey}`,
      `Device not-a-uuid:${mine.deviceKey}`,
      `Device ${mine.deviceId}:${mine.deviceKey}${'A'.repeat(500)}`,
      `Device ${mine.deviceId}:${'\u00e9'.repeat(43)}`,
    ];
    for (const authorization of required) {
      const answer = await call('GET', '/v1/devices/me', { authorization });
      expect({ authorization, status: answer.status, code: answer.body.error?.code }).toEqual({ authorization, status: 401, code: 'device_auth_required' });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Device /);
    }

    const invalid = [
      `Device ${mine.deviceId}:${theirs.key}`, // my id, their key
      `Device ${theirs.id}:${mine.deviceKey}`, // their id, my key
      `Device ${stranger}:${mine.deviceKey}`, // no such device
      `Device ${mine.deviceId}:${mine.deviceKey.slice(0, -1)}${mine.deviceKey.endsWith('A') ? 'B' : 'A'}`, // one character off
    ];
    const answers: string[] = [];
    for (const authorization of invalid) {
      for (const [method, path, body] of [
        ['GET', '/v1/devices/me'],
        ['PATCH', '/v1/devices/me', { locale: 'it' }],
        ['GET', '/v1/devices/me/subscriptions'],
        ['PUT', '/v1/devices/me/subscriptions', { subscriptions: [] }],
      ] as const) {
        const answer = await call(method, path, { authorization, body });
        expect({ authorization, method, path, status: answer.status, code: answer.body.error?.code }).toEqual({ authorization, method, path, status: 401, code: 'device_auth_invalid' });
        answers.push(JSON.stringify(answer.body));
      }
    }
    // Unknown device and wrong key: the very same answer.
    expect(new Set(answers).size).toBe(1);

    // Each device sees and changes only itself.
    expect((await call('GET', '/v1/devices/me', { authorization: theirs.authorization })).body).toMatchObject({ deviceId: theirs.id, locale: 'de-DE' });
    expect((await call('PATCH', '/v1/devices/me', { authorization: mine.authorization, body: { locale: 'es' } })).body).toMatchObject({ deviceId: mine.deviceId, locale: 'es' });
    expect((await deviceRow(theirs.id)).locale).toBe('de-DE');
    // Nowhere to name another device: an id in the path is not a route.
    expect((await call('GET', `/v1/devices/${theirs.id}`, { authorization: mine.authorization })).status).toBe(404);
    expect((await call('PATCH', '/v1/devices/me', { authorization: mine.authorization, body: { deviceId: theirs.id } })).status).toBe(400);
  });

  it('moves a push token already held by another device to the one that claims it', async () => {
    const old = await register({ pushToken: 'shared-token' });
    await db.query('UPDATE devices SET push_token_invalid_at = now() WHERE id = $1', [old.deviceId]);
    const reinstalled = await register({ pushToken: 'shared-token' });
    expect((await deviceRow(old.deviceId)).push_token).toBeNull();
    expect((await deviceRow(reinstalled.deviceId)).push_token).toBe('shared-token');

    const patched = await call('PATCH', '/v1/devices/me', { authorization: old.authorization, body: { pushToken: 'shared-token' } });
    expect(patched.status).toBe(200);
    expect((await db.query('SELECT id FROM devices WHERE push_token = $1', ['shared-token'])).map((row: { id: string }) => row.id)).toEqual([old.deviceId]);
    expect(patched.body).toMatchObject({ pushToken: 'shared-token', pushTokenInvalidAt: null });

    // Concurrent claims of one token: all succeed, and one device ends up holding it.
    const claimants = await Promise.all(Array.from({ length: 8 }, () => register()));
    const claims = await Promise.all(claimants.map(({ authorization }) => call('PATCH', '/v1/devices/me', { authorization, body: { pushToken: 'contested' } })));
    expect(claims.map(({ status }) => status)).toEqual(claims.map(() => 200));
    const holders = await db.query('SELECT id FROM devices WHERE push_token = $1', ['contested']);
    expect(holders).toHaveLength(1);
    expect(claimants.map(({ deviceId }) => deviceId)).toContain(holders[0].id);
  });

  it('refuses unknown fields, oversized and malformed values with validation_failed', async () => {
    const device = await register();
    const cases: [string, string, unknown][] = [
      ['POST', '/v1/devices', registration({ admin: true })],
      ['POST', '/v1/devices', registration({ platform: 'windows' })],
      ['POST', '/v1/devices', registration({ timeZone: 'Mars/Olympus_Mons' })],
      ['POST', '/v1/devices', registration({ timeZone: '+02:00' })],
      ['POST', '/v1/devices', registration({ timeZone: 'Europe/' + 'x'.repeat(100) })],
      ['POST', '/v1/devices', registration({ locale: 'not a locale' })],
      ['POST', '/v1/devices', registration({ locale: 'en-' + 'abcdefgh-'.repeat(20) + 'x' })],
      ['POST', '/v1/devices', registration({ appVersion: 'latest' })],
      ['POST', '/v1/devices', registration({ appVersion: '1.2.3-' + 'a'.repeat(100) })],
      ['POST', '/v1/devices', registration({ pushToken: 'x'.repeat(5000) })],
      ['POST', '/v1/devices', registration({ pushToken: 'has spaces' })],
      ['POST', '/v1/devices', registration({ locale: undefined })],
      ['POST', '/v1/devices', registration({ deviceKey: 'chosen-by-me' })],
      ['PATCH', '/v1/devices/me', { platform: 'ios' }],
      ['PATCH', '/v1/devices/me', { locale: null }],
      ['PATCH', '/v1/devices/me', { timeZone: 'Nowhere/Land' }],
      ['PUT', '/v1/devices/me/subscriptions', { subscriptions: [{ targetKind: 'player', targetId: randomUUID() }] }],
      ['PUT', '/v1/devices/me/subscriptions', { subscriptions: [{ targetKind: 'team', targetId: 'not-a-uuid' }] }],
      ['PUT', '/v1/devices/me/subscriptions', { subscriptions: [{ targetKind: 'team', targetId: randomUUID(), kinds: ['goal', 'fight'] }] }],
      ['PUT', '/v1/devices/me/subscriptions', { subscriptions: [{ targetKind: 'team', targetId: randomUUID(), kinds: [] }] }],
      ['PUT', '/v1/devices/me/subscriptions', { subscriptions: [{ targetKind: 'team', targetId: randomUUID(), extra: 1 }] }],
      ['PUT', '/v1/devices/me/subscriptions', { subscriptions: Array.from({ length: 201 }, () => ({ targetKind: 'team', targetId: randomUUID() })) }],
      ['PUT', '/v1/devices/me/subscriptions', { subscriptions: 'all' }],
      ['PUT', '/v1/devices/me/subscriptions', {}],
    ];
    for (const [method, path, body] of cases) {
      const answer = await call(method, path, { authorization: device.authorization, body });
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({ body, status: 400, code: 'validation_failed' });
    }
    expect(await db.query('SELECT count(*)::int AS n FROM devices WHERE locale IS NULL')).toEqual([{ n: 0 }]);
    expect((await deviceRow(device.deviceId)).platform).toBe('android');

    const team = await insertTeam(db);
    const twice = await call('PUT', '/v1/devices/me/subscriptions', {
      authorization: device.authorization,
      body: { subscriptions: [{ targetKind: 'team', targetId: team.id }, { targetKind: 'team', targetId: team.id, kinds: ['goal'] }] },
    });
    expect(twice).toMatchObject({ status: 400, body: { error: { code: 'duplicate_subscription_target', details: { targets: [{ targetKind: 'team', targetId: team.id }] } } } });
  });

  it('refuses subscriptions to hidden or missing targets with 422, changing nothing', async () => {
    const device = await register();
    const team = await insertTeam(db);
    const hiddenTeam = await insertTeam(db, { hidden: true });
    const hiddenMatch = await insertMatch(db, { hidden: true });
    const missing = randomUUID();
    const kept = await call('PUT', '/v1/devices/me/subscriptions', { authorization: device.authorization, body: { subscriptions: [{ targetKind: 'team', targetId: team.id }] } });
    expect(kept.status).toBe(200);

    const cases: { targetKind: string; targetId: unknown }[][] = [
      [{ targetKind: 'team', targetId: hiddenTeam.id }],
      [{ targetKind: 'team', targetId: missing }],
      [{ targetKind: 'match', targetId: hiddenMatch.id }],
      // A team's id is not a match's.
      [{ targetKind: 'match', targetId: team.id }],
      [
        { targetKind: 'team', targetId: team.id },
        { targetKind: 'team', targetId: missing },
      ],
    ];
    for (const subscriptions of cases) {
      const answer = await call('PUT', '/v1/devices/me/subscriptions', { authorization: device.authorization, body: { subscriptions } });
      const unavailable = subscriptions.filter((s) => s.targetId !== team.id || s.targetKind !== 'team');
      expect(answer).toMatchObject({ status: 422, body: { error: { code: 'subscription_target_not_found', details: { targets: unavailable } } } });
      expect((await subscriptionRows(device.deviceId)).map((row: { target_id: string }) => row.target_id)).toEqual([team.id]);
    }
  });

  it('writes last_seen_at at most once a minute', async () => {
    const device = await register();
    const lastSeen = async () => (await deviceRow(device.deviceId)).last_seen_at as Date;
    const registeredAt = await lastSeen();
    for (let i = 0; i < 5; i++) expect((await call('GET', '/v1/devices/me', { authorization: device.authorization })).status).toBe(200);
    expect(await lastSeen()).toEqual(registeredAt);

    await db.query("UPDATE devices SET last_seen_at = now() - interval '2 minutes' WHERE id = $1", [device.deviceId]);
    const stale = await lastSeen();
    await Promise.all(Array.from({ length: 5 }, () => call('GET', '/v1/devices/me', { authorization: device.authorization })));
    const touched = await lastSeen();
    expect(touched.getTime()).toBeGreaterThan(stale.getTime() + 60_000);
    await call('GET', '/v1/devices/me/subscriptions', { authorization: device.authorization });
    expect(await lastSeen()).toEqual(touched);
  });
});
