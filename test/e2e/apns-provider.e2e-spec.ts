import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { ApnsProvider, type ApnsProviderOptions } from '../../apps/pusher/src/providers/apns/apns.provider.js';
import { PAYLOAD_TOO_LARGE, type PushMessage } from '../../apps/pusher/src/providers/push-provider.js';
import { startApnsFake, type ApnsFake, type ApnsFakeOptions } from '../../tools/push-fakes/src/apns-fake.server.js';

const TEAM_ID = 'TEAM123456';
const KEY_ID = 'KEY1234567';
const TOPIC = 'com.example.faceoff';
const START = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

function message(overrides: Partial<PushMessage> = {}): PushMessage {
  return {
    id: randomUUID(),
    token: randomBytes(32).toString('hex'),
    collapseId: `match-${randomUUID()}`,
    title: 'Goal!',
    body: 'Arsenal 1-0 Chelsea',
    threadId: 'match-42',
    data: { matchId: '42', kind: 'goal' },
    expiresAt: new Date(START + 60 * MINUTE),
    ...overrides,
  };
}

describe('APNs provider against the APNs fake over HTTP/2 and TLS', () => {
  // The fake's clock and ours move separately: that is how a token comes to be expired in APNs's eyes only.
  let fakeClock = START;
  let providerClock = START;
  let fake: ApnsFake;
  let provider: ApnsProvider;

  beforeAll(() => {
    // The client logs each request it sends again at debug level: a thousand lines per GOAWAY here.
    Logger.overrideLogger(['error', 'warn', 'log']);
  });

  async function start(fakeOptions: Partial<ApnsFakeOptions> = {}, providerOptions: Partial<ApnsProviderOptions> = {}): Promise<void> {
    fake = await startApnsFake({ keys: { [KEY_ID]: publicKey }, teamId: TEAM_ID, topic: TOPIC, now: () => fakeClock, ...fakeOptions });
    provider = new ApnsProvider({ ...options(), ...providerOptions });
  }

  function options(): ApnsProviderOptions {
    return {
      baseUrl: fake.url,
      keyId: KEY_ID,
      teamId: TEAM_ID,
      privateKey: privatePem,
      topic: TOPIC,
      refreshAfterMs: 40 * MINUTE,
      maxConcurrentStreams: 1000,
      connectTimeoutMs: 5000,
      requestTimeoutMs: 5000,
      // Slow enough that a busy event loop (client and fake share it) is not taken for a dead connection.
      pingIntervalMs: 5000,
      pingTimeoutMs: 2000,
      ca: fake.ca,
      now: () => providerClock,
    };
  }

  afterEach(async () => {
    await provider.close();
    await fake.close();
    fakeClock = START;
    providerClock = START;
  });

  it('sends the APNs headers, the payload and a valid ES256 provider token', async () => {
    await start();
    const sent = message();
    expect(await provider.send(sent)).toEqual({ kind: 'sent', providerId: sent.id });
    const [delivery] = fake.deliveries;
    expect(delivery).toMatchObject({
      token: sent.token,
      apnsId: sent.id,
      collapseId: sent.collapseId,
      kid: KEY_ID,
      payload: { aps: { alert: { title: 'Goal!', body: 'Arsenal 1-0 Chelsea' }, sound: 'default', 'thread-id': 'match-42' }, matchId: '42', kind: 'goal' },
    });
    expect(delivery.headers).toMatchObject({
      'apns-topic': TOPIC,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-expiration': String((START + 60 * MINUTE) / 1000),
      'apns-collapse-id': sent.collapseId,
      'apns-id': sent.id,
    });
    const jwt = delivery.headers.authorization.replace(/^bearer /, '');
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: KEY_ID });
    const { payload } = await jwtVerify(jwt, publicKey, { algorithms: ['ES256'], issuer: TEAM_ID, currentDate: new Date(fakeClock) });
    expect(payload).toEqual({ iss: TEAM_ID, iat: START / 1000 });
  });

  it('signs the provider token once, reuses it, and signs again only after the refresh window', async () => {
    await start();
    const burst = async (n: number) => {
      const outcomes = await Promise.all(Array.from({ length: n }, () => provider.send(message())));
      expect(outcomes.every((outcome) => outcome.kind === 'sent')).toBe(true);
    };
    await burst(200);
    expect(provider.token.signatures).toBe(1);
    fakeClock = providerClock = START + 39 * MINUTE;
    await burst(50);
    expect(provider.token.signatures).toBe(1);
    fakeClock = providerClock = START + 40 * MINUTE;
    await burst(200);
    expect(provider.token.signatures).toBe(2);
    fakeClock = providerClock = START + 79 * MINUTE;
    await burst(50);
    const tokens = new Set(fake.deliveries.map((delivery) => delivery.headers.authorization));
    expect(tokens.size).toBe(2);
    expect(new Set(fake.deliveries.map((delivery) => delivery.iat))).toEqual(new Set([START / 1000, (START + 40 * MINUTE) / 1000]));
    // The fake enforces APNs's 20-minute rule: none of this broke it.
    expect(fake.requests.every((request) => request.status === 200)).toBe(true);
  });

  it('answers ExpiredProviderToken with one new token and one more try, even for 100 requests at once', async () => {
    await start();
    expect((await provider.send(message())).kind).toBe('sent');
    // Our clock runs 40 minutes behind APNs's: our 21-minute-old token is 61 minutes old there.
    providerClock = START + 21 * MINUTE;
    fakeClock = START + 61 * MINUTE;
    const messages = Array.from({ length: 100 }, () => message());
    const outcomes = await Promise.all(messages.map((sent) => provider.send(sent)));
    expect(outcomes.every((outcome) => outcome.kind === 'sent')).toBe(true);
    expect(provider.token.signatures).toBe(2);
    const expired = fake.requests.filter((request) => request.reason === 'ExpiredProviderToken');
    expect(expired.length).toBeGreaterThanOrEqual(1);
    // One refusal at most per message, each followed by one accepted try.
    expect(new Set(expired.map((request) => request.token)).size).toBe(expired.length);
    const tokens = new Set(messages.map((sent) => sent.token));
    expect(fake.deliveries.filter((delivery) => tokens.has(delivery.token))).toHaveLength(100);
    expect(fake.requests.filter((request) => tokens.has(request.token!))).toHaveLength(100 + expired.length);
  });

  it('reports a dead device token without trying again', async () => {
    await start();
    const gone = message();
    fake.failToken(gone.token, 410, 'Unregistered');
    expect(await provider.send(gone)).toEqual({ kind: 'token_invalid', reason: 'Unregistered' });
    expect(fake.requests.filter((request) => request.token === gone.token)).toHaveLength(1);
    const short = message({ token: 'abc123' });
    expect(await provider.send(short)).toEqual({ kind: 'token_invalid', reason: 'BadDeviceToken' });
    expect(fake.requests.filter((request) => request.token === short.token)).toHaveLength(1);
    // Not even a path: refused without asking.
    expect(await provider.send(message({ token: '../../x' }))).toEqual({ kind: 'token_invalid', reason: 'BadDeviceToken' });
    expect(fake.requests).toHaveLength(2);
  });

  it('turns throttling and server errors into retries, with Retry-After, and other refusals into rejections', async () => {
    await start();
    const throttled = message();
    fake.failToken(throttled.token, 429, 'TooManyRequests', { times: 1, retryAfterSeconds: 7 });
    expect(await provider.send(throttled)).toEqual({ kind: 'retry', reason: 'TooManyRequests', retryAfterMs: 7000 });
    expect(await provider.send(throttled)).toEqual({ kind: 'sent', providerId: throttled.id });
    const broken = message();
    fake.failToken(broken.token, 500, 'InternalServerError', { times: 1 });
    expect(await provider.send(broken)).toEqual({ kind: 'retry', reason: 'InternalServerError' });
    const shutdown = message();
    fake.failToken(shutdown.token, 503, 'ServiceUnavailable', { times: 1 });
    expect(await provider.send(shutdown)).toEqual({ kind: 'retry', reason: 'ServiceUnavailable' });
    const ourBug = message();
    fake.failToken(ourBug.token, 429, 'TooManyProviderTokenUpdates', { times: 1 });
    expect(await provider.send(ourBug)).toEqual({ kind: 'retry', reason: 'TooManyProviderTokenUpdates' });
    expect(await provider.send(message({ collapseId: 'x'.repeat(65) }))).toEqual({ kind: 'rejected', reason: 'BadCollapseId' });
  });

  it('answers retry, without hanging, when APNs cannot be reached', async () => {
    await start();
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = new ApnsProvider({ ...options(), baseUrl: `https://127.0.0.1:${port}` });
    try {
      expect(await unreachable.send(message())).toEqual({ kind: 'retry', reason: expect.stringContaining('ECONNREFUSED') });
      // The first try and three more, each on a new connection, then the outcome.
      expect(unreachable.connectionsOpened).toBe(4);
    } finally {
      await unreachable.close();
    }
  });

  it('refuses a payload over 4 KB without sending it', async () => {
    await start();
    expect(await provider.send(message({ body: 'x'.repeat(4096) }))).toEqual({ kind: 'rejected', reason: PAYLOAD_TOO_LARGE });
    expect(fake.requests).toHaveLength(0);
  });

  it('delivers every notification of a burst across a GOAWAY, without duplicates', async () => {
    await start();
    fake.goAwayAfter(500);
    const messages = Array.from({ length: 2000 }, () => message());
    const outcomes = await Promise.all(messages.map((sent) => provider.send(sent)));
    expect(outcomes.filter((outcome) => outcome.kind !== 'sent')).toEqual([]);
    expect(fake.goAwaysSent).toBe(1);
    // Two, unless a loaded machine let a handshake time out (which sends nothing twice).
    expect(provider.connectionsOpened).toBeGreaterThanOrEqual(2);
    expect(new Set(fake.deliveries.map((delivery) => delivery.token)).size).toBe(2000);
    // A NO_ERROR GOAWAY names the streams it will answer; the rest were never acted on.
    expect(fake.deliveries).toHaveLength(2000);
    expect(new Set(fake.deliveries.map((delivery) => delivery.connectionId)).size).toBeGreaterThanOrEqual(2);
  });

  it('replaces a connection that stops answering PINGs and delivers everything', async () => {
    await start({}, { pingIntervalMs: 200, pingTimeoutMs: 300 });
    await Promise.all(Array.from({ length: 20 }, () => provider.send(message())));
    fake.silence(true);
    const messages = Array.from({ length: 200 }, () => message());
    const sending = Promise.all(messages.map((sent) => provider.send(sent)));
    // The PING goes unanswered within 200 + 300 ms; the replacement's handshake waits for the fake to speak again.
    const deadline = Date.now() + 3000;
    while (provider.connectionsOpened < 2 && Date.now() < deadline) await sleep(20);
    expect(provider.connectionsOpened).toBeGreaterThanOrEqual(2);
    fake.silence(false);
    const outcomes = await sending;
    expect(outcomes.filter((outcome) => outcome.kind !== 'sent')).toEqual([]);
    const delivered = new Set(fake.deliveries.map((delivery) => delivery.token));
    expect(messages.every((sent) => delivered.has(sent.token))).toBe(true);
    expect(fake.sessionsOpened).toBeGreaterThanOrEqual(2);
  });

  it('keeps within the stream limit the server announces', async () => {
    await start({ maxConcurrentStreams: 50, latencyMs: 5 });
    const outcomes = await Promise.all(Array.from({ length: 1000 }, () => provider.send(message())));
    expect(outcomes.every((outcome) => outcome.kind === 'sent')).toBe(true);
    expect(fake.deliveries).toHaveLength(1000);
    expect(fake.maxConcurrentStreamsSeen).toBeLessThanOrEqual(50);
    expect(fake.maxConcurrentStreamsSeen).toBeGreaterThan(25);
  });
});
