import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LatencyHistogram } from './histogram.js';
import type { GeneratorCommand, GeneratorReply, GeneratorStats, StatsReply, StormReply } from './messages.js';
import { sleep } from './servers.js';

const GENERATOR = fileURLToPath(new URL('./load-generator.js', import.meta.url));
/**
 * Clients per source address. Each has 28,000 ephemeral ports, but bind()
 * searches them for a free one, and that search grows with the ports taken:
 * measured here, 109 µs of kernel time per connect with 8,000 sockets on one
 * address, 15 µs with 1,000 per address. Reconnects (the storm) pay it again.
 */
const CLIENTS_PER_ADDRESS = 1000;

export interface FleetOptions {
  port: number;
  path: string;
  clients: number;
  generators: number;
  connectRate: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

/** Every generator's stats summed; the latency histograms merged. */
export interface FleetStats extends Omit<GeneratorStats, 'latency' | 'connectErrors'> {
  latency: LatencyHistogram;
  connectErrors: Record<string, number>;
}

export interface StormResult {
  stormed: number;
  resumed: number;
  resumeLatency: LatencyHistogram;
}

/** The load-generator processes and how to ask them things. */
export class Fleet {
  private nextRequest = 1;
  private readonly waiting = new Map<number, (reply: GeneratorReply) => void>();

  private constructor(
    private readonly children: ChildProcess[],
    readonly clients: number,
  ) {
    for (const child of children) {
      child.on('message', (reply: GeneratorReply) => {
        if (reply.type === 'fatal') console.error(`load generator ${child.pid} failed: ${reply.message}`);
        if ('requestId' in reply) {
          this.waiting.get(reply.requestId)?.(reply);
          this.waiting.delete(reply.requestId);
        }
      });
    }
  }

  static start(options: FleetOptions, track: (child: ChildProcess) => void): Fleet {
    const children: ChildProcess[] = [];
    for (let g = 0; g < options.generators; g++) {
      const connections = Math.floor(options.clients / options.generators) + (g < options.clients % options.generators ? 1 : 0);
      const addressCount = Math.max(2, Math.ceil(connections / CLIENTS_PER_ADDRESS));
      const execArgv = (process.env.BENCH_GENERATOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
      const child = fork(GENERATOR, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      track(child);
      child.send({
        type: 'setup',
        index: g,
        port: options.port,
        path: options.path,
        // 127.0.0.0/8 is all loopback: each generator its own /24, so no two share a source address.
        addresses: Array.from({ length: addressCount }, (_, k) => `127.0.${10 + g}.${2 + k}`),
        connections,
        connectRate: options.connectRate / options.generators,
        maxPending: 200,
        backoffMinMs: options.backoffMinMs,
        backoffMaxMs: options.backoffMaxMs,
      } satisfies GeneratorCommand);
      children.push(child);
    }
    return new Fleet(children, options.clients);
  }

  pids(): number[] {
    return this.children.map((child) => child.pid!).filter((pid) => pid !== undefined);
  }

  private ask<T extends GeneratorReply>(child: ChildProcess, command: (requestId: number) => GeneratorCommand, timeoutMs: number): Promise<T> {
    const requestId = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`load generator ${child.pid} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(requestId, (reply) => {
        clearTimeout(timer);
        resolve(reply as T);
      });
      child.send(command(requestId));
    });
  }

  async stats(expectedEvents?: number): Promise<FleetStats> {
    const replies = await Promise.all(
      this.children.map((child) => this.ask<StatsReply>(child, (requestId) => ({ type: 'stats', requestId, expectedEvents }), 30_000)),
    );
    const total: FleetStats = {
      clients: 0, open: 0, reads: 0, frames: 0, pings: 0, bytes: 0, drops: 0, refused: 0, disorder: 0, unstamped: 0,
      phaseEvents: 0, missing: 0, clientsMissing: 0, extra: 0, latency: new LatencyHistogram(), connectErrors: {},
    };
    for (const { stats } of replies) {
      for (const key of ['clients', 'open', 'reads', 'frames', 'pings', 'bytes', 'drops', 'refused', 'disorder', 'unstamped', 'phaseEvents', 'missing', 'clientsMissing', 'extra'] as const) {
        total[key] += stats[key];
      }
      total.latency.merge(stats.latency);
      for (const [code, count] of Object.entries(stats.connectErrors)) total.connectErrors[code] = (total.connectErrors[code] ?? 0) + count;
    }
    return total;
  }

  /** Waits until every client has a stream open; throws with what went wrong otherwise. */
  async waitConnected(timeoutMs: number, progress: (stats: FleetStats) => void): Promise<FleetStats> {
    const deadline = Date.now() + timeoutMs;
    let lastReport = 0;
    for (;;) {
      const stats = await this.stats();
      if (stats.open >= this.clients) return stats;
      if (Date.now() > deadline) {
        throw new Error(`only ${stats.open} of ${this.clients} streams opened in ${timeoutMs / 1000} s (refused ${stats.refused}, errors ${JSON.stringify(stats.connectErrors)})`);
      }
      if (Date.now() - lastReport > 10_000) {
        progress(stats);
        lastReport = Date.now();
      }
      await sleep(250);
    }
  }

  phase(seqFrom: number, sinceMicros: number): void {
    for (const child of this.children) child.send({ type: 'phase', seqFrom, sinceMicros } satisfies GeneratorCommand);
  }

  /**
   * Polls until every client has all `expected` events of the phase and the
   * frames have stopped coming (a variant may write the rest of a
   * transaction's frames after its event), or the time is up.
   */
  async waitForEvents(expected: number, timeoutMs: number): Promise<FleetStats> {
    const deadline = Date.now() + timeoutMs;
    // Quiet for half a second: a saturated server's event loop can stall longer than one poll.
    const quietMs = 500;
    let frames = -1;
    let quietSince = Date.now();
    for (;;) {
      const stats = await this.stats(expected);
      if (stats.missing !== 0 || stats.frames !== frames) {
        frames = stats.frames;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) return stats;
      if (Date.now() > deadline) return stats;
      await sleep(100);
    }
  }

  /** Drops `connections` open streams spread over the generators, all at once; they resume on their own. */
  async storm(connections: number, timeoutMs: number): Promise<StormResult> {
    const share = (g: number) => Math.floor(connections / this.children.length) + (g < connections % this.children.length ? 1 : 0);
    const replies = await Promise.all(
      this.children.map((child, g) =>
        this.ask<StormReply>(child, (requestId) => ({ type: 'storm', requestId, connections: share(g), timeoutMs }), timeoutMs + 10_000),
      ),
    );
    const result: StormResult = { stormed: 0, resumed: 0, resumeLatency: new LatencyHistogram() };
    for (const reply of replies) {
      result.stormed += reply.stormed;
      result.resumed += reply.resumed;
      result.resumeLatency.merge(reply.resumeLatency);
    }
    return result;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.connected) child.send({ type: 'stop' } satisfies GeneratorCommand);
        if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) child.kill('SIGKILL');
      }),
    );
  }
}
