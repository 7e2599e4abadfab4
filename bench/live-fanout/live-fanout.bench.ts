/**
 * What a live frame costs to fan out: Faceoff's /v1/live beside three
 * baselines, on the same load, in the same run.
 *
 * A writer commits goals to PostgreSQL (writer.ts: one transaction of four
 * changed rows, each stamped with its INTENDED commit time from the
 * schedule); every variant follows the change feed with the same
 * ChangeFeedListener and fans the frames out over SSE; load-generator
 * processes (load-generator.ts) hold the clients on raw loopback sockets from
 * several source addresses and report commit→receipt latency against the
 * schedule, frames received and events lost. The server's CPU (utime+stime of
 * its process tree, /proc) and RSS are read by this orchestrator.
 *
 * Variants: faceoff (apps/api) and baselines/: (a) node-http, a bare
 * node:http broadcaster; (b) better-sse with one Channel; (c) nest-sse, a
 * NestJS @Sse() handler with an RxJS Subject and an interval per connection.
 *
 * Runs:
 *   side by side  every variant, BENCH_CLIENTS clients, one process (Faceoff
 *                 with BENCH_SIDE_WORKERS): idle RSS, match night, stress.
 *   scale         Faceoff with cluster workers, for each count in
 *                 BENCH_SCALE_CLIENTS: idle RSS, match night.
 *   storm         Faceoff with BENCH_STORM_WORKERS workers and
 *                 BENCH_STORM_CLIENTS clients, all dropped at once during a
 *                 match night; they resume with Last-Event-ID.
 * Profiles (BENCH_PROFILE): match-night (three matches, BENCH_MATCH_NIGHT_RATE
 * goals/s in all, for BENCH_SECONDS), stress (goal rate raised step by step
 * through BENCH_STRESS_RATES until p99 passes 1 s or a frame is lost; the
 * highest sustained delivered frames/s per worker is reported), storm.
 *
 * The clients share the machine's two cores with the server: their own cost
 * (Node's floor is ~4 µs of CPU per socket read here) is printed beside the
 * server's, and where both together exceed the machine, latency measures the
 * machine, not the server — the phase lines show how busy each side was.
 *
 *   npx nest build && node dist/bench/live-fanout/live-fanout.bench.js        # full: ~12 min
 *   BENCH_CLIENTS=2000 BENCH_SCALE_CLIENTS=4000 BENCH_STORM_CLIENTS=2000 BENCH_SECONDS=10 BENCH_STEP_SECONDS=3 \
 *     BENCH_STRESS_RATES=4,16,64,256 BENCH_SETTLE_SECONDS=2 node dist/bench/live-fanout/live-fanout.bench.js   # quick: ~3 min
 *   BENCH_DATABASE_URL=postgres://... (a server of yours; creates and drops bench_live)
 *
 * Env (defaults): BENCH_CLIENTS (10000), BENCH_SCALE_CLIENTS (100000; a list
 * like 30000,60000,100000 runs each; 0 skips), BENCH_STORM_CLIENTS (20000),
 * BENCH_WORKERS (one per 15,000 clients, at least 2), BENCH_STORM_WORKERS
 * (likewise), BENCH_SIDE_WORKERS (1), BENCH_GENERATORS (one
 * per 15,000 clients, at least 2), BENCH_SECONDS (30), BENCH_STEP_SECONDS (10),
 * BENCH_STRESS_RATES (1,2,3,4,6,8,11,16,... goals/s: steps of √2), BENCH_VARIANTS
 * (faceoff,node-http,better-sse,nest-sse), BENCH_PROFILE
 * (match-night,stress,storm), BENCH_SETTLE_SECONDS (5), BENCH_CONNECT_RATE
 * (3000 connects/s), BENCH_HEARTBEAT_MS (15000), BENCH_MATCH_NIGHT_RATE (1),
 * BENCH_WRITER_CONNECTIONS (4), BENCH_DURABLE (0: fsync off), BENCH_TIMEOUT_MINUTES (40),
 * BENCH_SERVER_NODE_ARGS / BENCH_GENERATOR_NODE_ARGS (node flags for the servers / load generators only,
 * e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 *
 * Limits of this machine that shape it: 20,000 descriptors per process (so
 * 100,000 clients need >= 6 server workers and >= 6 generators), 28,000
 * ephemeral ports per source address (so clients bind 127.0.<10+g>.<2+k>).
 */
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { migrateUp } from '../../libs/db/src/migrate.js';
import { ensureDatabase, startEmbeddedDatabase, type EmbeddedDatabase } from '../../tools/stack/src/embedded-database.js';
import { monotonicMicros } from './clock.js';
import { Fleet, type FleetStats, type StormResult } from './fleet.js';
import { LatencyHistogram } from './histogram.js';
import { cpuMicros, cpuTimes, listenQueueDrops, rssBytes, socketCount } from './proc-stats.js';
import { fixed, integer, millis, table } from './report.js';
import { LOG_DIR, type RunningServer, VARIANT_LABELS, VARIANTS, type Variant, signalGroup, sleep, startServer } from './servers.js';
import { CHANGES_PER_GOAL, Writer, type WriterPhase, type WriterResult, seedMatchNight } from './writer.js';

