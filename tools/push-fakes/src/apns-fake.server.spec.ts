import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http2, { type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { SignJWT } from 'jose';
import { startApnsFake, type ApnsFake } from './apns-fake.server.js';

const TEAM_ID = 'TEAM123456';
const KEY_ID = 'KEY1234567';
const TOPIC = 'com.example.faceoff';
const DEVICE = 'a'.repeat(64);
const APNS_ID = '123e4567-e89b-12d3-a456-426614174000';
const START = Date.parse('2026-11-25T12:00:00Z');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const { privateKey: otherKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function jwt(claims: { iss?: string; iat?: number } = {}, kid = KEY_ID, key: KeyObject = privateKey): Promise<string> {
  return new SignJWT({ iss: TEAM_ID, iat: Math.floor(START / 1000), ...claims }).setProtectedHeader({ alg: 'ES256', kid }).sign(key);
}

function request(session: ClientHttp2Session, headers: OutgoingHttpHeaders, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers);
    let answer: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (received) => (answer = received));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status: Number(answer[':status']), headers: answer, body: Buffer.concat(chunks).toString() }));
    stream.on('error', reject);
    stream.end(body);
  });
}

describe('APNs fake', () => {
  let clock = START;
  let fake: ApnsFake;
  let session: ClientHttp2Session;
  let token: string;
  const payload = JSON.stringify({ aps: { alert: { title: 'Goal', body: '1-0' } }, matchId: 'm1' });
  const connect = () => http2.connect(fake.url, { ca: fake.ca });
  const headers = (overrides: OutgoingHttpHeaders = {}, bearer = token): OutgoingHttpHeaders => ({
    ':method': 'POST',
    ':path': `/3/device/${DEVICE}`,
    authorization: `bearer ${bearer}`,
    'apns-topic': TOPIC,
    'apns-push-type': 'alert',
    'apns-priority': '10',
    'apns-expiration': String(Math.floor(START / 1000) + 3600),
    'apns-collapse-id': 'match-1',
    'apns-id': APNS_ID,
    ...overrides,
  });
  const reasonOf = (answer: Answer) => (JSON.parse(answer.body) as { reason: string }).reason;

  beforeAll(async () => {
    fake = await startApnsFake({ keys: { [KEY_ID]: publicKey }, teamId: TEAM_ID, topic: TOPIC, maxConcurrentStreams: 50, now: () => clock });
    session = connect();
    token = await jwt();
  });
  afterEach(() => {
    fake.reset();
    clock = START;
  });
  afterAll(async () => {
    session.close();
    await fake.close();
  });

  it('accepts a well-formed notification, echoes its apns-id and records it', async () => {
    const answer = await request(session, headers(), payload);
    expect(answer.status).toBe(200);
    expect(answer.headers['apns-id']).toBe(APNS_ID);
    expect(fake.deliveries).toEqual([
      expect.objectContaining({
        token: DEVICE,
        apnsId: APNS_ID,
        collapseId: 'match-1',
        payload: JSON.parse(payload) as object,
        kid: KEY_ID,
        iat: Math.floor(START / 1000),
        connectionId: 1,
        headers: expect.objectContaining({ 'apns-topic': TOPIC, authorization: `bearer ${token}` }),
      }),
    ]);
    expect(fake.requests).toEqual([expect.objectContaining({ status: 200, token: DEVICE, method: 'POST' })]);
  });

  it('makes up an apns-id when the request has none', async () => {
    const { 'apns-id': _omitted, ...withoutId } = headers();
    const answer = await request(session, withoutId, payload);
    expect(answer.status).toBe(200);
    expect(answer.headers['apns-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('announces its stream limit in SETTINGS', async () => {
    await request(session, headers(), payload);
    expect(session.remoteSettings.maxConcurrentStreams).toBe(50);
  });

  it('refuses missing, forged, foreign and old provider tokens with APNs reasons', async () => {
    const { authorization: _omitted, ...anonymous } = headers();
    const cases: [OutgoingHttpHeaders, number, string][] = [
      [anonymous, 403, 'MissingProviderToken'],
      [headers({}, await jwt({}, KEY_ID, otherKey)), 403, 'InvalidProviderToken'],
      [headers({}, await jwt({}, 'UNKNOWNKID')), 403, 'InvalidProviderToken'],
      [headers({}, await jwt({ iss: 'OTHERTEAM1' })), 403, 'InvalidProviderToken'],
      [headers({}, 'not.a.jwt'), 403, 'InvalidProviderToken'],
    ];
    for (const [requestHeaders, status, reason] of cases) {
      const answer = await request(session, requestHeaders, payload);
      expect([answer.status, reasonOf(answer)]).toEqual([status, reason]);
    }
    clock = START + 3_600_001;
    const expired = await request(session, headers(), payload);
    expect([expired.status, reasonOf(expired)]).toEqual([403, 'ExpiredProviderToken']);
    expect(fake.deliveries).toHaveLength(0);
    expect(fake.requests).toHaveLength(cases.length + 1);
  });

  it('refuses a new token on the same connection within 20 minutes of the last one', async () => {
    const fresh = connect();
    try {
      expect((await request(fresh, headers(), payload)).status).toBe(200);
      clock = START + 19 * 60_000;
      const tooSoon = await request(fresh, headers({}, await jwt({ iat: Math.floor(clock / 1000) })), payload);
      expect([tooSoon.status, reasonOf(tooSoon)]).toEqual([429, 'TooManyProviderTokenUpdates']);
      // Other connections keep their own count.
      const elsewhere = connect();
      expect((await request(elsewhere, headers({}, await jwt({ iat: Math.floor(clock / 1000) })), payload)).status).toBe(200);
      elsewhere.close();
      clock = START + 20 * 60_000;
      expect((await request(fresh, headers({}, await jwt({ iat: Math.floor(clock / 1000) })), payload)).status).toBe(200);
    } finally {
      fresh.close();
    }
  });

  it('lets tokens change at will when the 20-minute rule is off', async () => {
    const lenient = await startApnsFake({ keys: { [KEY_ID]: publicKey }, teamId: TEAM_ID, topic: TOPIC, enforceTokenUpdateInterval: false, now: () => clock });
    const client = http2.connect(lenient.url, { ca: lenient.ca });
    try {
      for (let second = 0; second < 3; second++) {
        expect((await request(client, headers({}, await jwt({ iat: Math.floor(START / 1000) + second })), payload)).status).toBe(200);
      }
      expect(new Set(lenient.deliveries.map((delivery) => delivery.iat)).size).toBe(3);
    } finally {
      client.close();
      await lenient.close();
    }
  });

  it('checks every header, the device token and the payload as APNs does', async () => {
    const cases: [OutgoingHttpHeaders, string | undefined, number, string][] = [
      [headers({ ':method': 'GET' }), undefined, 405, 'MethodNotAllowed'],
      [headers({ ':path': '/3/devices/abc' }), payload, 404, 'BadPath'],
      [headers({ ':path': '/3/device/' }), payload, 400, 'MissingDeviceToken'],
      [headers({ ':path': '/3/device/abc123' }), payload, 400, 'BadDeviceToken'],
      [headers({ ':path': `/3/device/${'g'.repeat(64)}` }), payload, 400, 'BadDeviceToken'],
      [headers({ 'apns-topic': 'com.example.other' }), payload, 400, 'DeviceTokenNotForTopic'],
      [headers({ 'apns-topic': '' }), payload, 400, 'MissingTopic'],
      [headers({ 'apns-push-type': 'loud' }), payload, 400, 'InvalidPushType'],
      [headers({ 'apns-priority': '7' }), payload, 400, 'BadPriority'],
      [headers({ 'apns-expiration': 'soon' }), payload, 400, 'BadExpirationDate'],
      [headers({ 'apns-collapse-id': 'x'.repeat(65) }), payload, 400, 'BadCollapseId'],
      [headers({ 'apns-id': 'not-a-uuid' }), payload, 400, 'BadMessageId'],
      [headers(), JSON.stringify({ aps: { alert: 'x'.repeat(4100) } }), 413, 'PayloadTooLarge'],
      [headers(), '', 400, 'PayloadEmpty'],
      [headers(), '{"aps":', 400, 'PayloadEmpty'],
      [headers(), '{"matchId":"m1"}', 400, 'PayloadEmpty'],
    ];
    for (const [requestHeaders, body, status, reason] of cases) {
      const answer = await request(session, requestHeaders, body);
      expect([requestHeaders, answer.status, reasonOf(answer)]).toEqual([requestHeaders, status, reason]);
      expect(answer.headers['apns-id']).toBeDefined();
    }
    expect(fake.deliveries).toHaveLength(0);
    // Limits are inclusive: 64 bytes of collapse id and 4096 of payload pass.
    const atLimit = JSON.stringify({ aps: { alert: '' }, pad: '' });
    const full = JSON.stringify({ aps: { alert: '' }, pad: 'x'.repeat(4096 - Buffer.byteLength(atLimit)) });
    expect((await request(session, headers({ 'apns-collapse-id': 'x'.repeat(64) }), full)).status).toBe(200);
  });

  it('answers a failed token as told, a number of times, with retry-after', async () => {
    fake.failToken(DEVICE, 410, 'Unregistered');
    const gone = await request(session, headers(), payload);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.body)).toEqual({ reason: 'Unregistered', timestamp: START });
    fake.reset();
    fake.failToken(DEVICE, 429, 'TooManyRequests', { times: 1, retryAfterSeconds: 7 });
    const busy = await request(session, headers(), payload);
    expect([busy.status, reasonOf(busy), busy.headers['retry-after']]).toEqual([429, 'TooManyRequests', '7']);
    expect((await request(session, headers(), payload)).status).toBe(200);
    expect(fake.deliveries).toHaveLength(1);
  });

  it('sends GOAWAY after the given number of accepted requests and refuses streams above it', async () => {
    const client = connect();
    const goaway = new Promise<number>((resolve) => client.once('goaway', (code: number, lastStreamId: number) => resolve(code === http2.constants.NGHTTP2_NO_ERROR ? lastStreamId : -1)));
    client.on('error', () => undefined);
    fake.goAwayAfter(3);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(client, headers(), payload).then(
          (answer) => answer.status,
          (error: Error) => error.message,
        ),
      ),
    );
    const lastStreamId = await goaway;
    expect(fake.goAwaysSent).toBe(1);
    expect(fake.deliveries).toHaveLength(3);
    expect(answers.filter((status) => status === 200)).toHaveLength(3);
    expect(answers.filter((status) => status === 'Stream closed with error code NGHTTP2_REFUSED_STREAM')).toHaveLength(17);
    // Streams above the GOAWAY's last one never reached the fake's handlers.
    expect(fake.requests.every((seen) => seen.streamId <= lastStreamId)).toBe(true);
    client.close();
  });

  it('answers nothing, PINGs included, while silenced', async () => {
    const client = connect();
    client.on('error', () => undefined);
    await request(client, headers(), payload);
    fake.silence(true);
    const ping = new Promise<boolean>((resolve) => client.ping((error) => resolve(!error)));
    const pending = request(client, headers(), payload);
    const early = await Promise.race([ping.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('silent'), 300))]);
    expect(early).toBe('silent');
    expect(fake.requests).toHaveLength(1);
    fake.silence(false);
    expect(await ping).toBe(true);
    expect((await pending).status).toBe(200);
    client.close();
  });

  it('keeps a new connection silent too until told otherwise', async () => {
    fake.silence(true);
    const client = connect();
    client.on('error', () => undefined);
    const connected = new Promise<string>((resolve) => client.once('connect', () => resolve('connected')));
    expect(await Promise.race([connected, new Promise((resolve) => setTimeout(() => resolve('silent'), 300))])).toBe('silent');
    fake.silence(false);
    expect(await connected).toBe('connected');
    expect((await request(client, headers(), payload)).status).toBe(200);
    client.close();
  });

  it('waits for deliveries, and says how many came when they do not', async () => {
    const waiting = fake.waitForDeliveries(2, 2_000);
    await request(session, headers(), payload);
    await request(session, headers(), payload);
    await waiting;
    await expect(fake.waitForDeliveries(3, 50)).rejects.toThrow('2 of 3 notifications delivered within 50 ms');
  });
});
