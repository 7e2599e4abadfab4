import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import http2, { type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { importPKCS8, SignJWT } from 'jose';
import type { GoogleServiceAccountJson } from '../../google-oauth-fake/src/google-token.endpoint.js';
import { startFcmFake, type FcmFake } from './fcm-fake.server.js';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

describe('FCM fake', () => {
  let fake: FcmFake;
  let account: GoogleServiceAccountJson;
  let clock = Date.parse('2026-03-01T12:00:00Z');
  let session: ClientHttp2Session;

  /** What the token endpoint sees from Google's client libraries: an HTTP/1.1 form POST. */
  const tokenRequest = (form: Record<string, string>): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = new URLSearchParams(form).toString();
      const request = https.request(`${fake.url}/token`, { method: 'POST', ca: fake.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
      });
      request.on('error', reject);
      request.end(body);
    });

  const assertion = async (claims: { iss?: string; aud?: string; scope?: string; iat?: number; exp?: number } = {}, privateKey = account.private_key) => {
    const iat = claims.iat ?? Math.floor(clock / 1000);
    return new SignJWT({ scope: claims.scope ?? SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: account.private_key_id })
      .setIssuer(claims.iss ?? account.client_email)
      .setAudience(claims.aud ?? account.token_uri)
      .setIssuedAt(iat)
      .setExpirationTime(claims.exp ?? iat + 3600)
      .sign(await importPKCS8(privateKey, 'RS256'));
  };

  const accessToken = async () => {
    const { body } = await tokenRequest({ grant_type: GRANT, assertion: await assertion() });
    return body.access_token as string;
  };

  const send = (payload: unknown, bearer?: string, path = `/v1/projects/${fake.projectId}/messages:send`): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) });
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (received) => (headers = received));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve({ status: Number(headers[':status']), headers, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
      stream.on('error', reject);
      stream.end(JSON.stringify(payload));
    });

  const message = (overrides: Record<string, unknown> = {}) => ({
    message: {
      token: 'fcm-token:APA91b-device-1',
      notification: { title: 'Goal!', body: '1–0' },
      data: { matchId: 'm1' },
      android: { collapse_key: 'match-1', priority: 'HIGH', ttl: '3600s', notification: { tag: 'match-1' } },
      ...overrides,
    },
  });

  const connect = async (): Promise<ClientHttp2Session> => {
    const connected = http2.connect(fake.url, { ca: fake.ca });
    await new Promise((resolve) => connected.once('remoteSettings', resolve));
    return connected;
  };

  beforeAll(async () => {
    fake = await startFcmFake({ now: () => clock, maxConcurrentStreams: 5 });
    account = fake.serviceAccount();
    session = await connect();
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    session.destroy();
    await fake.close();
  });

  describe('token endpoint', () => {
    it('gives a Bearer access token for a valid RS256 assertion, over HTTP/1.1', async () => {
      const answer = await tokenRequest({ grant_type: GRANT, assertion: await assertion() });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ access_token: expect.stringMatching(/^ya29\./), expires_in: 3599, token_type: 'Bearer' });
      expect(fake.tokenRequests).toBe(1);
    });

    it('refuses a bad signature, an unknown account, a wrong audience, an expired or over-long assertion, a wrong scope or grant as Google does', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const iat = Math.floor(clock / 1000);
      const cases: Array<[Record<string, string>, number, Record<string, unknown>]> = [
        [{ grant_type: GRANT, assertion: await assertion({}, other) }, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }],
        [{ grant_type: GRANT, assertion: await assertion({ iss: 'someone@else.iam.gserviceaccount.com' }) }, 400, { error: 'invalid_grant' }],
        [{ grant_type: GRANT, assertion: await assertion({ aud: 'https://oauth2.googleapis.com/token' }) }, 400, { error: 'invalid_grant', error_description: 'Invalid JWT: Failed audience check.' }],
        [{ grant_type: GRANT, assertion: await assertion({ iat: iat - 7200, exp: iat - 3600 }) }, 400, { error: 'invalid_grant', error_description: expect.stringContaining('short-lived') }],
        [{ grant_type: GRANT, assertion: await assertion({ exp: iat + 7200 }) }, 400, { error: 'invalid_grant', error_description: expect.stringContaining('short-lived') }],
        [{ grant_type: GRANT, assertion: await assertion({ scope: 'https://www.googleapis.com/auth/cloud-platform.read-only' }) }, 400, { error: 'invalid_scope' }],
        [{ grant_type: 'client_credentials', assertion: await assertion() }, 400, { error: 'unsupported_grant_type' }],
        [{ grant_type: GRANT, assertion: 'not-a-jwt' }, 400, { error: 'invalid_grant' }],
      ];
      for (const [form, status, body] of cases) {
        const answer = await tokenRequest(form);
        expect({ status: answer.status, body: answer.body }).toEqual({ status, body: expect.objectContaining(body) });
      }
    });
  });

  describe('messages:send', () => {
    it('accepts a valid message with a token it issued and records the delivery', async () => {
      const bearer = await accessToken();
      const answer = await send(message(), bearer);
      expect(answer.status).toBe(200);
      expect(answer.body.name).toMatch(new RegExp(`^projects/${fake.projectId}/messages/[0-9a-f-]{36}$`));
      const [delivery] = await fake.waitForDeliveries(1);
      expect(delivery).toEqual({ token: 'fcm-token:APA91b-device-1', message: message().message, accessToken: bearer, connectionId: expect.any(Number), receivedAt: clock });
    });

    it('answers 401 UNAUTHENTICATED without a token, with a token it never issued, and once the token expired', async () => {
      const bearer = await accessToken();
      for (const credential of [undefined, 'ya29.forged']) {
        const answer = await send(message(), credential);
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({ error: { code: 401, message: expect.stringContaining('invalid authentication credentials'), status: 'UNAUTHENTICATED', details: expect.any(Array) } });
      }
      clock += 3600_000;
      expect((await send(message(), bearer)).status).toBe(401);
      expect(fake.deliveries).toHaveLength(0);
    });

    it('answers 403 for another project', async () => {
      const answer = await send(message(), await accessToken(), '/v1/projects/not-ours/messages:send');
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    });

    it('refuses malformed messages with 400 INVALID_ARGUMENT naming the field', async () => {
      const bearer = await accessToken();
      const cases: Array<[unknown, string, boolean]> = [
        [message({ token: '' }), 'message.token', true],
        [message({ token: 'has spaces' }), 'message.token', true],
        [message({ token: undefined }), 'message', true],
        [message({ topic: 'news' }), 'message', false],
        [message({ data: { matchId: 'm1', minute: 42 } }), 'message.data[1].value', false],
        [message({ android: { priority: 'URGENT' } }), 'message.android.priority', false],
        [message({ android: { ttl: '1h' } }), 'message.android.ttl', false],
        [message({ android: { collapse_key: 7 } }), 'message.android.collapse_key', false],
        [message({ android: { collapseId: 'x' } }), 'message.android', false],
        [message({ data: { blob: 'x'.repeat(5000) } }), 'message', true],
      ];
      for (const [payload, field, fcmError] of cases) {
        const answer = await send(payload, bearer);
        expect(answer.status).toBe(400);
        const details = [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field, description: expect.any(String) }] }];
        expect(answer.body).toEqual({
          error: {
            code: 400,
            status: 'INVALID_ARGUMENT',
            message: expect.any(String),
            details: fcmError ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'INVALID_ARGUMENT' }, ...details] : details,
          },
        });
      }
      expect(fake.deliveries).toHaveLength(0);
    });

    it('answers injected failures in Google’s shape, with retry-after, the given number of times', async () => {
      const bearer = await accessToken();
      fake.failToken('dead', 404, 'UNREGISTERED');
      fake.failToken('busy', 429, 'QUOTA_EXCEEDED', 1, 30);
      const dead = await send(message({ token: 'dead' }), bearer);
      expect(dead.status).toBe(404);
      expect(dead.body).toEqual({
        error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }] },
      });
      expect((await send(message({ token: 'dead' }), bearer)).status).toBe(404);
      const busy = await send(message({ token: 'busy' }), bearer);
      expect(busy.status).toBe(429);
      expect(busy.headers['retry-after']).toBe('30');
      expect(busy.body).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED', details: [{ errorCode: 'QUOTA_EXCEEDED' }] } });
      expect((await send(message({ token: 'busy' }), bearer)).status).toBe(200);
      expect(fake.sendRequests).toBe(4);
    });
  });

  describe('connections', () => {
    it('advertises its stream limit and never runs more streams than that on a connection', async () => {
      expect(session.remoteSettings.maxConcurrentStreams).toBe(5);
      const bearer = await accessToken();
      fake.latencyMs = 30;
      const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => send(message({ token: `device-${index}` }), bearer)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
      expect(fake.peakStreamsPerConnection).toBe(5);
    });

    it('sends GOAWAY (NO_ERROR) on the connection carrying the n-th send, and answers the streams it had', async () => {
      const bearer = await accessToken();
      const own = await connect();
      const goaway = new Promise<number>((resolve) => own.once('goaway', (code: number) => resolve(code)));
      fake.goAwayAfter(2);
      const sendOn = (token: string) =>
        new Promise<number>((resolve) => {
          const stream = own.request({ ':method': 'POST', ':path': `/v1/projects/${fake.projectId}/messages:send`, authorization: `Bearer ${bearer}` });
          stream.on('response', (headers) => resolve(Number(headers[':status'])));
          stream.resume();
          stream.end(JSON.stringify(message({ token })));
        });
      expect(await sendOn('a')).toBe(200);
      expect(await sendOn('b')).toBe(200);
      expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
      expect(fake.goAwaysSent).toBe(1);
      own.destroy();
    });
  });
});