const PROFILES = ['match-night', 'stress', 'storm'] as const;
type Profile = (typeof PROFILES)[number];

function numberEnv(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

function listEnv<T extends string>(name: string, allowed: readonly T[]): T[] {
  const value = process.env[name];
  if (!value) return [...allowed];
  const items = value.split(',').map((item) => item.trim()) as T[];
  const unknown = items.filter((item) => !allowed.includes(item));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(', ')} (known: ${allowed.join(', ')})`);
  return items;
}

const CLIENTS = numberEnv('BENCH_CLIENTS', 10_000);
const SCALE_CLIENTS = (process.env.BENCH_SCALE_CLIENTS || '100000').split(',').map(Number).filter((count) => count > 0);
const STORM_CLIENTS = numberEnv('BENCH_STORM_CLIENTS', 20_000);
/** Sockets per process: under the 20,000 descriptors one process may hold here. */
const PER_PROCESS = 15_000;
const workersFor = (clients: number) => numberEnv('BENCH_WORKERS', Math.max(2, Math.ceil(clients / PER_PROCESS)));
const STORM_WORKERS = numberEnv('BENCH_STORM_WORKERS', Math.max(2, Math.ceil(STORM_CLIENTS / PER_PROCESS)));
const SIDE_WORKERS = numberEnv('BENCH_SIDE_WORKERS', 1);
const SECONDS = numberEnv('BENCH_SECONDS', 30);
const STEP_SECONDS = numberEnv('BENCH_STEP_SECONDS', 10);
const STRESS_RATES = (process.env.BENCH_STRESS_RATES ?? '1,2,3,4,6,8,11,16,23,32,45,64,90,128,181,256').split(',').map(Number);
const VARIANT_LIST = listEnv('BENCH_VARIANTS', VARIANTS);
const PROFILE_LIST = listEnv('BENCH_PROFILE', PROFILES);
const SETTLE_SECONDS = numberEnv('BENCH_SETTLE_SECONDS', 5);
const CONNECT_RATE = numberEnv('BENCH_CONNECT_RATE', 3000);
const HEARTBEAT_MS = numberEnv('BENCH_HEARTBEAT_MS', 15_000);
const MATCH_NIGHT_RATE = numberEnv('BENCH_MATCH_NIGHT_RATE', 1);
const WRITER_CONNECTIONS = numberEnv('BENCH_WRITER_CONNECTIONS', 4);
const DURABLE = numberEnv('BENCH_DURABLE', 0) === 1;
const TIMEOUT_MINUTES = numberEnv('BENCH_TIMEOUT_MINUTES', 40);
const P99_LIMIT_MICROS = 1_000_000;
/** How long a phase waits after the writer's last commit for every client to have every event. */
const DRAIN_MS = 10_000;
/** The project's client library reconnects after a delay uniform in [0, 1 s], doubling per failure up to 30 s. */
const BACKOFF = { backoffMinMs: 1000, backoffMaxMs: 30_000 };

/** One line of the final table. */
interface Row {
  run: string;
  variant: Variant;
  profile: string;
  workers: number;
  clients: number;
  frames: number;
  lost: number;
  latency: LatencyHistogram;
  cpuPerFrame: number;
  /** Cores busy in the server's processes and in the load generators over the phase. */
  serverCores: number;
  clientCores: number;
  rssPerConnection: number;
  framesPerSecondPerWorker: number;
  note: string;
}

interface PhaseResult {
  writer: WriterResult;
  stats: FleetStats;
  seconds: number;
  frames: number;
  reads: number;
  pings: number;
  drops: number;
  disorder: number;
  serverCpuMicros: number;
  /** Of which in the kernel (stime). */
  serverSystemMicros: number;
  clientCpuMicros: number;
  clientSystemMicros: number;
}

/** Everything started, so that every exit path can stop it. */
const started = { children: new Set<ChildProcess>(), servers: new Set<RunningServer>(), embedded: undefined as EmbeddedDatabase | undefined };

function log(line: string): void {
  console.log(line);
}

// ---------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------

/**
 * Runs the writer for one phase and measures over the same window: from just
 * before the first intended commit until every client has every event (or
 * DRAIN_MS after the last commit). CPU per frame = Δ(utime+stime) of the
 * server's processes / Δ change frames received by all clients; pings are
 * counted apart and left out of the frames (their CPU is in).
 */
async function measurePhase(server: RunningServer, fleet: Fleet, writer: Writer, phase: WriterPhase, during?: () => Promise<void>): Promise<PhaseResult> {
  fleet.phase(writer.sequence, monotonicMicros());
  const before = await fleet.stats();
  const serverCpu0 = cpuTimes(server.pids());
  const clientCpu0 = cpuTimes(fleet.pids());
  const t0 = monotonicMicros();
  const [result] = await Promise.all([writer.run(phase), during?.()]);
  const stats = await fleet.waitForEvents(result.committed, DRAIN_MS);
  const serverCpu1 = cpuTimes(server.pids());
  const clientCpu1 = cpuTimes(fleet.pids());
  const seconds = (monotonicMicros() - t0) / 1e6;
  return {
    writer: result,
    stats,
    seconds,
    frames: stats.frames - before.frames,
    reads: stats.reads - before.reads,
    pings: stats.pings - before.pings,
    drops: stats.drops - before.drops,
    disorder: stats.disorder - before.disorder,
    serverCpuMicros: serverCpu1.user + serverCpu1.system - serverCpu0.user - serverCpu0.system,
    serverSystemMicros: serverCpu1.system - serverCpu0.system,
    clientCpuMicros: clientCpu1.user + clientCpu1.system - clientCpu0.user - clientCpu0.system,
    clientSystemMicros: clientCpu1.system - clientCpu0.system,
  };
}

function describePhase(label: string, phase: PhaseResult, workers: number): string {
  const { writer, stats } = phase;
  return [
    `  ${label}: ${fixed(phase.seconds)} s, ${writer.committed} goals committed (${writer.committed * CHANGES_PER_GOAL} changes, ${writer.failed} failed, writer at worst ${fixed(writer.worstLateMs)} ms late)`,
    `    frames ${integer(phase.frames)} (${integer(phase.frames / phase.seconds)}/s, ${integer(phase.frames / phase.seconds / workers)}/s per worker, ${fixed(phase.frames / phase.reads, 1)} per socket read), pings ${integer(phase.pings)}, lost ${integer(stats.missing)} events on ${integer(stats.clientsMissing)} clients, duplicates/disorder ${phase.disorder + stats.extra}, drops ${phase.drops}, unstamped ${stats.unstamped}`,
    `    latency commit→receipt (vs schedule): p50 ${millis(stats.latency.percentile(0.5))} ms, p99 ${millis(stats.latency.percentile(0.99))} ms, max ${millis(stats.latency.max)} ms over ${integer(stats.latency.count)} stamped frames`,
    `    server CPU ${fixed(phase.serverCpuMicros / phase.seconds / 1e6, 2)} cores = ${fixed(phase.serverCpuMicros / phase.frames, 2)} µs/frame (${percent(phase.serverSystemMicros, phase.serverCpuMicros)} in the kernel); ` +
      `load generators ${fixed(phase.clientCpuMicros / phase.seconds / 1e6, 2)} cores = ${fixed(phase.clientCpuMicros / phase.frames, 2)} µs/frame (${percent(phase.clientSystemMicros, phase.clientCpuMicros)} in the kernel)`,
  ].join('\n');
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((100 * part) / whole)}%` : '–';
}

