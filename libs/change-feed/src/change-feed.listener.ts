import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { Counter, Gauge } from 'prom-client';
import type { ChangeFeedRepository } from './change-feed.repository.js';
import type { FeedBatch } from './feed-change.js';

export const CHANGE_FEED_CHANNEL = 'data_updates';

const feedMetrics = {
  changes: new Counter({ name: 'faceoff_change_feed_changes_total', help: 'Changes read from the feed and handed to subscribers' }),
  position: new Gauge({ name: 'faceoff_change_feed_position', help: 'Last feed position handed to subscribers' }),
  connected: new Gauge({ name: 'faceoff_change_feed_connected', help: '1 while the LISTEN connection is up' }),
  reconnects: new Counter({ name: 'faceoff_change_feed_disconnects_total', help: 'LISTEN connections lost (each followed by a reconnect)' }),
  readFailures: new Counter({ name: 'faceoff_change_feed_read_failures_total', help: 'Feed reads that failed and were retried' }),
};

export interface ChangeFeedListenerOptions {
  connectionString: string;
  /** How many changes one read takes from the database. */
  pageSize: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Shows up in pg_stat_activity (and lets tests find the LISTEN backend). */
  applicationName?: string;
}

export type FeedBatchHandler = (batch: FeedBatch) => void | Promise<void>;

export interface ChangeFeedListenerEvents {
  /** Following from this position: every change after it will be delivered. */
  started: [position: number];
  /** The LISTEN connection is up and the feed has been read up to date. */
  connected: [];
  disconnected: [error: Error];
  /** The database now carries another epoch: positions before it mean nothing. */
  epochChanged: [previous: string, current: string];
}

/**
 * Follows the change feed for one process: one LISTEN connection, one reader.
 *
 * Notifications are only a wake-up; what is delivered is always read from the
 * database by position. So a dropped connection loses nothing: after the
 * reconnect the reader continues from the last position it delivered, and
 * every handler sees every change once, in position order.
 */
export class ChangeFeedListener extends EventEmitter<ChangeFeedListenerEvents> {
  private readonly logger = new Logger(ChangeFeedListener.name);
  private readonly handlers = new Set<FeedBatchHandler>();
  private client: pg.Client | undefined;
  private stopped = true;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private retryReadTimer: NodeJS.Timeout | undefined;
  /** The read in progress; resolves false if it failed. */
  private reading: Promise<boolean> | undefined;
  private readRequested = false;
  /** A read not justified by a notification (start, reconnect, retry, catchUp()). */
  private forcedRead = false;
  /** The highest position a notification named. */
  private notifiedPosition = 0;
  private currentPosition = 0;
  private currentEpoch = '';
  private isConnected = false;

  constructor(
    private readonly repository: ChangeFeedRepository,
    private readonly options: ChangeFeedListenerOptions,
  ) {
    super();
  }

  /** The last position handed to the handlers. */
  get position(): number {
    return this.currentPosition;
  }

