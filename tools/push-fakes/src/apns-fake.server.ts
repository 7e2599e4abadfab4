import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import http2, { type Http2Session, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import net, { type AddressInfo, type Socket } from 'node:net';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { selfSignedCertificate } from './self-signed-certificate.js';

export interface ApnsFakeOptions {
  /** Signing keys by key id (`kid`): the public halves of the .p8 keys the client signs with. */
  keys: Record<string, KeyObject | string>;
  /** The team id every JWT's `iss` must carry. */
  teamId: string;
  /** The app's bundle id: the only `apns-topic` its devices accept. */
  topic: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** SETTINGS_MAX_CONCURRENT_STREAMS of every connection; default 1000 (APNs's, once authenticated). */
  maxConcurrentStreams?: number;
  /** APNs refuses a connection's new token within 20 minutes of its previous one (429 TooManyProviderTokenUpdates); default true. */
  enforceTokenUpdateInterval?: boolean;
  /** Delay before each answer; default 0. */
  latencyMs?: number;
  /** Default Date.now: JWT ages and the 20-minute rule are measured on it. */
  now?: () => number;
}

/** A notification the fake accepted (answered 200). */
export interface ApnsDelivery {
  /** The device token from the path. */
  token: string;
  /** The request's headers (pseudo-headers left out), `authorization`, `apns-id` and `apns-collapse-id` included. */
  headers: Record<string, string>;
  /** The `apns-id` answered: the request's, or one made up when it had none. */
  apnsId: string;
  collapseId?: string;
  payload: ApnsPayload;
  /** The provider token's key id and issue time (seconds). */
  kid: string;
  iat: number;
  connectionId: number;
  receivedAt: number;
}

export interface ApnsPayload {
  aps: Record<string, unknown>;
  [key: string]: unknown;
}

/** Every stream the fake saw, answered or not. */
export interface ApnsRequest {
  connectionId: number;
  streamId: number;
  method: string;
  path: string;
  token?: string;
  apnsId?: string;
  /** 0 while unanswered, and for a stream refused after GOAWAY (`reason` 'refused'). */
  status: number;
  reason?: string;
  receivedAt: number;
}

export interface ApnsFailureOptions {
  /** How many requests for the token get this answer; default every one until `reset()`. */
  times?: number;
  /** Sent as `retry-after` (seconds). */
  retryAfterSeconds?: number;
}

export interface ApnsFake {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The server certificate's PEM: the client's trusted `ca`. */
  readonly ca: string;
  readonly deliveries: readonly ApnsDelivery[];
  readonly requests: readonly ApnsRequest[];
  /** HTTP/2 connections set up so far. */
  readonly sessionsOpened: number;
  /** GOAWAY frames sent by `goAwayAfter`. */
  readonly goAwaysSent: number;
  /** The most streams open at once on one connection since start or `reset()`. */
  readonly maxConcurrentStreamsSeen: number;
  latencyMs: number;
  /** Answers the token's next requests (that pass every other check) with this status and `{reason}` (410 also gets `timestamp`). */
  failToken(token: string, status: number, reason: string, options?: ApnsFailureOptions): void;
  /** After `n` more accepted requests, the connection that took the last of them gets GOAWAY (NO_ERROR): streams above it are refused. Once. */
  goAwayAfter(n: number): void;
  /** On: nothing is read from or written to any connection, open or new (PINGs and TLS handshakes included) until off. */
  silence(on: boolean): void;
  /** Resolves once `n` notifications have been accepted since start or `reset()`. */
  waitForDeliveries(n: number, timeoutMs?: number): Promise<void>;
  /** Forgets deliveries, requests and counters and lifts every control; connections stay. */
  reset(): void;
  close(): Promise<void>;
}

/** APNs's limit for every push type but VoIP. */
const MAX_PAYLOAD_BYTES = 4096;
const MAX_COLLAPSE_ID_BYTES = 64;
const TOKEN_LIFETIME_MS = 3_600_000;
const TOKEN_UPDATE_INTERVAL_MS = 20 * 60_000;
const PUSH_TYPES = new Set(['alert', 'background', 'location', 'voip', 'complication', 'fileprovider', 'mdm', 'liveactivity', 'pushtotalk', 'widgets', 'controls']);
// Apple documents 10, 5 and 1 (1: power considerations first).
const PRIORITIES = new Set(['1', '5', '10']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEVICE_TOKEN = /^[0-9a-f]{64}$/i;
const DEVICE_PATH = /^\/3\/device\/([^/?]*)$/;

interface ConnectionState {
  id: number;
  active: number;
  /** GOAWAY went out: streams not accepted yet are refused. */
  goingAway: boolean;
  /** The issue time of the token last accepted on this connection, per key: APNs's 20-minute rule is per connection. */
  tokenIat: Map<string, number>;
}

interface Failure {
  status: number;
  reason: string;
  remaining: number;
  retryAfterSeconds?: number;
}

/** An answer other than 200, thrown by the checks. */
class ApnsError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`${status} ${reason}`);
  }
}

