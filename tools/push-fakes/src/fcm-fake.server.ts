import { randomUUID, type KeyObject } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import http2, { type Http2ServerRequest, type Http2Session, type OutgoingHttpHeaders, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { GoogleTokenEndpoint, type GoogleServiceAccountJson } from '../../google-oauth-fake/src/google-token.endpoint.js';
import { selfSignedCertificate } from './self-signed-certificate.js';

const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';
/** FCM's limit on a message's payload; the fake measures the whole message's JSON, a little stricter than Google. */
const MAX_MESSAGE_BYTES = 4096;
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };

export interface FcmFakeOptions {
  /** Default 127.0.0.1 (the certificate also covers localhost and ::1). */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default `fake-project`. */
  projectId?: string;
  /** SETTINGS_MAX_CONCURRENT_STREAMS; default 100, as FCM. */
  maxConcurrentStreams?: number;
  /** Delay before each messages:send answer; default 0. Changeable later through `latencyMs`. */
  latencyMs?: number;
  /** Milliseconds since the epoch, for assertions and access tokens; default Date.now. */
  now?: () => number;
  /** Service accounts of the client's own (client_email → public key) accepted besides the generated one. */
  accounts?: Record<string, KeyObject | string>;
}

export interface FcmDelivery {
  token: string;
  /** The `message` object as received. */
  message: Record<string, unknown>;
  accessToken: string;
  /** Which HTTP/2 connection carried it (1, 2...), to tell connections apart after GOAWAY. */
  connectionId: number;
  receivedAt: number;
}

export interface FcmFake {
  /** `https://127.0.0.1:<port>`: FCM_BASE_URL. */
  readonly url: string;
  /** The self-signed certificate to trust (`ca`). */
  readonly ca: string;
  readonly projectId: string;
  /** A service account a client can use as is: its key is known to this fake and its token_uri points here. */
  serviceAccount(): GoogleServiceAccountJson;
  /**
   * Answers sends to `token` with this error (`times` times, default every time), in Google's shape:
   * e.g. (404, 'UNREGISTERED'), (429, 'QUOTA_EXCEEDED', 1, 30), (503, 'UNAVAILABLE'), (400, 'INVALID_ARGUMENT').
   * `retryAfter` (seconds or an HTTP date) becomes the retry-after header.
   */
  failToken(token: string, status: number, errorCode: string, times?: number, retryAfter?: number | string): void;
  /** The connection carrying the n-th send from now receives GOAWAY (NO_ERROR) once that send arrived, as Google does now and then. */
  goAwayAfter(n: number): void;
  /** Access tokens issued so far stop working: the next send with one is 401 UNAUTHENTICATED. */
  revokeAccessTokens(): void;
  latencyMs: number;
  /** Accepted sends, oldest first. */
  readonly deliveries: readonly FcmDelivery[];
  /** Token requests answered (both outcomes). */
  readonly tokenRequests: number;
  /** messages:send requests received, whatever the answer. */
  readonly sendRequests: number;
  /** Most messages:send streams in flight at once on one connection. */
  readonly peakStreamsPerConnection: number;
  /** HTTP/2 connections accepted. */
  readonly connections: number;
  /** GOAWAY frames this fake sent. */
  readonly goAwaysSent: number;
  waitForDeliveries(count: number, timeoutMs?: number): Promise<readonly FcmDelivery[]>;
  /** Forgets deliveries, counters, failures and a pending GOAWAY; issued access tokens stay valid. */
  reset(): void;
  close(): Promise<void>;
}

interface Failure {
  status: number;
  errorCode: string;
  remaining: number;
  retryAfter?: number | string;
}

interface Connection {
  id: number;
  inFlight: number;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: OutgoingHttpHeaders;
}

/** What an HTTP/1.1 and an HTTP/2 compat response have in common. */
interface Reply {
  writeHead(status: number, headers?: OutgoingHttpHeaders): unknown;
  end(body: string): unknown;
  once(event: 'close', listener: () => void): unknown;
}

const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const RPC_MESSAGE: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Auth error from APNS or Web Push Service',
  403: 'SenderId mismatch',
  404: 'Requested entity was not found.',
  429: 'Quota exceeded for quota metric \'Send requests\'.',
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

