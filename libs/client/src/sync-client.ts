import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { LocalStore, SyncChange, SyncRecord } from './local-store.js';
import { ReconnectBackoff, type BackoffOptions } from './reconnect-backoff.js';
import { SilentConnectionError, SyncHttpError, SyncProtocolError } from './sync-errors.js';

export type SyncState = 'idle' | 'syncing' | 'live' | 'reconnecting' | 'stopped';

/** Where a change came from: the catch-up pages of `/v1/sync`, or the `/v1/live` stream. */
export type ChangeOrigin = 'catch-up' | 'live';

/**
 * Why the client is about to retry: `closed` (the server ended the stream:
 * restart, slow client), `shutdown` (it said so first), `silent` (the
 * watchdog gave up on a half-open connection), `unavailable` (429, 5xx),
 * `failed` (network, malformed answer, store).
 */
export type DisconnectReason = 'closed' | 'shutdown' | 'silent' | 'unavailable' | 'failed';

export interface Disconnection {
  reason: DisconnectReason;
  error?: Error;
  retryInMs: number;
}

export interface SyncClientEvents {
  /** One change, already in the store. */
  change: [change: SyncChange, origin: ChangeOrigin];
  /** Catch-up is done: the store holds everything up to `cursor`. */
  synced: [cursor: string];
  /** The live stream is open, resuming after `cursor`. */
  live: [cursor: string];
  disconnected: [disconnection: Disconnection];
  /** The server answered `409 resync_required`: the store was cleared and catch-up starts from the beginning. */
  resync: [error: SyncHttpError];
  /**
   * A request the server will not accept however often it is retried (400
   * `invalid_cursor`, `cursor_ahead`, `unknown_type`, `validation_failed`,
   * 401, 404...). The client stops and the store is left as it was: a client
   * that wants to start over can `stop()`, `store.clear()` and `start()`.
   */
  error: [error: SyncHttpError];
  /** A heartbeat, with the server's clock. */
  ping: [serverTimeMs: number];
  state: [state: SyncState];
}

export interface SyncClientOptions {
  baseUrl: string | URL;
  store: LocalStore;
  /** Only these types (default: all). */
  types?: readonly string[];
  /** `limit` of each `/v1/sync` page (default 1000, server maximum 5000). */
  pageSize?: number;
  /** The server's heartbeat interval (default 15 000 ms); a request silent for twice as long is dropped. */
  heartbeatMs?: number;
  /** Delays between attempts (default 1 s doubling up to 30 s, jittered). */
  reconnect?: BackoffOptions;
  fetch?: typeof fetch;
  /** Sent with every request (authentication, app version...). */
  headers?: Record<string, string>;
}

/**
 * Keeps a `LocalStore` in sync with the API (docs/sync-protocol.md §3): pages
 * `/v1/sync` from the stored cursor, then holds `/v1/live` from where the
 * pages ended, reconnecting with the last frame's id whenever the stream
 * ends. Every change is applied to the store before it is announced.
 *
 * A listener that throws is reported as an uncaught exception, as it would be
 * with Node's own emitters, rather than being taken for a network failure;
 * `error` without a listener therefore ends the process, as usual.
 */
export class SyncClient extends EventEmitter<SyncClientEvents> {
  private readonly store: LocalStore;
  private readonly baseUrl: URL;
  private readonly types: string | undefined;
  private readonly pageSize: number;
  private readonly silenceLimitMs: number;
  private readonly backoff: ReconnectBackoff;
  private readonly fetch: typeof fetch;
  private readonly headers: Record<string, string>;

  private currentState: SyncState = 'idle';
  private lastCursor: string | undefined;
  /** Set while started; aborted by `stop()`. */
  private lifetime: AbortController | undefined;
  private running: Promise<void> | undefined;
  /** The request in flight: `stop()` and the watchdog abort it. */
  private request: AbortController | undefined;
  /** The one watchdog of this client, pushed back by every chunk received. */
  private watchdog: NodeJS.Timeout | undefined;
  /** The stream's SSE `retry` field, honoured on every reconnect. */
  private serverRetryMs = 0;