function rowOf(run: string, server: RunningServer, profile: string, clients: number, phase: PhaseResult, rssPerConnection: number, note = ''): Row {
  return {
    run,
    variant: server.variant,
    profile,
    workers: server.workers,
    clients,
    frames: phase.frames,
    lost: phase.stats.missing,
    latency: phase.stats.latency,
    cpuPerFrame: phase.serverCpuMicros / phase.frames,
    serverCores: phase.serverCpuMicros / phase.seconds / 1e6,
    clientCores: phase.clientCpuMicros / phase.seconds / 1e6,
    rssPerConnection,
    framesPerSecondPerWorker: phase.frames / phase.seconds / server.workers,
    note,
  };
}

function sustained(phase: PhaseResult): boolean {
  return (
    phase.stats.missing === 0 &&
    phase.writer.failed === 0 &&
    phase.stats.latency.count > 0 &&
    phase.stats.latency.percentile(0.99) <= P99_LIMIT_MICROS
  );
}

/** Raises the goal rate until p99 passes 1 s or an event is lost; the best sustained step is the result. */
async function stress(run: string, server: RunningServer, fleet: Fleet, writer: Writer, clients: number, rssPerConnection: number): Promise<Row> {
  let best: PhaseResult | undefined;
  let broke = '';
  for (const rate of STRESS_RATES) {
    const phase = await measurePhase(server, fleet, writer, { rate, seconds: STEP_SECONDS });
    log(describePhase(`stress ${rate} goals/s (${rate * CHANGES_PER_GOAL} changes/s)`, phase, server.workers));
    if (!sustained(phase)) {
      broke = `broke at ${rate} goals/s: p99 ${millis(phase.stats.latency.percentile(0.99))} ms, lost ${integer(phase.stats.missing)}`;
      break;
    }
    if (!best || phase.frames / phase.seconds > best.frames / best.seconds) best = phase;
    await sleep(1000);
  }
  if (!best) {
    return { ...rowOf(run, server, 'stress', clients, emptyPhase(), rssPerConnection), note: broke || 'no step sustained' };
  }
  return rowOf(run, server, 'stress', clients, best, rssPerConnection, `${best.writer.committed / STEP_SECONDS} goals/s sustained; ${broke || 'did not break'}`);
}

