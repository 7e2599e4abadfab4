import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { processTree } from './proc-stats.js';

export const VARIANTS = ['faceoff', 'node-http', 'better-sse', 'nest-sse'] as const;
export type Variant = (typeof VARIANTS)[number];

export const VARIANT_LABELS: Record<Variant, string> = {
  faceoff: 'faceoff (apps/api)',
  'node-http': '(a) node:http',
  'better-sse': '(b) better-sse',
  'nest-sse': '(c) nest @Sse',
};

const DIST = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY: Record<Variant, string> = {
  faceoff: join(DIST, 'apps/api/src/main.js'),
  'node-http': join(DIST, 'bench/live-fanout/baselines/node-http.js'),
  'better-sse': join(DIST, 'bench/live-fanout/baselines/better-sse.js'),
  'nest-sse': join(DIST, 'bench/live-fanout/baselines/nest-sse.js'),
};
export const LOG_DIR = join(tmpdir(), 'faceoff-live-fanout');

export interface ServerOptions {
  databaseUrl: string;
  workers: number;
  heartbeatMs: number;
}

/** A variant's server, in its own process group (so the group can be stopped, workers and all). */
export class RunningServer {
  private exited: Promise<void>;

  constructor(
    readonly variant: Variant,
    readonly workers: number,
    readonly port: number,
    private readonly metricsPort: number | undefined,
    private readonly child: ChildProcess,
    readonly logPath: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The server's processes now: the primary and its workers (or the one process). */
  pids(): number[] {
    return this.child.exitCode === null ? processTree(this.pid) : [];
  }

  /** Faceoff's Prometheus metrics summed over label sets; undefined for the baselines. */
  async metric(names: string[]): Promise<Record<string, number> | undefined> {
    if (this.variant !== 'faceoff') return undefined;
    const port = this.metricsPort ?? this.port;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const values: Record<string, number> = {};
    for (const name of names) values[name] = 0;
    for (const line of text.split('\n')) {
      const match = /^([a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
      if (match && match[1] in values) values[match[1]] += Number(match[2]);
    }
    return values;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    signalGroup(this.pid, 'SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(15_000).then(() => false)]);
    // Whatever is left of the group (a worker that hung) goes too.
    signalGroup(this.pid, 'SIGKILL');
    if (!stopped) await this.exited;
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function startServer(variant: Variant, options: ServerOptions): Promise<RunningServer> {
  mkdirSync(LOG_DIR, { recursive: true });
  const port = await freePort();
  const metricsPort = variant === 'faceoff' && options.workers > 1 ? await freePort() : undefined;
  const logPath = join(LOG_DIR, `${variant}-${options.workers}w-${Date.now()}.log`);
  const log = openSync(logPath, 'a');
  // Node flags for the servers only (e.g. --cpu-prof, which NODE_OPTIONS refuses); cluster workers inherit them.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ENTRY[variant]], {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      HOST: '127.0.0.1',
      API_PORT: String(port),
      API_WORKERS: String(options.workers),
      API_METRICS_PORT: String(metricsPort ?? port + 1),
      LIVE_MAX_STREAMS_PER_ADDRESS: '1000000',
      LIVE_HEARTBEAT_MS: String(options.heartbeatMs),
      LOG_LEVEL: 'warn',
    },
  });
  const server = new RunningServer(variant, options.workers, port, metricsPort, child, logPath);
  try {
    await waitUntilReady(server, options);
  } catch (error) {
    await server.stop();
    throw new Error(`${variant} did not start: ${(error as Error).message}\n${server.logTail()}`);
  }
  return server;
}

/**
 * Ready = /healthz answers AND every process follows the feed (its LISTEN is
 * up). Connections are opened only then: the cluster primary hands sockets
 * only to workers that listen, and a late worker would get too few.
 */
async function waitUntilReady(server: RunningServer, options: ServerOptions): Promise<void> {
  const startedAt = new Date(Date.now() - 1000);
  const deadline = Date.now() + 90_000;
  const database = new pg.Client({ connectionString: options.databaseUrl });
  await database.connect();
  try {
    while (Date.now() < deadline) {
      if (server.pids().length === 0) throw new Error('the process exited');
      const healthy = await fetch(`http://127.0.0.1:${server.port}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      const { rows } = await database.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN data_updates' AND backend_start >= $1`,
        [startedAt],
      );
      if (healthy && rows[0].n >= options.workers) return;
      await sleep(250);
    }
    throw new Error('not ready within 90 s');
  } finally {
    await database.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