  get epoch(): string {
    return this.currentEpoch;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Adds a handler for every batch from now on; returns its removal. */
  subscribe(handler: FeedBatchHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /**
   * Starts following from `fromPosition` (default: the current head, i.e.
   * only what commits from now on). Resolves once the first LISTEN is up.
   */
  async start(fromPosition?: number): Promise<void> {
    this.stopped = false;
    this.currentEpoch = await this.repository.currentEpoch();
    this.currentPosition = fromPosition ?? (await this.repository.headPosition());
    this.emit('started', this.currentPosition);
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.retryReadTimer);
    const client = this.client;
    this.client = undefined;
    this.isConnected = false;
    await client?.end().catch(() => undefined);
    await this.reading;
  }

  /**
   * Resolves when everything committed before the call has been delivered;
   * rejects if the database could not be read (the listener keeps retrying).
   */
  async catchUp(): Promise<void> {
    this.requestRead();
    while (this.reading) {
      if (!(await this.reading)) throw new Error('the change feed could not be read; retrying in the background');
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? 'faceoff-change-feed',
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // A change wakes the reader; a renewed epoch (sync_renew_epoch) is checked at once.
    client.on('notification', (message) => this.notified(message.payload));
    client.on('error', (error) => this.connectionLost(client, error));
    client.on('end', () => this.connectionLost(client, new Error('LISTEN connection ended')));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_FEED_CHANNEL}`);
      await this.checkEpoch();
    } catch (error) {
      this.connectionLost(client, error as Error);
      return;
    }
    if (this.client !== client || this.stopped) return;
    this.reconnectAttempt = 0;
    this.isConnected = true;
    feedMetrics.connected.set(1);
    // Whatever committed while we were not listening is read now.
    await this.catchUp();
    this.emit('connected');
  }

  /** A database restored or replaced while we were away carries another epoch: positions restart from its head. */
  private async checkEpoch(): Promise<void> {
    const epoch = await this.repository.currentEpoch();
    if (epoch === this.currentEpoch) return;
    const previous = this.currentEpoch;
    this.currentEpoch = epoch;
    this.currentPosition = await this.repository.headPosition();
    this.logger.warn(`change feed epoch changed from ${previous} to ${epoch}`);
    this.emit('epochChanged', previous, epoch);
  }

  /**
   * One NOTIFY comes per changed row, so most arrive while the read they
   * woke is still running — and are covered by it. A new read is asked for
   * only when a notification names a position beyond what was delivered.
   */
  private notified(payload: string | undefined): void {
    if (payload?.startsWith('{"epoch"')) {
      this.recheckEpoch();
      return;
    }
    let position = Number.NaN;
    try {
      position = Number((JSON.parse(payload ?? '') as { cursor?: string }).cursor);
    } catch {
      // not ours: read anyway
    }
    if (!Number.isFinite(position)) return this.requestRead();
    this.notifiedPosition = Math.max(this.notifiedPosition, position);
    if (position > this.currentPosition) this.requestRead(false);
  }

  private recheckEpoch(): void {
    this.checkEpoch().catch((error: Error) => this.logger.warn(`epoch check failed: ${error.message}`));
  }

  private connectionLost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.isConnected = false;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    const delay = this.backoff(this.reconnectAttempt++);
    this.logger.warn(`change feed connection lost (${error.message}); reconnecting in ${delay} ms`);
    feedMetrics.connected.set(0);
    feedMetrics.reconnects.inc();
    this.emit('disconnected', error);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private backoff(attempt: number): number {
    const { reconnectMinMs, reconnectMaxMs } = this.options;
    const ceiling = Math.min(reconnectMaxMs, reconnectMinMs * 2 ** attempt);
    // Full jitter: many processes that lost the database together do not return in step.
    return Math.round(reconnectMinMs + Math.random() * (ceiling - reconnectMinMs));
  }

  private requestRead(force = true): void {
    if (force) this.forcedRead = true;
    this.readRequested = true;
    this.reading ??= this.readUntilCurrent().finally(() => {
      this.reading = undefined;
    });
  }

  /** Reads and delivers pages until a read finds nothing new; coalesces wake-ups meanwhile. */
  private async readUntilCurrent(): Promise<boolean> {
    while (this.readRequested && !this.stopped) {
      this.readRequested = false;
      const forced = this.forcedRead;
      this.forcedRead = false;
      // Notifications that arrived during the last read named what it delivered.
      if (!forced && this.notifiedPosition <= this.currentPosition) continue;
      try {
        let full: boolean;
        do {
          const changes = await this.repository.changesSince(this.currentPosition, this.options.pageSize);
          if (this.stopped || changes.length === 0) break;
          await this.deliver({ epoch: this.currentEpoch, changes });
          this.currentPosition = changes[changes.length - 1].position;
          feedMetrics.changes.inc(changes.length);
          feedMetrics.position.set(this.currentPosition);
          full = changes.length === this.options.pageSize;
        } while (full);
      } catch (error) {
        // The reader failed (database away?): try again later from the same position.
        const delay = this.backoff(2);
        this.logger.warn(`change feed read failed (${(error as Error).message}); retrying in ${delay} ms`);
        clearTimeout(this.retryReadTimer);
        this.retryReadTimer = setTimeout(() => this.requestRead(), delay);
        feedMetrics.readFailures.inc();
        return false;
      }
    }
    return true;
  }

  private async deliver(batch: FeedBatch): Promise<void> {
    for (const handler of this.handlers) {
      try {
        await handler(batch);
      } catch (error) {
        this.logger.error(`change feed handler failed: ${(error as Error).stack ?? error}`);
      }
    }
  }
}