  constructor(options: SyncClientOptions) {
    super();
    this.store = options.store;
    // A trailing slash keeps a base path (`https://host/api/`) when the endpoints are resolved against it.
    this.baseUrl = new URL(String(options.baseUrl).replace(/\/?$/, '/'));
    this.types = options.types?.join(',');
    this.pageSize = options.pageSize ?? 1000;
    this.silenceLimitMs = 2 * (options.heartbeatMs ?? 15_000);
    this.backoff = new ReconnectBackoff(options.reconnect ?? { minMs: 1000, maxMs: 30_000 });
    this.fetch = options.fetch ?? fetch;
    this.headers = options.headers ?? {};
  }

  get state(): SyncState {
    return this.currentState;
  }

  /** The last cursor applied to the store (`undefined` before the first page). */
  get cursor(): string | undefined {
    return this.lastCursor;
  }

  /** Starts syncing in the background; progress and trouble arrive as events. */
  start(): void {
    if (this.running) return;
    const lifetime = new AbortController();
    this.lifetime = lifetime;
    this.watchdog = setTimeout(() => this.request?.abort(new SilentConnectionError(this.silenceLimitMs)), this.silenceLimitMs);
    this.running = this.run(lifetime.signal).finally(() => {
      clearTimeout(this.watchdog);
      this.running = undefined;
      this.setState('stopped');
    });
  }

  /** Ends the request in flight and any wait; resolves once nothing touches the store any more. */
  async stop(): Promise<void> {
    this.lifetime?.abort();
    this.request?.abort();
    await this.running;
  }

  private async run(lifetime: AbortSignal): Promise<void> {
    let resync: SyncHttpError | undefined;
    let caughtUp = false;
    while (!lifetime.aborted) {
      try {
        if (resync) {
          await this.store.clear();
          this.lastCursor = undefined;
          this.notify('resync', resync);
          resync = undefined;
        }
        if (!caughtUp) {
          await this.catchUp(lifetime);
          caughtUp = true;
        }
        const reason = await this.holdLiveStream(lifetime);
        await this.pause(lifetime, { reason, retryInMs: this.backoff.next(this.serverRetryMs) });
      } catch (thrown) {
        if (lifetime.aborted) return;
        const error = thrown as Error;
        if (error instanceof SyncHttpError && error.resyncRequired) {
          resync = error;
          caughtUp = false;
        } else if (error instanceof SyncHttpError && !error.retryable) {
          this.notify('error', error);
          return;
        } else {
          const serverDelayMs = (error instanceof SyncHttpError ? error.retryAfterMs : undefined) ?? this.serverRetryMs;
          await this.pause(lifetime, { reason: reasonOf(error), error, retryInMs: this.backoff.next(serverDelayMs) });
        }
      }
    }
  }

  private async catchUp(lifetime: AbortSignal): Promise<void> {
    this.setState('syncing');
    this.lastCursor = await this.store.getCursor();
    let hasMore = true;
    while (hasMore) {
      const query: Record<string, string | undefined> = { since: this.lastCursor, limit: String(this.pageSize) };
      const response = await this.open(lifetime, 'v1/sync', query, { accept: 'application/json' });
      let body = '';
      for await (const chunk of this.receive(response)) body += chunk;
      const page = parsePage(body);
      await this.commit(page.changes, page.cursor, 'catch-up');
      this.backoff.reset();
      hasMore = page.hasMore;
    }
    this.notify('synced', this.lastCursor as string);
  }

  /** Resolves when the server ends the stream; rejects when it cannot be opened or breaks. */
  private async holdLiveStream(lifetime: AbortSignal): Promise<'closed' | 'shutdown'> {
    const since = this.lastCursor as string;
    const response = await this.open(lifetime, 'v1/live', {}, { accept: 'text/event-stream', 'last-event-id': since });
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      throw new SyncProtocolError(`/v1/live answered ${response.headers.get('content-type')}, not an event stream`);
    }
    this.setState('live');
    this.notify('live', since);

