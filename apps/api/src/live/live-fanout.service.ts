import {
  type BeforeApplicationShutdown,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import type { Socket } from 'node:net';
import { DomainException, ReadinessRegistry, ServiceUnavailableException } from '@app/bootstrap';
import { ChangeFeedListener, ChangeFeedRepository, type FeedBatch } from '@app/change-feed';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { ResumePoint } from '../feed/resume-point.service.js';
import { type Frame, FrameRing } from './frame-ring.js';
import { LiveCounters, registerLiveMetrics } from './live.metrics.js';
import { SHUTDOWN_FRAME, STREAM_HEAD, changeFrame, pingFrame } from './sse-frame.js';

export class TooManyStreamsException extends DomainException {
  constructor(limit: number) {
    super('too_many_streams', HttpStatus.TOO_MANY_REQUESTS, `at most ${limit} live streams per client address`, undefined, { 'Retry-After': '30' });
  }
}

/** One open stream. Kept small: there may be tens of thousands per process. */
class LiveConnection {
  /** Frames of live batches that arrived while the connection caught up; undefined once live. */
  pending: Frame[] | undefined = [];
  /** Frames written since the socket's buffer was last seen empty. */
  backlogFrames = 0;
  /**
   * Set when catch-up read the database beyond what the fanout has delivered:
   * live frames up to this position were already sent and are skipped.
   */
  sentThrough = 0;

  constructor(
    readonly socket: Socket,
    readonly mask: number,
    readonly address: string,
    /** The last position sent (during catch-up). */
    public position: number,
  ) {}
}

const ALL_TYPES = 0xffffffff;
const connectionOf = Symbol('liveConnection');
type StreamSocket = Socket & { [connectionOf]?: LiveConnection };
const ignoreSocketError = () => undefined;

/**
 * The process's one fanout: follows the change feed, turns each change into
 * one SSE frame (one JSON.stringify, one Buffer) and writes that Buffer to
 * every matching connection — the frames of one batch coalesced into one
 * write per connection. One heartbeat timer serves every connection; a
 * connection whose unsent backlog passes its bound is cut (it resumes with
 * Last-Event-ID). No RxJS, no per-connection timers or closures.
 */
@Injectable()
export class LiveFanout implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveFanout.name);
  private readonly connections = new Set<LiveConnection>();
  private readonly streamsPerAddress = new Map<string, number>();
  private readonly typeBits = new Map<string, number>();
  private readonly ring: FrameRing;
  private readonly counters = new LiveCounters();
  private readonly metrics;
  private heartbeat: NodeJS.Timeout | undefined;
  private outage: NodeJS.Timeout | undefined;
  private available = true;
  /** Position of the last frame delivered to the connections. */
  private deliveredPosition = 0;
  private readonly onSocketClose: (this: StreamSocket) => void;

  constructor(
    private readonly listener: ChangeFeedListener,
    private readonly repository: ChangeFeedRepository,
    private readonly readiness: ReadinessRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.ring = new FrameRing(config.LIVE_RING_SIZE);
    this.metrics = registerLiveMetrics(this.counters, () => this.connections.size);
    const fanout = this;
    this.onSocketClose = function () {
      fanout.forget(this);
    };
  }

  onModuleInit(): void {
    // Subscribed before the listener starts, so the ring's floor is where the listener begins.
    this.listener.on('started', (position) => {
      this.ring.reset(position);
      this.deliveredPosition = position;
    });
    this.listener.subscribe((batch) => this.deliver(batch));
    this.listener.on('epochChanged', () => {
      this.ring.reset(this.listener.position);
      this.deliveredPosition = this.listener.position;
      this.closeAll('the feed has a new epoch');
    });
    this.listener.on('disconnected', () => this.startOutageClock());
    this.listener.on('connected', () => this.endOutage());
    this.readiness.register('live', () => ({
      ready: this.available,
      detail: 'the database has been unreachable for longer than LIVE_OUTAGE_BUDGET_MS',
    }));
  }

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => this.ping(), this.config.LIVE_HEARTBEAT_MS);
  }

  /** Tells every stream the server is going, and closes them. */
  async beforeApplicationShutdown(): Promise<void> {
    this.available = false;
    clearInterval(this.heartbeat);
    clearTimeout(this.outage);
    const closed = [...this.connections].map((connection) => new Promise((resolve) => connection.socket.once('close', resolve)));
    for (const connection of this.connections) connection.socket.end(SHUTDOWN_FRAME);
    // A client that does not read its last bytes does not hold the shutdown up.
    const deadline = setTimeout(() => this.connections.forEach((connection) => connection.socket.destroy()), 2000);
    await Promise.all(closed);
    clearTimeout(deadline);
  }

  /** Refuses a new stream before its request is taken over: 503 while unavailable, 429 past the per-address limit. */
  admit(address: string): void {
    if (!this.available) throw new ServiceUnavailableException('live data is unavailable right now');
    if ((this.streamsPerAddress.get(address) ?? 0) >= this.config.LIVE_MAX_STREAMS_PER_ADDRESS) {
      throw new TooManyStreamsException(this.config.LIVE_MAX_STREAMS_PER_ADDRESS);
    }
  }

  /**
   * Takes over a socket whose request was validated and admitted: headers at
   * once, then what the client missed, then live frames — registered first,
   * so that nothing committed meanwhile is lost, and nothing sent twice.
   */
  async open(socket: Socket, address: string, resume: ResumePoint): Promise<void> {
    const connection = new LiveConnection(socket, this.maskOf(resume.types), address, resume.position);
    const stream = socket as StreamSocket;
    stream[connectionOf] = connection;
    socket.on('close', this.onSocketClose);
    socket.on('error', ignoreSocketError);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.setTimeout(0);
    this.connections.add(connection);
    this.streamsPerAddress.set(address, (this.streamsPerAddress.get(address) ?? 0) + 1);
    socket.write(STREAM_HEAD);
    try {
      await this.catchUp(connection, resume);
    } catch (error) {
      this.logger.warn(`catch-up failed, closing the stream: ${(error as Error).message}`);
      socket.destroy();
    }
  }

  private async catchUp(connection: LiveConnection, resume: ResumePoint): Promise<void> {
    if (this.ring.covers(resume.position)) {
      this.counters.ringHits++;
      await this.writeCatchUp(connection, this.ring.since(resume.position, connection.mask));
    } else {
      this.counters.ringMisses++;
      const pageSize = this.config.CHANGE_FEED_PAGE_SIZE;
      let changes;
      do {
        changes = await this.repository.changesSince(connection.position, pageSize, resume.types);
        if (connection.socket.destroyed) return;
        await this.writeCatchUp(connection, changes.map((change) => this.frameOf(resume.epoch, change)));
      } while (changes.length === pageSize && !connection.socket.destroyed);
    }
    // What arrived live meanwhile, above what catch-up sent; from here on the connection is live.
    const pending = connection.pending!.filter((frame) => frame.position > connection.position);
    connection.pending = undefined;
    if (connection.position > this.deliveredPosition) connection.sentThrough = connection.position;
    if (pending.length) this.write(connection, Buffer.concat(pending.map((frame) => frame.bytes)), pending.length);
  }

  /** Catch-up writes respect backpressure: one chunk at a time, waiting for the socket to drain. */
  private async writeCatchUp(connection: LiveConnection, frames: Frame[]): Promise<void> {
    const chunkFrames = 256;
    for (let i = 0; i < frames.length && !connection.socket.destroyed; i += chunkFrames) {
      const chunk = frames.slice(i, i + chunkFrames);
      connection.position = chunk[chunk.length - 1].position;
      this.counters.framesWritten += chunk.length;
      const bytes = Buffer.concat(chunk.map((frame) => frame.bytes));
      this.counters.bytesWritten += bytes.length;
      if (!connection.socket.write(bytes)) await drained(connection.socket);
    }
  }

  private deliver(batch: FeedBatch): void {
    const frames = batch.changes.map((change) => this.frameOf(batch.epoch, change));
    for (const frame of frames) this.ring.push(frame);
    this.deliveredPosition = frames[frames.length - 1].position;
    if (this.connections.size > 0) this.writeToAll(frames);
    const now = Date.now();
    for (const change of batch.changes) this.metrics.commitToWrite.observe((now - change.committedAt) / 1000);
  }

  private writeToAll(frames: Frame[]): void {
    // The batch's frames as one Buffer per distinct type filter, built once.
    const chunks = new Map<number, { bytes: Buffer; count: number }>();
    const chunkFor = (mask: number) => {
      let chunk = chunks.get(mask);
      if (!chunk) {
        const matching = mask === ALL_TYPES ? frames : frames.filter((frame) => frame.typeBit & mask);
        chunk = { bytes: matching.length === 1 ? matching[0].bytes : Buffer.concat(matching.map((frame) => frame.bytes)), count: matching.length };
        chunks.set(mask, chunk);
      }
      return chunk;
    };
    for (const connection of this.connections) {
      if (connection.pending) {
        for (const frame of frames) if (frame.typeBit & connection.mask) connection.pending.push(frame);
        if (connection.pending.length > this.config.LIVE_MAX_BACKLOG_FRAMES) this.cut(connection);
        continue;
      }
      if (connection.sentThrough) {
        this.writeUnsent(connection, frames);
        continue;
      }
      const chunk = chunkFor(connection.mask);
      if (chunk.count) this.write(connection, chunk.bytes, chunk.count);
    }
  }

  /** The rare path, just after a database catch-up that ran ahead of the fanout. */
  private writeUnsent(connection: LiveConnection, frames: Frame[]): void {
    const unsent = frames.filter((frame) => frame.position > connection.sentThrough && frame.typeBit & connection.mask);
    if (frames[frames.length - 1].position >= connection.sentThrough) connection.sentThrough = 0;
    if (unsent.length) this.write(connection, Buffer.concat(unsent.map((frame) => frame.bytes)), unsent.length);
  }

  private write(connection: LiveConnection, bytes: Buffer, frames: number): void {
    const { socket } = connection;
    if (socket.writableLength === 0) connection.backlogFrames = 0;
    socket.write(bytes);
    connection.backlogFrames += frames;
    this.counters.framesWritten += frames;
    this.counters.bytesWritten += bytes.length;
    if (
      socket.writableLength > 0 &&
      (connection.backlogFrames > this.config.LIVE_MAX_BACKLOG_FRAMES || socket.writableLength > this.config.LIVE_MAX_BACKLOG_BYTES)
    ) {
      this.cut(connection);
    }
  }

  private ping(): void {
    const frame = pingFrame(Date.now());
    for (const connection of this.connections) this.write(connection, frame, 1);
  }

  private cut(connection: LiveConnection): void {
    this.counters.slowClientCutoffs++;
    connection.socket.destroy();
  }

  private forget(socket: StreamSocket): void {
    const connection = socket[connectionOf];
    if (!connection || !this.connections.delete(connection)) return;
    const streams = (this.streamsPerAddress.get(connection.address) ?? 1) - 1;
    if (streams > 0) this.streamsPerAddress.set(connection.address, streams);
    else this.streamsPerAddress.delete(connection.address);
  }

  private closeAll(reason: string): void {
    if (this.connections.size) this.logger.warn(`closing ${this.connections.size} live streams: ${reason}`);
    for (const connection of this.connections) connection.socket.end();
  }

  private startOutageClock(): void {
    this.outage ??= setTimeout(() => {
      this.available = false;
      this.closeAll('the database has been unreachable for longer than the outage budget');
    }, this.config.LIVE_OUTAGE_BUDGET_MS);
  }

  private endOutage(): void {
    clearTimeout(this.outage);
    this.outage = undefined;
    this.available = true;
  }

  private frameOf(epoch: string, change: FeedBatch['changes'][number]): Frame {
    return { position: change.position, typeBit: this.bitOf(change.type), bytes: changeFrame(epoch, change) };
  }

  private maskOf(types: string[] | undefined): number {
    return types ? types.reduce((mask, type) => mask | this.bitOf(type), 0) : ALL_TYPES;
  }

  private bitOf(type: string): number {
    let bit = this.typeBits.get(type);
    if (bit === undefined) {
      if (this.typeBits.size === 32) throw new Error('the live fanout filters at most 32 types');
      bit = (1 << this.typeBits.size) >>> 0;
      this.typeBits.set(type, bit);
    }
    return bit;
  }
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}