/**
 * A stand-in for FCM HTTP v1 and Google's OAuth2 token endpoint on one TLS
 * port: HTTP/2 as fcm.googleapis.com speaks it (the token endpoint also
 * answers HTTP/1.1, as oauth2.googleapis.com does for most clients), with
 * Google's error bodies. The stream limit is enforced by nghttp2 itself as at
 * Google: streams opened before the client acknowledged our SETTINGS are
 * refused (REFUSED_STREAM, safe to retry), and a client exceeding the
 * acknowledged limit loses its connection (GOAWAY PROTOCOL_ERROR).
 */
export async function startFcmFake(options: FcmFakeOptions = {}): Promise<FcmFake> {
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const projectId = options.projectId ?? 'fake-project';
  const tls = await selfSignedCertificate('faceoff-fcm-fake');
  const failures = new Map<string, Failure>();
  const connectionOf = new WeakMap<Http2Session, Connection>();
  const sessions = new Set<ServerHttp2Session>();
  const sockets = new Set<Socket>();
  const deliveries: FcmDelivery[] = [];
  const deliveryWaiters = new Set<() => void>();
  const closing = new AbortController();
  // Every delayed answer listens for the close; a burst is hundreds of them.
  setMaxListeners(0, closing.signal);
  let latencyMs = options.latencyMs ?? 0;
  let sendRequests = 0;
  let peakStreams = 0;
  let connections = 0;
  let goAwaysSent = 0;
  let goAwayCountdown: number | undefined;

  const server = http2.createSecureServer({
    key: tls.key,
    cert: tls.cert,
    allowHTTP1: true,
    settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 100 },
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: ServerHttp2Session) => {
    connectionOf.set(session, { id: ++connections, inFlight: 0 });
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // A client dropping its connection is no failure of the fake's.
    session.on('error', () => undefined);
  });
  server.on('request', (request: Http2ServerRequest | IncomingMessage, reply: Reply) => {
    handle(request, reply).catch((error: Error) => {
      try {
        write(reply, { status: 500, body: { error: { code: 500, message: error.message, status: 'INTERNAL' } } });
      } catch {
        // The client is gone: nobody to tell.
      }
    });
  });

  const url = await new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve(`https://${host.includes(':') ? `[${host}]` : host}:${port}`);
    });
  });
  const tokens = new GoogleTokenEndpoint({
    tokenUri: `${url}/token`,
    scope: FCM_SCOPE,
    projectId,
    clientEmail: `firebase-adminsdk-fake@${projectId}.iam.gserviceaccount.com`,
    now,
    ...(options.accounts && { accounts: options.accounts }),
  });

  async function handle(request: Http2ServerRequest | IncomingMessage, reply: Reply): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '';
    if (request.method === 'POST' && path === '/token') return write(reply, await tokens.answer(body));
    const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
    // FCM also takes sends over HTTP/1.1; this fake only over HTTP/2, whose connections and streams it watches.
    if (request.method === 'POST' && send && 'stream' in request) return messagesSend(request, reply, decodeURIComponent(send[1]), body);
    write(reply, googleError(404, `Method not found: ${request.method} ${path}`));
  }

  async function messagesSend(request: Http2ServerRequest, reply: Reply, project: string, body: string): Promise<void> {
    sendRequests++;
    const session = request.stream.session;
    const connection = session && connectionOf.get(session);
    if (!session || !connection) return write(reply, googleError(500, 'no connection'));
    connection.inFlight++;
    peakStreams = Math.max(peakStreams, connection.inFlight);
    reply.once('close', () => connection.inFlight--);
    if (goAwayCountdown !== undefined && --goAwayCountdown <= 0) {
      goAwayCountdown = undefined;
      // nghttp2's GOAWAY names the last stream it received: those are answered, the client sends later ones again.
      goAwaysSent++;
      session.close();
    }
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: closing.signal }).catch(() => undefined);
    const accessToken = authorize(request.headers.authorization, project);
    if (typeof accessToken !== 'string') return write(reply, accessToken);
    const answer = parseAndCheck(body);
    if ('status' in answer) return write(reply, answer);
    const failure = failures.get(answer.token);
    if (failure) {
      if (--failure.remaining <= 0) failures.delete(answer.token);
      const failed = googleError(failure.status, RPC_MESSAGE[failure.status] ?? 'Error', [{ '@type': FCM_ERROR_TYPE, errorCode: failure.errorCode }]);
      if (failure.retryAfter !== undefined) failed.headers = { 'retry-after': String(failure.retryAfter) };
      return write(reply, failed);
    }
    deliveries.push({ token: answer.token, message: answer.message, accessToken, connectionId: connection.id, receivedAt: now() });
    for (const wake of deliveryWaiters) wake();
    write(reply, { status: 200, body: { name: `projects/${project}/messages/${randomUUID()}` } });

    /** The access token, or the answer refusing the request. */
    function authorize(authorization: string | undefined, project: string): string | Answer {
      const bearer = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
      if (!bearer || !tokens.accepts(bearer))
        return googleError(
          401,
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: bearer ? 'ACCESS_TOKEN_EXPIRED' : 'CREDENTIALS_MISSING', domain: 'googleapis.com' }],
        );
      if (project !== projectId) return googleError(403, `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${project}' (or it may not exist).`);
      return bearer;
    }
  }

  function write(reply: Reply, answer: Answer): void {
    reply.writeHead(answer.status, { ...JSON_HEADERS, ...answer.headers });
    reply.end(JSON.stringify(answer.body));
  }

  const fake: FcmFake = {
    url,
    ca: tls.cert,
    projectId,
    serviceAccount: () => tokens.serviceAccount(),
    failToken(token, status, errorCode, times = Number.POSITIVE_INFINITY, retryAfter) {
      failures.set(token, { status, errorCode, remaining: times, ...(retryAfter !== undefined && { retryAfter }) });
    },
    goAwayAfter(n) {
      goAwayCountdown = n;
    },
    revokeAccessTokens() {
      tokens.revokeAll();
    },
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(value: number) {
      latencyMs = value;
    },
    deliveries,
    get tokenRequests() {
      return tokens.requests;
    },
    get sendRequests() {
      return sendRequests;
    },
    get peakStreamsPerConnection() {
      return peakStreams;
    },
    get connections() {
      return connections;
    },
    get goAwaysSent() {
      return goAwaysSent;
    },
    async waitForDeliveries(count, timeoutMs = 5_000) {
      if (deliveries.length >= count) return deliveries;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          deliveryWaiters.delete(check);
          reject(new Error(`${deliveries.length} of ${count} deliveries after ${timeoutMs} ms`));
        }, timeoutMs);
        function check() {
          if (deliveries.length < count) return;
          clearTimeout(timer);
          deliveryWaiters.delete(check);
          resolve();
        }
        deliveryWaiters.add(check);
      });
      return deliveries;
    },
    reset() {
      deliveries.length = 0;
      failures.clear();
      goAwayCountdown = undefined;
      latencyMs = options.latencyMs ?? 0;
      tokens.requests = 0;
      sendRequests = 0;
      peakStreams = 0;
      goAwaysSent = 0;
    },
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  return fake;
}