function emptyPhase(): PhaseResult {
  const stats = { missing: NaN, latency: new LatencyHistogram() } as FleetStats;
  const writer = { committed: 0, failed: 0 } as WriterResult;
  return { writer, stats, seconds: NaN, frames: NaN, reads: NaN, pings: 0, drops: 0, disorder: 0, serverCpuMicros: NaN, serverSystemMicros: NaN, clientCpuMicros: NaN, clientSystemMicros: NaN };
}

/**
 * The reconnect storm: during a match night, STORM_CLIENTS streams drop at
 * once and come back the way the client library does (delay uniform in
 * [0, 1 s], with Last-Event-ID). Resumed = the new stream's 200 head; nothing
 * lost = every client still has every event of the phase. "No database query
 * per client" is checked twice: Faceoff's ring misses must not grow (hits by
 * about STORM_CLIENTS), and the database's own transaction count over the
 * window must stay far below STORM_CLIENTS.
 */
async function storm(run: string, server: RunningServer, fleet: Fleet, writer: Writer, databaseUrl: string, clients: number, rssPerConnection: number): Promise<Row> {
  const names = ['faceoff_live_ring_hits_total', 'faceoff_live_ring_misses_total', 'faceoff_live_connections', 'faceoff_live_slow_client_cutoffs_total'];
  const metrics0 = await server.metric(names);
  const transactions0 = await databaseTransactions(databaseUrl);
  const [primary, ...workerPids] = server.pids();
  let result: StormResult | undefined;
  let accept = { primaryCpu: 0, workersCpu: 0, overflows: 0, drops: 0, seconds: 0 };
  const seconds = Math.max(SECONDS, 10);
  const phase = await measurePhase(server, fleet, writer, { rate: MATCH_NIGHT_RATE, seconds }, async () => {
    await sleep(3000);
    const queue0 = listenQueueDrops();
    const primary0 = cpuMicros([primary]);
    const workers0 = cpuMicros(workerPids);
    const t0 = monotonicMicros();
    result = await fleet.storm(STORM_CLIENTS, 60_000);
    const queue1 = listenQueueDrops();
    accept = {
      primaryCpu: cpuMicros([primary]) - primary0,
      workersCpu: cpuMicros(workerPids) - workers0,
      overflows: queue1.overflows - queue0.overflows,
      drops: queue1.drops - queue0.drops,
      seconds: (monotonicMicros() - t0) / 1e6,
    };
  });
  const metrics1 = await server.metric(names);
  log(describePhase(`storm (${integer(STORM_CLIENTS)} of ${integer(clients)} clients dropped at once, match night going on)`, phase, server.workers));
  // PostgreSQL publishes a backend's transaction counts up to 10 s late.
  await sleep(11_000);
  const transactions = (await databaseTransactions(databaseUrl)) - transactions0;
  const outcome = result!;
  const delta = (name: string) => (metrics1 && metrics0 ? metrics1[name] - metrics0[name] : NaN);
  const summary =
    `${integer(outcome.stormed)} clients dropped at once, resumed ${integer(outcome.resumed)} within ${fixed(outcome.resumeLatency.max / 1e6, 2)} s ` +
    `(p50 ${fixed(outcome.resumeLatency.percentile(0.5) / 1e6, 2)} s, p99 ${fixed(outcome.resumeLatency.percentile(0.99) / 1e6, 2)} s); ` +
    `ring hits +${integer(delta('faceoff_live_ring_hits_total'))}, misses +${integer(delta('faceoff_live_ring_misses_total'))}; ` +
    `database transactions in the window ${integer(transactions)} (writer ${phase.writer.committed}); slow-client cut-offs +${integer(delta('faceoff_live_slow_client_cutoffs_total'))}`;
  log(`    storm: ${summary}`);
  log('    (the latency above includes what the dropped clients missed while away and received on resume)');
  log(
    `    until the last resume (${fixed(accept.seconds, 2)} s): server CPU ${fixed(accept.primaryCpu / 1e6, 2)} s in the ${workerPids.length ? 'cluster primary' : 'process'}` +
      `${workerPids.length ? `, ${fixed(accept.workersCpu / 1e6, 2)} s in the workers` : ''}; kernel listen queue overflows +${integer(accept.overflows)}, SYNs dropped +${integer(accept.drops)} (clients retry a dropped SYN after 1 s, 3 s, 7 s...)`,
  );
  return rowOf(run, server, 'storm', clients, phase, rssPerConnection, summary);
}

