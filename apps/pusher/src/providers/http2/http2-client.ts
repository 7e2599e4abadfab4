import { Logger } from '@nestjs/common';
import http2, { type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';

export interface Http2ClientOptions {
  /** `https://api.push.apple.com`; tests and `npm start` point it at the fakes. */
  origin: string;
  /** For logs and metrics. */
  name: string;
  /** Our own cap on streams per connection; the server's SETTINGS_MAX_CONCURRENT_STREAMS lowers it. */
  maxConcurrentStreams: number;
  /** Connections opened at most at once (their streams add up). */
  maxSessions: number;
  connectTimeoutMs: number;
  /** A stream unanswered this long is cancelled and its request retried on another connection. */
  requestTimeoutMs: number;
  /** An idle-looking connection is probed this often with an HTTP/2 PING... */
  pingIntervalMs: number;
  /** ...and replaced when the PING is not acknowledged within this. */
  pingTimeoutMs: number;
  /** Extra trusted certificates (tests); in production the system's roots (plus NODE_EXTRA_CA_CERTS). */
  ca?: string | Buffer;
}

export interface Http2Request {
  method: 'GET' | 'POST';
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
}

export interface Http2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * The request could not be completed: its connection went away (GOAWAY,
 * failed PING, reset) or never came up. `maybeProcessed` is false when the
 * server certainly did not act on it (refused stream, never sent).
 */
export class Http2ConnectionError extends Error {
  constructor(
    message: string,
    readonly maybeProcessed: boolean,
  ) {
    super(message);
    this.name = 'Http2ConnectionError';
  }
}

/** Streams assumed allowed should a session report no limit (RFC 9113 recommends servers allow at least 100). */
const DEFAULT_REMOTE_STREAMS = 100;
/** How often a request lost with its connection (or without one) is sent again. */
const MAX_RETRIES = 3;
/** Refused streams sent again per request at most (each is a new stream on a live or new connection). */
const MAX_REFUSALS = 20;

interface PooledSession {
  id: number;
  session: ClientHttp2Session;
  connected: boolean;
  /** GOAWAY received, PING failed or closing: no new streams. */
  draining: boolean;
  active: number;
  pingTimer?: NodeJS.Timeout;
}

/**
 * A small pool of long-lived HTTP/2 connections to one origin, for APNs and
 * FCM: requests are spread over the open connections within each one's
 * stream limit (the server's SETTINGS, which APNs raises after the first
 * authenticated request) and wait in line beyond it. A connection that
 * receives GOAWAY takes no new streams and finishes its own; streams the
 * server refused, and requests whose connection died (PING unanswered,
 * socket error), are sent again on a fresh connection — so nothing in
 * flight is lost, at the price of a possible second copy of a request the
 * server had already acted on (push providers' collapse ids absorb that).
 */
export class Http2Client {
  private readonly logger: Logger;
  private readonly sessions: PooledSession[] = [];
  /** Called with an error when the connection they wait for could not be made. */
  private readonly waiting: ((error?: Http2ConnectionError) => void)[] = [];
  private nextSessionId = 1;
  private closed = false;

  /** Connections opened so far (replacements included), for tests and metrics. */
  sessionsOpened = 0;

  constructor(private readonly options: Http2ClientOptions) {
    this.logger = new Logger(`Http2Client:${options.name}`);
  }

  async request(request: Http2Request): Promise<Http2Response> {
    // A stream the server refused was never acted on: sending it again costs no attempt (within a bound).
    for (let attempt = 0, refusals = 0; ; ) {
      let pooled: PooledSession | undefined;
      try {
        // Inside the try: a connection that cannot be made costs an attempt, like one that is lost.
        pooled = await this.acquire();
        return await this.send(pooled, request);
      } catch (error) {
        if (!(error instanceof Http2ConnectionError) || this.closed) throw error;
        const refused = !error.maybeProcessed && pooled !== undefined;
        if (refused ? ++refusals > MAX_REFUSALS : ++attempt > MAX_RETRIES) throw error;
        this.logger.debug(`${request.method} ${request.path} sent again (${error.message})`);
      } finally {
        if (pooled) this.release(pooled);
      }
    }
  }

  /** Lets in-flight streams finish (up to `timeoutMs`), then closes every connection. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closed = true;
    const closing = this.sessions.map(
      (pooled) =>
        new Promise<void>((resolve) => {
          if (pooled.session.destroyed) return resolve();
          const timer = setTimeout(() => pooled.session.destroy(), timeoutMs).unref();
          // 'close', not close()'s callback: a session already closing (drained after GOAWAY) ignores a second callback.
          pooled.session.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          if (!pooled.session.closed) pooled.session.close();
        }),
    );
    this.wake();
    await Promise.all(closing);
  }

  private async acquire(): Promise<PooledSession> {
    for (;;) {
      if (this.closed) throw new Http2ConnectionError(`${this.options.name}: client closed`, false);
      const open = this.sessions.filter((pooled) => !pooled.draining && !pooled.session.destroyed);
      const free = open.find((pooled) => pooled.connected && pooled.active < this.streamLimit(pooled));
      if (free) {
        free.active++;
        return free;
      }
      // A connection still connecting will take requests once it is up: only open another when all are busy.
      if (open.length < this.options.maxSessions && !open.some((pooled) => !pooled.connected)) this.open();
      await new Promise<void>((resolve, reject) => this.waiting.push((error) => (error ? reject(error) : resolve())));
    }
  }

  private release(pooled: PooledSession): void {
    pooled.active--;
    if (pooled.draining && pooled.active === 0) pooled.session.close();
    // One stream freed: one waiter (waking all would cost O(waiters) per response).
    this.waiting.shift()?.();
  }

  /** Capacity changed in a way one slot does not describe (connected, new SETTINGS, a connection gone): everyone looks again. */
  private wake(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }

  private streamLimit(pooled: PooledSession): number {
    const remote = pooled.session.remoteSettings?.maxConcurrentStreams ?? DEFAULT_REMOTE_STREAMS;
    return Math.max(1, Math.min(this.options.maxConcurrentStreams, remote));
  }

  private open(): void {
    const session = http2.connect(this.options.origin, { ...(this.options.ca && { ca: this.options.ca }) });
    const pooled: PooledSession = { id: this.nextSessionId++, session, connected: false, draining: false, active: 0 };
    this.sessions.push(pooled);
    this.sessionsOpened++;
    const connectTimer = setTimeout(() => session.destroy(new Error(`no connection within ${this.options.connectTimeoutMs} ms`)), this.options.connectTimeoutMs);
    // Usable once the server's first SETTINGS are in: until then its stream limit is unknown
    // (APNs starts at 1), and a burst on Node's assumed 100 would be refused.
    let transportUp = false;
    let settingsIn = false;
    const ready = () => {
      if (!transportUp || !settingsIn || pooled.connected) return;
      clearTimeout(connectTimer);
      pooled.connected = true;
      this.schedulePing(pooled);
      this.wake();
    };
    session.once('connect', () => {
      transportUp = true;
      ready();
    });
    session.on('remoteSettings', () => {
      settingsIn = true;
      ready();
      // More streams allowed (APNs raises its limit once the connection is authenticated).
      this.wake();
    });
    session.on('goaway', (code: number, lastStreamId: number) => {
      this.logger.log(`connection ${pooled.id}: GOAWAY (code ${code}, last stream ${lastStreamId}); new requests go to a new connection`);
      this.drain(pooled);
    });
    let lastError: Error | undefined;
    session.on('error', (error: Error) => {
      lastError = error;
      this.logger.warn(`connection ${pooled.id}: ${error.message}`);
    });
    session.once('close', () => {
      clearTimeout(connectTimer);
      clearTimeout(pooled.pingTimer);
      pooled.draining = true;
      this.sessions.splice(this.sessions.indexOf(pooled), 1);
      if (pooled.connected) return this.wake();
      // Waking the waiters would open the next connection at once, and again, without end: they fail instead, and retry within their attempts.
      const error = new Http2ConnectionError(`${this.options.name}: no connection (${lastError?.message ?? 'closed while connecting'})`, false);
      for (const fail of this.waiting.splice(0)) fail(error);
    });
  }

  private drain(pooled: PooledSession): void {
    pooled.draining = true;
    if (pooled.active === 0 && !pooled.session.destroyed) pooled.session.close();
    this.wake();
  }

  private schedulePing(pooled: PooledSession): void {
    pooled.pingTimer = setTimeout(() => {
      if (pooled.session.destroyed || pooled.session.closed) return;
      const deadline = setTimeout(() => {
        this.logger.warn(`connection ${pooled.id}: PING unanswered for ${this.options.pingTimeoutMs} ms; replacing it`);
        pooled.session.destroy(new Error('PING timeout'));
      }, this.options.pingTimeoutMs);
      const sent = pooled.session.ping((error) => {
        clearTimeout(deadline);
        if (!error) this.schedulePing(pooled);
      });
      if (!sent) clearTimeout(deadline);
    }, this.options.pingIntervalMs);
    pooled.pingTimer.unref();
  }

  private send(pooled: PooledSession, request: Http2Request): Promise<Http2Response> {
    return new Promise((resolve, reject) => {
      let stream: ClientHttp2Stream;
      try {
        stream = pooled.session.request({ ':method': request.method, ':path': request.path, ...request.headers });
      } catch (error) {
        // The session closed between acquire() and here: nothing was sent.
        return reject(new Http2ConnectionError((error as Error).message, false));
      }
      let status = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        // A server that stops answering on one stream is likely stuck: stop giving it new ones.
        this.drain(pooled);
        finish(() => reject(new Http2ConnectionError(`no answer within ${this.options.requestTimeoutMs} ms`, true)));
      }, this.options.requestTimeoutMs);
      stream.on('response', (received) => {
        headers = received;
        status = Number(received[':status']);
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => finish(() => resolve({ status, headers, body: Buffer.concat(chunks) })));
      stream.on('error', () => undefined); // the outcome is read on 'close'
      stream.on('close', () => {
        if (settled) return;
        if (status && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) return finish(() => resolve({ status, headers, body: Buffer.concat(chunks) }));
        const refused = stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM || stream.id === undefined;
        finish(() => reject(new Http2ConnectionError(`stream closed (code ${stream.rstCode}) on connection ${pooled.id}`, !refused)));
      });
      stream.end(request.body);
    });
  }
}
