import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GoogleAccessTokenError, GoogleAccessTokenSource, parseGoogleServiceAccount } from '@app/google-auth';
import { FCM_SCOPE, FcmProvider, type FcmProviderOptions } from '../../apps/pusher/src/providers/fcm/fcm.provider.js';
import type { PushMessage } from '../../apps/pusher/src/providers/push-provider.js';
import { startFcmFake, type FcmFake } from '../../tools/push-fakes/src/fcm-fake.server.js';

const HOUR_MS = 3_600_000;

describe('FcmProvider against the FCM fake over HTTP/2 and TLS', () => {
  let fake: FcmFake;
  /** Shared by the provider (token lifetime, ttl) and the fake (token expiry): moved by hand. */
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const now = () => clock;
  const providers: FcmProvider[] = [];

  const provider = (overrides: Partial<FcmProviderOptions> = {}, on = fake): FcmProvider => {
    const created = new FcmProvider({
      serviceAccount: parseGoogleServiceAccount(JSON.stringify(on.serviceAccount())),
      baseUrl: on.url,
      maxConcurrentStreams: 100,
      maxConnections: 2,
      connectTimeoutMs: 2_000,
      requestTimeoutMs: 5_000,
      pingIntervalMs: 60_000,
      pingTimeoutMs: 5_000,
      ca: on.ca,
      now,
      ...overrides,
    });
    providers.push(created);
    return created;
  };

  const message = (overrides: Partial<PushMessage> = {}): PushMessage => ({
    id: randomUUID(),
    token: `fcm:${randomUUID()}`,
    collapseId: 'match-4f1c',
    title: 'Goal! Lyon 1–0 Nantes',
    body: 'Lacazette, 12′',
    threadId: 'match-4f1c',
    data: { matchId: '4f1c', kind: 'goal' },
    expiresAt: new Date(clock + HOUR_MS),
    ...overrides,
  });

  const burst = (fcm: FcmProvider, count: number) => Promise.all(Array.from({ length: count }, (_, index) => fcm.send(message({ token: `fcm:device-${index}` }))));

  beforeAll(async () => {
    fake = await startFcmFake({ now });
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((created) => created.close()));
    fake.reset();
  });
  afterAll(async () => {
    await fake.close();
  });

  describe('service account and access tokens', () => {
    it('reads the service account inline or from a file, and names what is missing without echoing the key', () => {
      const json = JSON.stringify(fake.serviceAccount());
      const directory = mkdtempSync(join(tmpdir(), 'fcm-sa-'));
      try {
        writeFileSync(join(directory, 'key.json'), json);
        expect(parseGoogleServiceAccount(join(directory, 'key.json'))).toEqual(parseGoogleServiceAccount(json));
      } finally {
        rmSync(directory, { recursive: true });
      }
      const { private_key: privateKey, ...rest } = fake.serviceAccount();
      expect(() => parseGoogleServiceAccount(JSON.stringify(rest), 'FCM_SERVICE_ACCOUNT')).toThrow(/^FCM_SERVICE_ACCOUNT: private_key: /);
      expect(() => parseGoogleServiceAccount(JSON.stringify({ ...rest, private_key: privateKey, type: 'authorized_user' }))).toThrow(/type/);
      expect(() => parseGoogleServiceAccount('/nonexistent/key.json')).toThrow(/cannot read \/nonexistent\/key.json \(ENOENT\)/);
    });

    it('shares one fetch among concurrent callers, and a 401 on an old token does not discard the current one', async () => {
      const tokens = new GoogleAccessTokenSource({ serviceAccount: parseGoogleServiceAccount(fake.serviceAccount()), scope: FCM_SCOPE, timeoutMs: 2_000, ca: fake.ca, now });
      try {
        const first = await Promise.all(Array.from({ length: 20 }, () => tokens.get()));
        expect(new Set(first).size).toBe(1);
        expect(fake.tokenRequests).toBe(1);
        tokens.invalidate(first[0]);
        const second = await tokens.get();
        expect(second).not.toBe(first[0]);
        tokens.invalidate(first[0]);
        expect(await tokens.get()).toBe(second);
        expect(fake.tokenRequests).toBe(2);
      } finally {
        tokens.close();
      }
    });

    it('rejects sends when Google refuses the credentials, and asks for a retry when the token endpoint is down', async () => {
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const refused = provider({ serviceAccount: parseGoogleServiceAccount({ ...fake.serviceAccount(), private_key: stranger }) });
      expect(await refused.send(message())).toEqual({ kind: 'rejected', reason: expect.stringContaining('invalid_grant: Invalid JWT Signature.') });
      const unreachable = new GoogleAccessTokenSource({ serviceAccount: parseGoogleServiceAccount({ ...fake.serviceAccount(), token_uri: 'https://127.0.0.1:1/token' }), scope: FCM_SCOPE, timeoutMs: 1_000, now });
      await expect(unreachable.get()).rejects.toMatchObject({ constructor: GoogleAccessTokenError, retryable: true });
      unreachable.close();
      expect(fake.sendRequests).toBe(0);
    });
  });

  it('sends a notification with collapse key, tag, high priority, data and the ttl left, and reports FCM’s message name', async () => {
    const fcm = provider();
    const sent = message();
    expect(await fcm.send(sent)).toEqual({ kind: 'sent', providerId: expect.stringMatching(new RegExp(`^projects/${fake.projectId}/messages/`)) });
    const [delivery] = await fake.waitForDeliveries(1);
    expect(delivery.message).toEqual({
      token: sent.token,
      notification: { title: sent.title, body: sent.body },
      data: { matchId: '4f1c', kind: 'goal' },
      android: { collapse_key: 'match-4f1c', priority: 'HIGH', ttl: '3600s', notification: { tag: 'match-4f1c' } },
    });
    expect(await fcm.send(message({ expiresAt: new Date(clock - 1) }))).toEqual({ kind: 'rejected', reason: 'expired before sending' });
  });

  it('fetches one access token for many sends, a new one once it nears expiry, and another after a 401', async () => {
    const fcm = provider();
    expect((await burst(fcm, 200)).every((outcome) => outcome.kind === 'sent')).toBe(true);
    expect(fake.tokenRequests).toBe(1);
    const first = fake.deliveries[0].accessToken;
    expect(new Set(fake.deliveries.map((delivery) => delivery.accessToken))).toEqual(new Set([first]));

    // Within five minutes of the hour, the token is replaced before it could die in flight.
    clock += HOUR_MS - 4 * 60_000;
    expect(await fcm.send(message())).toMatchObject({ kind: 'sent' });
    expect(fake.tokenRequests).toBe(2);
    const second = fake.deliveries.at(-1)!.accessToken;
    expect(second).not.toBe(first);

    fake.revokeAccessTokens();
    const requestsBefore = fake.sendRequests;
    expect(await fcm.send(message())).toMatchObject({ kind: 'sent' });
    expect(fake.tokenRequests).toBe(3);
    expect(fake.sendRequests - requestsBefore).toBe(2);
    expect(fake.deliveries.at(-1)!.accessToken).not.toBe(second);
  });

  it('gives up after a second 401 with a fresh token', async () => {
    const fcm = provider();
    fake.failToken('fcm:apns-broken', 401, 'THIRD_PARTY_AUTH_ERROR');
    expect(await fcm.send(message({ token: 'fcm:apns-broken' }))).toEqual({ kind: 'rejected', reason: expect.stringContaining('THIRD_PARTY_AUTH_ERROR') });
    expect(fake.sendRequests).toBe(2);
    expect(fake.tokenRequests).toBe(2);
  });

  it('reports an unregistered, malformed or foreign token as token_invalid, sent once', async () => {
    const fcm = provider();
    fake.failToken('fcm:uninstalled', 404, 'UNREGISTERED');
    fake.failToken('fcm:other-sender', 403, 'SENDER_ID_MISMATCH');
    expect(await fcm.send(message({ token: 'fcm:uninstalled' }))).toEqual({ kind: 'token_invalid', reason: 'UNREGISTERED: Requested entity was not found.' });
    expect(await fcm.send(message({ token: 'fcm:other-sender' }))).toMatchObject({ kind: 'token_invalid', reason: expect.stringContaining('SENDER_ID_MISMATCH') });
    expect(await fcm.send(message({ token: 'not a token' }))).toMatchObject({ kind: 'token_invalid', reason: expect.stringContaining('registration token') });
    expect(fake.sendRequests).toBe(3);
  });

  it('rejects a payload FCM finds too big without blaming the token', async () => {
    const fcm = provider();
    expect(await fcm.send(message({ data: { blob: 'x'.repeat(5_000) } }))).toEqual({ kind: 'rejected', reason: 'PayloadTooLarge' });
  });

  it('asks for a retry on QUOTA_EXCEEDED, UNAVAILABLE and INTERNAL, after retry-after in seconds or as a date', async () => {
    const fcm = provider();
    fake.failToken('fcm:quota', 429, 'QUOTA_EXCEEDED', 1, 30);
    fake.failToken('fcm:down', 503, 'UNAVAILABLE', 1, new Date(clock + 90_000).toUTCString());
    fake.failToken('fcm:oops', 500, 'INTERNAL', 1);
    expect(await fcm.send(message({ token: 'fcm:quota' }))).toEqual({ kind: 'retry', reason: expect.stringContaining('QUOTA_EXCEEDED'), retryAfterMs: 30_000 });
    expect(await fcm.send(message({ token: 'fcm:down' }))).toEqual({ kind: 'retry', reason: expect.stringContaining('UNAVAILABLE'), retryAfterMs: 90_000 });
    expect(await fcm.send(message({ token: 'fcm:oops' }))).toEqual({ kind: 'retry', reason: expect.stringContaining('INTERNAL') });
    expect(await fcm.send(message({ token: 'fcm:quota' }))).toMatchObject({ kind: 'sent' });
  });

  it('asks for a retry when FCM stops answering, after the client’s own attempts', async () => {
    const fcm = provider({ requestTimeoutMs: 100 });
    fake.latencyMs = 400;
    expect(await fcm.send(message())).toEqual({ kind: 'retry', reason: expect.stringContaining('no answer within 100 ms') });
    expect(fake.sendRequests).toBe(4);
    // The fake acts on the abandoned requests late (as a slow FCM may): let it, so later tests see none of them.
    await fake.waitForDeliveries(4, 2_000);
    // Http2Client.close() waits forever on a connection that is still closing gracefully: let those finish first.
    await sleep(100);
  });

  it('never runs more streams on a connection than its own cap while 1,000 sends run', async () => {
    const fcm = provider({ maxConcurrentStreams: 10, maxConnections: 2 });
    fake.latencyMs = 5;
    const outcomes = await burst(fcm, 1_000);
    expect(outcomes.filter((outcome) => outcome.kind !== 'sent')).toEqual([]);
    expect(new Set(fake.deliveries.map((delivery) => delivery.token)).size).toBe(1_000);
    expect(fake.peakStreamsPerConnection).toBe(10);
    expect(new Set(fake.deliveries.map((delivery) => delivery.connectionId)).size).toBe(2);
  });

  it('never runs more streams than the server’s SETTINGS allow while 1,000 sends run', async () => {
    const strict = await startFcmFake({ now, maxConcurrentStreams: 8, latencyMs: 5 });
    try {
      const fcm = provider({ maxConcurrentStreams: 100, maxConnections: 2 }, strict);
      const outcomes = await burst(fcm, 1_000);
      expect(outcomes.filter((outcome) => outcome.kind !== 'sent')).toEqual([]);
      expect(new Set(strict.deliveries.map((delivery) => delivery.token)).size).toBe(1_000);
      expect(strict.peakStreamsPerConnection).toBe(8);
    } finally {
      await Promise.all(providers.splice(0).map((created) => created.close()));
      await strict.close();
    }
  });

  it('delivers every message of a burst when FCM sends GOAWAY in the middle of it', async () => {
    const fcm = provider({ maxConcurrentStreams: 50, maxConnections: 1 });
    fake.latencyMs = 5;
    fake.goAwayAfter(300);
    const outcomes = await burst(fcm, 1_000);
    expect(outcomes.filter((outcome) => outcome.kind !== 'sent')).toEqual([]);
    expect(new Set(fake.deliveries.map((delivery) => delivery.token)).size).toBe(1_000);
    // The streams GOAWAY left out were never processed: sent again, each arrives once.
    expect(fake.deliveries).toHaveLength(1_000);
    expect(fake.goAwaysSent).toBe(1);
    expect(fcm.connectionsOpened).toBe(2);
    expect(new Set(fake.deliveries.map((delivery) => delivery.connectionId)).size).toBe(2);
  });
});