    const frames: EventSourceMessage[] = [];
    const parser = createParser({
      onEvent: (frame) => frames.push(frame),
      onRetry: (retryMs) => (this.serverRetryMs = retryMs),
    });
    let ending: 'closed' | 'shutdown' = 'closed';
    for await (const chunk of this.receive(response)) {
      parser.feed(chunk);
      if (frames.some((frame) => frame.event === 'shutdown')) ending = 'shutdown';
      await this.applyFrames(frames.splice(0));
    }
    return ending;
  }

  /** One store write for all the frames of a chunk: a backlog replayed after a reconnect arrives in few chunks. */
  private async applyFrames(frames: EventSourceMessage[]): Promise<void> {
    if (frames.length === 0) return;
    const changes = frames.filter((frame) => frame.id !== undefined).map(parseFrame);
    if (changes.length > 0) await this.commit(changes, changes[changes.length - 1].cursor, 'live');
    this.backoff.reset();
    for (const frame of frames) if (frame.event === 'ping') this.notify('ping', Number(frame.data));
  }

  private async commit(changes: readonly SyncChange[], cursor: string, origin: ChangeOrigin): Promise<void> {
    await this.store.apply(changes, cursor);
    this.lastCursor = cursor;
    for (const change of changes) this.notify('change', change, origin);
  }

  private async open(
    lifetime: AbortSignal,
    path: string,
    query: Record<string, string | undefined>,
    headers: Record<string, string>,
  ): Promise<Response> {
    lifetime.throwIfAborted();
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries({ ...query, types: this.types })) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    this.request = new AbortController();
    this.watchdog?.refresh();
    const response = await this.fetch(url, { headers: { ...this.headers, ...headers }, signal: this.request.signal });
    if (!response.ok) throw await SyncHttpError.fromResponse(response);
    if (!response.body) throw new SyncProtocolError(`${url.pathname} answered without a body`);
    return response;
  }

  /** The body as text, each chunk proof that the connection is alive. */
  private async *receive(response: Response): AsyncGenerator<string> {
    for await (const chunk of (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream())) {
      this.watchdog?.refresh();
      yield chunk;
    }
  }

  private async pause(lifetime: AbortSignal, disconnection: Disconnection): Promise<void> {
    this.setState('reconnecting');
    this.notify('disconnected', disconnection);
    await sleep(disconnection.retryInMs, undefined, { signal: lifetime }).catch(() => {
      // stop() during the wait: run() sees the aborted lifetime.
    });
  }

  private setState(state: SyncState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.notify('state', state);
  }

  private notify<K extends keyof SyncClientEvents>(event: K, ...args: SyncClientEvents[K]): void {
    try {
      // The typed signature cannot be checked against a generic key; the parameters above are.
      (this as EventEmitter).emit(event, ...args);
    } catch (error) {
      process.nextTick(() => {
        throw error;
      });
    }
  }
}

function reasonOf(error: Error): DisconnectReason {
  if (error instanceof SilentConnectionError) return 'silent';
  if (error instanceof SyncHttpError) return 'unavailable';
  return 'failed';
}

function parsePage(body: string): { changes: SyncChange[]; cursor: string; hasMore: boolean } {
  const page = JSON.parse(body) as { changes?: unknown; cursor?: unknown; hasMore?: unknown };
  if (!Array.isArray(page.changes) || typeof page.cursor !== 'string' || typeof page.hasMore !== 'boolean') {
    throw new SyncProtocolError('/v1/sync answered something other than a page of changes');
  }
  return { changes: page.changes as SyncChange[], cursor: page.cursor, hasMore: page.hasMore };
}

function parseFrame(frame: EventSourceMessage): SyncChange {
  const data = JSON.parse(frame.data) as SyncRecord;
  if (!frame.event || typeof data?.id !== 'string') throw new SyncProtocolError(`frame ${frame.id} is not a change`);
  return { cursor: frame.id as string, type: frame.event, id: data.id, data };
}