async function databaseTransactions(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT (xact_commit + xact_rollback)::float8 AS n FROM pg_stat_database WHERE datname = current_database()`);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------

interface RunOptions {
  run: string;
  variant: Variant;
  workers: number;
  clients: number;
  profiles: Profile[];
}

let headCursor = '0';

/** The feed's head as a client learns it: page /v1/sync until hasMore is false (Faceoff only; baselines start live). */
async function syncHead(port: number): Promise<string> {
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/v1/sync?limit=5000&since=${encodeURIComponent(headCursor)}`);
    if (!response.ok) throw new Error(`/v1/sync answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { cursor: string; hasMore: boolean };
    headCursor = page.cursor;
    if (!page.hasMore) return headCursor;
  }
}

/** A run that could not be measured still gets its line, saying why. */
function failedRow({ run, variant, workers, clients, profiles }: RunOptions, error: Error): Row {
  return {
    run,
    variant,
    profile: profiles.join('+'),
    workers,
    clients,
    frames: NaN,
    lost: NaN,
    latency: new LatencyHistogram(),
    cpuPerFrame: NaN,
    serverCores: NaN,
    clientCores: NaN,
    rssPerConnection: NaN,
    framesPerSecondPerWorker: NaN,
    note: `failed: ${error.message.split('\n')[0]}`,
  };
}

async function runVariant(options: RunOptions, databaseUrl: string, writer: Writer): Promise<Row[]> {
  const { run, variant, workers, clients, profiles } = options;
  const generators = numberEnv('BENCH_GENERATORS', 0) || Math.max(2, Math.ceil(clients / PER_PROCESS));
  log(`\n[${run}] ${VARIANT_LABELS[variant]}: ${integer(clients)} clients, ${workers} worker(s), ${generators} load generators`);
  const server = await startServer(variant, { databaseUrl, workers, heartbeatMs: HEARTBEAT_MS });
  started.servers.add(server);
  let fleet: Fleet | undefined;
  const rows: Row[] = [];
  try {
    const path = variant === 'faceoff' ? `/v1/live?since=${encodeURIComponent(await syncHead(server.port))}` : '/v1/live';
    await sleep(1000);
    const rssBefore = rssBytes(server.pids());
    const connectStart = Date.now();
    fleet = Fleet.start({ port: server.port, path, clients, generators, connectRate: CONNECT_RATE, ...BACKOFF }, (child) => started.children.add(child));
    const connectTimeout = (clients / CONNECT_RATE) * 4000 + 60_000;
    await fleet.waitConnected(connectTimeout, (stats) => log(`  connecting: ${integer(stats.open)} of ${integer(clients)} open`));
    log(`  ${integer(clients)} streams open in ${fixed((Date.now() - connectStart) / 1000)} s`);
    await sleep(SETTLE_SECONDS * 1000);
    const rssIdle = rssBytes(server.pids());
    const rssPerConnection = (rssIdle - rssBefore) / clients;
    const spread = workers > 1 ? `; sockets per worker ${server.pids().slice(1).map(socketCount).join(', ')}` : '';
    log(`  idle RSS: ${fixed(rssBefore / 2 ** 20)} MiB before, ${fixed(rssIdle / 2 ** 20)} MiB with ${integer(clients)} idle streams = ${fixed(rssPerConnection / 1024, 2)} KB per connection${spread}`);
    if (profiles.includes('match-night')) {
      const phase = await measurePhase(server, fleet, writer, { rate: MATCH_NIGHT_RATE, seconds: SECONDS });
      log(describePhase(`match night (${MATCH_NIGHT_RATE} goal/s over 3 matches)`, phase, workers));
      rows.push(rowOf(run, server, 'match-night', clients, phase, rssPerConnection));
    }
    if (profiles.includes('stress')) rows.push(await stress(run, server, fleet, writer, clients, rssPerConnection));
    if (profiles.includes('storm')) rows.push(await storm(run, server, fleet, writer, databaseUrl, clients, rssPerConnection));
  } catch (error) {
    log(`  FAILED: ${(error as Error).message}\n  server log: ${server.logPath}\n${server.logTail(10)}`);
    rows.push(failedRow(options, error as Error));
  } finally {
    // Clients first: a dying server would otherwise be met by every client reconnecting.
    await fleet?.stop();
    await server.stop();
    started.servers.delete(server);
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Setup, report, cleanup
// ---------------------------------------------------------------------------

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function prepareDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_live WITH (FORCE)');
  await admin.end();
  await ensureDatabase(adminUrl, 'bench_live');
  const url = withDatabase(adminUrl, 'bench_live');
  await migrateUp(url);
  await seedMatchNight(url);
  return url;
}

async function versions(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(`SELECT version() AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc`);
  await client.end();
  const packageVersion = (name: string) => JSON.parse(readFileSync(new URL(`../../../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    // not a checkout
  }
  return [
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, fd limit ${execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()}`,
    `server:  faceoff ${commit} (apps/api), @nestjs/core ${packageVersion('@nestjs/core')}, fastify ${packageVersion('fastify')}, better-sse ${packageVersion('better-sse')}; ${rows[0].v.split(' on ')[0]} (fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sc})${process.env.BENCH_DATABASE_URL ? '' : ' [embedded]'}`,
  ];
}

function printReport(rows: Row[]): void {
  log('\nResults (frames = change frames received by all clients, pings excluded; lost = match_events rows committed but not received, summed over clients;');
  log('latency = receipt − intended commit time from the writer\'s schedule; server CPU = utime+stime of the server\'s processes over the phase ÷ frames;');
  log('RSS = (server RSS with the clients idle − before they connected) ÷ clients; cores = CPU busy in the server / in the load generators, of the machine\'s 2;');
  log('frames/s/worker: stress = the best step whose p99 ≤ 1 s with nothing lost, otherwise the rate delivered at that load; storm latency includes the time the dropped clients were away)\n');
  const header = ['run', 'variant', 'profile', 'workers', 'clients', 'frames delivered', 'lost', 'p50 ms', 'p99 ms', 'max ms', 'server CPU µs/frame', 'cores server/clients', 'RSS KB/conn', 'frames/s/worker'];
  const body = rows.map((row) => [
    row.run,
    VARIANT_LABELS[row.variant],
    row.profile,
    String(row.workers),
    integer(row.clients),
    integer(row.frames),
    integer(row.lost),
    millis(row.latency.percentile(0.5)),
    millis(row.latency.percentile(0.99)),
    row.latency.count ? millis(row.latency.max) : '–',
    fixed(row.cpuPerFrame, 2),
    `${fixed(row.serverCores, 2)}/${fixed(row.clientCores, 2)}`,
    fixed(row.rssPerConnection / 1024, 2),
    integer(row.framesPerSecondPerWorker),
  ]);
  log(table(header, body, header.map((_, c) => c >= 3)));
  const notes = rows.filter((row) => row.note);
  if (notes.length) {
    log('');
    for (const row of notes) log(`${row.run} / ${VARIANT_LABELS[row.variant]} / ${row.profile}: ${row.note}`);
  }
}

/** The issue's targets, checked against this run's rows (when the run has them). */
function printTargets(rows: Row[]): void {
  const find = (run: string, profile: string, variant: Variant = 'faceoff') => rows.find((row) => row.run === run && row.profile === profile && row.variant === variant && Number.isFinite(row.frames));
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const lines: string[] = [];
  const side = find('side by side', 'match-night');
  if (side) {
    lines.push(`server CPU per delivered frame <= 7 µs (match night, ${integer(side.clients)} clients): ${fixed(side.cpuPerFrame, 2)} µs — ${verdict(side.cpuPerFrame <= 7)}`);
    lines.push(`RSS per idle connection <= 8 KB (${integer(side.clients)} clients): ${fixed(side.rssPerConnection / 1024, 2)} KB — ${verdict(side.rssPerConnection <= 8 * 1024)}`);
  }
  const scaleRows = rows.filter((row) => row.run === 'scale' && Number.isFinite(row.frames)).sort((a, b) => a.clients - b.clients);
  for (const scale of scaleRows) {
    const p99 = scale.latency.percentile(0.99);
    lines.push(`match night, ${integer(scale.clients)} clients on ${scale.workers} workers: p99 ${millis(p99)} ms (<= 1,000), lost ${integer(scale.lost)} (0) — ${verdict(p99 <= P99_LIMIT_MICROS && scale.lost === 0)}${scale.clients < 100_000 ? ' (the target is for 100,000)' : ''}`);
    lines.push(`RSS per idle connection <= 8 KB (${integer(scale.clients)} clients, ${scale.workers} workers): ${fixed(scale.rssPerConnection / 1024, 2)} KB — ${verdict(scale.rssPerConnection <= 8 * 1024)}`);
  }
  const stressRows = VARIANTS.map((variant) => find('side by side', 'stress', variant)).filter((row): row is Row => row !== undefined);
  if (stressRows.length) {
    lines.push(`stress, highest sustained delivered frames/s per worker: ${stressRows.map((row) => `${VARIANT_LABELS[row.variant]} ${integer(row.framesPerSecondPerWorker)}`).join(', ')}`);
  }
  const stormRow = find('storm', 'storm');
  if (stormRow) lines.push(`reconnect storm (resumed within 10 s, ring misses +0, hits ≈ clients dropped): ${stormRow.note}`);
  if (lines.length) log(`\nTargets (from the issue):\n${lines.map((line) => `  ${line}`).join('\n')}`);
}

function killEverything(): void {
  for (const child of started.children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const server of started.servers) signalGroup(server.pid, 'SIGKILL');
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`live-fanout: still running after ${TIMEOUT_MINUTES} min: giving up`);
    shutdown(2);
  }, TIMEOUT_MINUTES * 60_000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => shutdown(130));

  started.embedded = process.env.BENCH_DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase({ dataDir: '.data/bench-live-postgres', database: 'postgres', durable: DURABLE, stopOnSignals: false });
  const adminUrl = process.env.BENCH_DATABASE_URL ? withDatabase(process.env.BENCH_DATABASE_URL, 'postgres') : started.embedded!.adminUrl;
  const databaseUrl = await prepareDatabase(adminUrl);
  const writer = await Writer.open(databaseUrl, WRITER_CONNECTIONS);
  try {
    for (const line of await versions(databaseUrl)) log(line);
    log(
      `load:    side by side ${integer(CLIENTS)} clients per variant (faceoff ${SIDE_WORKERS} worker); scale ${SCALE_CLIENTS.map((n) => `${integer(n)} clients on ${workersFor(n)} workers`).join(', ')}; storm ${integer(STORM_CLIENTS)} clients on ${STORM_WORKERS} workers; ` +
        `match night ${MATCH_NIGHT_RATE} goal/s x ${CHANGES_PER_GOAL} changes for ${SECONDS} s; stress steps ${STEP_SECONDS} s at ${STRESS_RATES.join(',')} goals/s; heartbeat ${HEARTBEAT_MS / 1000} s`,
    );
    log(`         variants ${VARIANT_LIST.join(',')}; profiles ${PROFILE_LIST.join(',')}; clients and servers share the machine's cores; server logs in ${LOG_DIR}`);
    const rows: Row[] = [];
    const sideProfiles = PROFILE_LIST.filter((profile) => profile !== 'storm');
    if (CLIENTS > 0 && sideProfiles.length) {
      for (const variant of VARIANT_LIST) {
        const workers = variant === 'faceoff' ? SIDE_WORKERS : 1;
        rows.push(...(await runVariant({ run: 'side by side', variant, workers, clients: CLIENTS, profiles: sideProfiles }, databaseUrl, writer)));
      }
    }
    if (VARIANT_LIST.includes('faceoff') && PROFILE_LIST.includes('match-night')) {
      for (const clients of SCALE_CLIENTS) {
        rows.push(...(await runVariant({ run: 'scale', variant: 'faceoff', workers: workersFor(clients), clients, profiles: ['match-night'] }, databaseUrl, writer)));
      }
    }
    if (VARIANT_LIST.includes('faceoff') && PROFILE_LIST.includes('storm') && STORM_CLIENTS > 0) {
      rows.push(...(await runVariant({ run: 'storm', variant: 'faceoff', workers: STORM_WORKERS, clients: STORM_CLIENTS, profiles: ['storm'] }, databaseUrl, writer)));
    }
    printReport(rows);
    printTargets(rows);
  } finally {
    clearTimeout(watchdog);
    await writer.close();
    killEverything();
    await started.embedded?.stop();
  }
}

function shutdown(code: number): void {
  killEverything();
  const stopped = started.embedded?.stop() ?? Promise.resolve();
  Promise.race([stopped, sleep(5000)]).finally(() => process.exit(code));
}

await main();