/**
 * A stand-in for APNs's HTTP/2 provider API (token-based authentication)
 * over TLS: `POST /3/device/<token>`, the JWT and every header checked as
 * Apple documents, answers with Apple's status codes and reasons. Tests
 * inject per-token failures, GOAWAY in the middle of a burst and a
 * connection that stops answering (silence) through the returned object.
 */
export async function startApnsFake(options: ApnsFakeOptions): Promise<ApnsFake> {
  const now = options.now ?? Date.now;
  const enforceTokenUpdateInterval = options.enforceTokenUpdateInterval ?? true;
  const keys = new Map(Object.entries(options.keys).map(([kid, key]) => [kid, typeof key === 'string' ? createPublicKey(key) : key]));
  const { cert, key } = await selfSignedCertificate('faceoff-apns-fake');

  let deliveries: ApnsDelivery[] = [];
  let requests: ApnsRequest[] = [];
  const failures = new Map<string, Failure>();
  const states = new WeakMap<Http2Session, ConnectionState>();
  const sessions = new Set<ServerHttp2Session>();
  const verified = new Map<string, { kid: string; iss: unknown; iat: unknown }>();
  let deliveryWaiters: { n: number; resolve: () => void }[] = [];
  let sessionsOpened = 0;
  let goAwaysSent = 0;
  let maxConcurrentStreamsSeen = 0;
  let goAwayCountdown: number | undefined;
  let silenced = false;

  const server = http2.createSecureServer({ key, cert, settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 1000 } });
  server.on('session', (session: ServerHttp2Session) => {
    states.set(session, { id: ++sessionsOpened, active: 0, goingAway: false, tokenIat: new Map() });
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined); // a client that goes away mid-stream is no failure of the fake
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const state = states.get(stream.session!)!;
    state.active++;
    maxConcurrentStreamsSeen = Math.max(maxConcurrentStreamsSeen, state.active);
    stream.on('close', () => state.active--);
    stream.on('error', () => undefined);
    const record: ApnsRequest = {
      connectionId: state.id,
      streamId: stream.id!,
      method: String(headers[':method']),
      path: String(headers[':path']),
      status: 0,
      receivedAt: now(),
    };
    const token = DEVICE_PATH.exec(record.path)?.[1];
    if (token) record.token = token;
    requests.push(record);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      void answer(stream, headers, Buffer.concat(chunks), state, record);
    });
  });

  async function answer(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: Buffer, state: ConnectionState, record: ApnsRequest): Promise<void> {
    const requestedId = header(headers, 'apns-id');
    const apnsId = requestedId && UUID.test(requestedId) ? requestedId : randomUUID();
    record.apnsId = apnsId;
    if (state.goingAway) {
      // Not acted on: REFUSED_STREAM tells the client so, and it sends the request again on another connection.
      record.reason = 'refused';
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    let status = 200;
    let reason: string | undefined;
    let extraHeaders: Record<string, string> = {};
    try {
      const accepted = await check(headers, body, state);
      const failure = failures.get(accepted.token);
      if (failure) {
        if (--failure.remaining <= 0) failures.delete(accepted.token);
        if (failure.retryAfterSeconds !== undefined) extraHeaders = { 'retry-after': String(failure.retryAfterSeconds) };
        throw new ApnsError(failure.status, failure.reason);
      }
      deliveries.push({
        token: accepted.token,
        headers: Object.fromEntries(Object.entries(headers).flatMap(([name, value]) => (name.startsWith(':') || value === undefined ? [] : [[name, String(value)]]))),
        apnsId,
        ...(header(headers, 'apns-collapse-id') !== undefined && { collapseId: header(headers, 'apns-collapse-id') }),
        payload: accepted.payload,
        kid: accepted.kid,
        iat: accepted.iat,
        connectionId: state.id,
        receivedAt: record.receivedAt,
      });
      for (const waiter of deliveryWaiters.filter((waiting) => deliveries.length >= waiting.n)) waiter.resolve();
      deliveryWaiters = deliveryWaiters.filter((waiting) => deliveries.length < waiting.n);
      if (goAwayCountdown !== undefined && --goAwayCountdown <= 0) {
        goAwayCountdown = undefined;
        goAway(stream.session!, state);
      }
    } catch (error) {
      if (!(error instanceof ApnsError)) throw error;
      status = error.status;
      reason = error.reason;
    }
    if (fake.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.latencyMs).unref());
    if (stream.destroyed || stream.closed) return;
    record.status = status;
    if (reason) record.reason = reason;
    const responseHeaders = { ':status': status, 'apns-id': apnsId, ...extraHeaders };
    if (status === 200) {
      stream.respond(responseHeaders, { endStream: true });
      return;
    }
    stream.respond({ ...responseHeaders, 'content-type': 'application/json' });
    stream.end(JSON.stringify(status === 410 ? { reason, timestamp: now() } : { reason }));
  }

  /** The checks APNs makes, in an order close to its own; the first failed one is the answer. */
  async function check(headers: IncomingHttpHeaders, body: Buffer, state: ConnectionState): Promise<{ token: string; payload: ApnsPayload; kid: string; iat: number }> {
    if (headers[':method'] !== 'POST') throw new ApnsError(405, 'MethodNotAllowed');
    const path = DEVICE_PATH.exec(String(headers[':path']));
    if (!path) throw new ApnsError(404, 'BadPath');
    const token = path[1];
    if (!token) throw new ApnsError(400, 'MissingDeviceToken');

    const { kid, iat } = await authenticate(header(headers, 'authorization'), state);

    const pushType = header(headers, 'apns-push-type');
    if (pushType !== undefined && !PUSH_TYPES.has(pushType)) throw new ApnsError(400, 'InvalidPushType');
    const priority = header(headers, 'apns-priority');
    if (priority !== undefined && !PRIORITIES.has(priority)) throw new ApnsError(400, 'BadPriority');
    const expiration = header(headers, 'apns-expiration');
    if (expiration !== undefined && !/^\d+$/.test(expiration)) throw new ApnsError(400, 'BadExpirationDate');
    const collapseId = header(headers, 'apns-collapse-id');
    if (collapseId !== undefined && Buffer.byteLength(collapseId) > MAX_COLLAPSE_ID_BYTES) throw new ApnsError(400, 'BadCollapseId');
    const apnsId = header(headers, 'apns-id');
    if (apnsId !== undefined && !UUID.test(apnsId)) throw new ApnsError(400, 'BadMessageId');
    const topic = header(headers, 'apns-topic');
    if (!topic) throw new ApnsError(400, 'MissingTopic');
    if (!DEVICE_TOKEN.test(token)) throw new ApnsError(400, 'BadDeviceToken');
    // Every device of this fake belongs to options.topic.
    if (topic !== options.topic) throw new ApnsError(400, 'DeviceTokenNotForTopic');

    if (body.length > MAX_PAYLOAD_BYTES) throw new ApnsError(413, 'PayloadTooLarge');
    return { token, payload: parsePayload(body), kid, iat };
  }

  async function authenticate(authorization: string | undefined, state: ConnectionState): Promise<{ kid: string; iat: number }> {
    const jwt = /^bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!jwt) throw new ApnsError(403, 'MissingProviderToken');
    const claims = verified.get(jwt) ?? (await verify(jwt));
    if (!claims) throw new ApnsError(403, 'InvalidProviderToken');
    verified.set(jwt, claims);
    if (claims.iss !== options.teamId || typeof claims.iat !== 'number' || !Number.isInteger(claims.iat)) throw new ApnsError(403, 'InvalidProviderToken');
    if (now() - claims.iat * 1000 > TOKEN_LIFETIME_MS) throw new ApnsError(403, 'ExpiredProviderToken');
    const previous = state.tokenIat.get(claims.kid);
    if (enforceTokenUpdateInterval && previous !== undefined && previous !== claims.iat && Math.abs(claims.iat - previous) * 1000 < TOKEN_UPDATE_INTERVAL_MS) {
      throw new ApnsError(429, 'TooManyProviderTokenUpdates');
    }
    state.tokenIat.set(claims.kid, claims.iat);
    return { kid: claims.kid, iat: claims.iat };
  }

  /** The claims of a JWT signed with ES256 by the key of its `kid`; undefined for anything else. */
  async function verify(jwt: string): Promise<{ kid: string; iss: unknown; iat: unknown } | undefined> {
    try {
      const { alg, kid } = decodeProtectedHeader(jwt);
      const publicKey = kid === undefined ? undefined : keys.get(kid);
      if (alg !== 'ES256' || !kid || !publicKey) return undefined;
      const { payload } = await compactVerify(jwt, publicKey, { algorithms: ['ES256'] });
      const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
      if (!claims || typeof claims !== 'object') return undefined;
      return { kid, iss: 'iss' in claims ? claims.iss : undefined, iat: 'iat' in claims ? claims.iat : undefined };
    } catch {
      return undefined;
    }
  }

  /**
   * GOAWAY (NO_ERROR) naming the last stream received: the client refuses
   * its streams above it itself, and those received but not yet accepted
   * are refused here. (An explicit lower last stream id cannot be followed
   * by close(), whose own GOAWAY would raise it: a protocol error.)
   */
  function goAway(session: Http2Session, state: ConnectionState): void {
    state.goingAway = true;
    goAwaysSent++;
    session.close();
  }

  // Silence sits in front of TLS: a TCP relay that stops moving bytes, so nothing (PING ACKs, handshakes) gets through.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tlsPort = (server.address() as AddressInfo).port;
  const relays = new Set<{ client: Socket; upstream: Socket }>();
  const front = net.createServer((client) => {
    const upstream = net.connect(tlsPort, '127.0.0.1');
    const relay = { client, upstream };
    relays.add(relay);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      relays.delete(relay);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
      if (silenced) socket.pause();
    }
  });
  await new Promise<void>((resolve) => front.listen(0, options.host ?? '127.0.0.1', resolve));
  const address = front.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const fake: ApnsFake = {
    url: `https://${host}:${address.port}`,
    ca: cert,
    get deliveries() {
      return deliveries;
    },
    get requests() {
      return requests;
    },
    get sessionsOpened() {
      return sessionsOpened;
    },
    get goAwaysSent() {
      return goAwaysSent;
    },
    get maxConcurrentStreamsSeen() {
      return maxConcurrentStreamsSeen;
    },
    latencyMs: options.latencyMs ?? 0,
    failToken(token, status, reason, failureOptions = {}) {
      failures.set(token, { status, reason, remaining: failureOptions.times ?? Infinity, ...(failureOptions.retryAfterSeconds !== undefined && { retryAfterSeconds: failureOptions.retryAfterSeconds }) });
    },
    goAwayAfter(n) {
      goAwayCountdown = n;
    },
    silence(on) {
      silenced = on;
      for (const { client, upstream } of relays) {
        for (const socket of [client, upstream]) {
          if (on) socket.pause();
          else socket.resume();
        }
      }
    },
    waitForDeliveries(n, timeoutMs = 5_000) {
      if (deliveries.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${deliveries.length} of ${n} notifications delivered within ${timeoutMs} ms`)), timeoutMs);
        deliveryWaiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    reset() {
      deliveries = [];
      requests = [];
      failures.clear();
      goAwayCountdown = undefined;
      goAwaysSent = 0;
      maxConcurrentStreamsSeen = 0;
      fake.latencyMs = options.latencyMs ?? 0;
      fake.silence(false);
    },
    async close() {
      for (const { client, upstream } of relays) {
        client.destroy();
        upstream.destroy();
      }
      for (const session of sessions) session.destroy();
      await Promise.all([new Promise<void>((resolve) => front.close(() => resolve())), new Promise<void>((resolve) => server.close(() => resolve()))]);
    },
  };
  return fake;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Apple documents no reason for a payload that is not a JSON dictionary
 * with `aps`; PayloadEmpty (nothing to deliver) is the nearest it names.
 */
function parsePayload(body: Buffer): ApnsPayload {
  if (body.length === 0) throw new ApnsError(400, 'PayloadEmpty');
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApnsError(400, 'PayloadEmpty');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload) || !('aps' in payload) || !payload.aps || typeof payload.aps !== 'object') throw new ApnsError(400, 'PayloadEmpty');
  return payload as ApnsPayload;
}