function parseAndCheck(body: string): Answer | { token: string; message: Record<string, unknown> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return badRequest('', 'Invalid JSON payload received. Unexpected token.');
  }
  const problem = messageProblem(parsed);
  if (problem) return problem;
  const message = (parsed as { message: Record<string, unknown> }).message;
  return { token: message.token as string, message };
}

/** Google's error body: `{error: {code, message, status, details}}`. */
function googleError(code: number, message: string, details?: object[]): Answer {
  return { status: code, body: { error: { code, message, status: RPC_STATUS[code] ?? 'UNKNOWN', ...(details && { details }) } } };
}

/** A 400 as FCM gives it: semantic problems carry an FcmError, JSON-to-proto ones only the field. */
function badRequest(field: string, description: string, fcmError = false): Answer {
  const violation = { '@type': BAD_REQUEST_TYPE, fieldViolations: [{ field, description }] };
  return googleError(400, description, fcmError ? [{ '@type': FCM_ERROR_TYPE, errorCode: 'INVALID_ARGUMENT' }, violation] : [violation]);
}

const KNOWN_FIELDS: Record<string, ReadonlySet<string>> = {
  '': new Set(['message', 'validate_only', 'validateOnly']),
  message: new Set(['name', 'data', 'notification', 'android', 'webpush', 'apns', 'fcm_options', 'fcmOptions', 'token', 'topic', 'condition']),
  'message.notification': new Set(['title', 'body', 'image']),
  'message.android': new Set(['collapse_key', 'collapseKey', 'priority', 'ttl', 'restricted_package_name', 'restrictedPackageName', 'data', 'notification', 'fcm_options', 'fcmOptions', 'direct_boot_ok', 'directBootOk']),
  'message.android.notification': new Set([
    'title', 'body', 'icon', 'color', 'sound', 'tag', 'click_action', 'clickAction', 'body_loc_key', 'body_loc_args', 'title_loc_key', 'title_loc_args',
    'channel_id', 'channelId', 'ticker', 'sticky', 'event_time', 'local_only', 'notification_priority', 'default_sound', 'default_vibrate_timings',
    'default_light_settings', 'vibrate_timings', 'visibility', 'notification_count', 'light_settings', 'image',
  ]),
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The checks FCM makes on a messages:send body that a client could get wrong, with FCM's wording. */
function messageProblem(request: unknown): Answer | undefined {
  for (const [path, known] of Object.entries(KNOWN_FIELDS)) {
    const value = path ? path.split('.').reduce<unknown>((object, key) => (isObject(object) ? object[key] : undefined), request) : request;
    if (value === undefined) continue;
    if (!isObject(value)) return badRequest(path, `Invalid value at '${path}', expected an object.`);
    const unknown = Object.keys(value).find((key) => !known.has(key));
    if (unknown) return badRequest(path, `Invalid JSON payload received. Unknown name "${unknown}" at '${path}': Cannot find field.`);
  }
  const message = (request as Record<string, unknown>).message;
  if (!isObject(message)) return badRequest('message', 'Request contains an invalid argument.', true);
  const targets = ['token', 'topic', 'condition'].filter((key) => message[key] !== undefined);
  if (targets.length === 0) return badRequest('message', 'Recipient of the message is not set.', true);
  if (targets.length > 1) return badRequest('message', `Invalid value at 'message' (oneof), oneof field 'target' is already set. Cannot set '${targets[1]}'`);
  if (targets[0] !== 'token') return badRequest(`message.${targets[0]}`, 'This fake only delivers to registration tokens.', true);
  if (typeof message.token !== 'string' || !/^[\w:-]+$/.test(message.token))
    return badRequest('message.token', 'The registration token is not a valid FCM registration token', true);
  const data = message.data;
  if (data !== undefined) {
    if (!isObject(data)) return badRequest('message.data', "Invalid value at 'message.data', expected a map.");
    const entries = Object.entries(data);
    const index = entries.findIndex(([, value]) => typeof value !== 'string');
    if (index >= 0) return badRequest(`message.data[${index}].value`, `Invalid value at 'message.data[${index}].value' (TYPE_STRING), ${JSON.stringify(entries[index][1])}`);
  }
  for (const [field, value] of Object.entries(isObject(message.notification) ? message.notification : {}))
    if (typeof value !== 'string') return badRequest(`message.notification.${field}`, `Invalid value at 'message.notification.${field}' (TYPE_STRING), ${JSON.stringify(value)}`);
  const android = message.android;
  if (isObject(android)) {
    if (android.priority !== undefined && android.priority !== 'NORMAL' && android.priority !== 'HIGH')
      return badRequest('message.android.priority', `Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), ${JSON.stringify(android.priority)}`);
    if (android.ttl !== undefined && (typeof android.ttl !== 'string' || !/^\d+(\.\d{1,9})?s$/.test(android.ttl)))
      return badRequest('message.android.ttl', `Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), ${JSON.stringify(android.ttl)}`);
    if (typeof android.ttl === 'string' && Number.parseFloat(android.ttl) > 2_419_200)
      return badRequest('message.android.ttl', 'The ttl must not exceed 4 weeks.', true);
    if (android.collapse_key !== undefined && typeof android.collapse_key !== 'string')
      return badRequest('message.android.collapse_key', `Invalid value at 'message.android.collapse_key' (TYPE_STRING), ${JSON.stringify(android.collapse_key)}`);
  }
  if (Buffer.byteLength(JSON.stringify(message)) > MAX_MESSAGE_BYTES) return badRequest('message', 'Android message is too big', true);
  return undefined;
}
