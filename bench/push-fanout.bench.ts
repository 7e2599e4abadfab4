/**
 * How fast a goal reaches a crowd of phones: the pusher (apps/pusher, built,
 * PUSH_HOLD_BACK_MS=0) against the APNs and FCM fakes over HTTP/2 + TLS,
 * beside a naive sender in the same run.
 *
 * For each audience size (half iOS, half Android, all following the away
 * team of a live match of their own): a fresh pusher starts, a goal is
 * committed, and the fakes report when they accepted the first and the last
 * of its notifications. Measured: commit (clock_timestamp() of the INSERT)
 * → last notification accepted, notifications/s, and the pusher's RSS (idle
 * after start, peak during the run; sampled from /proc) — the same peak for
 * 10,000 and 100,000 devices is "memory flat in devices". Where the time goes
 * comes from the sent-log (claims and outcomes in push_deliveries) and the
 * pusher's own log lines.
 *
 * The naive sender (push-fanout/naive-sender.ts) sends to the same fakes one
 * notification at a time with a new APNs JWT per request, for
 * BENCH_NAIVE_SECONDS; its rate gives its projected time for the largest
 * audience.
 *
 * Each fake runs in a process of its own (push-fanout/fakes-process.ts), the
 * naive sender in another: all share the machine's cores with the pusher and
 * PostgreSQL, and their CPU is printed beside the pusher's.
 *
 *   npm run bench:push                                   # embedded PostgreSQL
 *   BENCH_DATABASE_URL=postgres://... npm run bench:push # a server of yours
 *
 * Env (defaults): BENCH_DEVICES (10000,100000: a list runs each),
 * BENCH_NAIVE_SECONDS (20; 0 skips), BENCH_TIMEOUT_SECONDS (180 per run),
 * BENCH_PUSHER_NODE_ARGS (node flags for the pusher, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof");
 * PUSH_BATCH_SIZE, PUSH_CONCURRENCY, PUSH_SENDS_PER_JOB (the pusher's defaults)
 * are passed to the pusher.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FCM_SCOPE } from '../apps/pusher/src/providers/fcm/fcm.provider.js';
import { loadConfig } from '../libs/config/src/index.js';
import { parseGoogleServiceAccount } from '../libs/google-auth/src/index.js';
import { pusherSettingsForFakes } from '../tools/push-fakes/src/pusher-settings.js';
import { BENCH_DATA_DIR, withBenchDatabases } from './bench-databases.js';
import { cpuMicros, machineSeconds, processTree, rssBytes } from './live-fanout/proc-stats.js';
import { integer } from './live-fanout/report.js';
import { freePort, sleep } from './live-fanout/servers.js';
import type { FakeKind, FakeReply, FakeRequest } from './push-fanout/fakes-process.js';
import type { NaiveJob, NaiveResult } from './push-fanout/naive-sender.js';

const DEVICES = (process.env.BENCH_DEVICES ?? '10000,100000').split(',').map(Number);
const NAIVE_SECONDS = Number(process.env.BENCH_NAIVE_SECONDS ?? 20);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 180) * 1000;
const TARGET_SECONDS = 30;
const PUSH_SETTINGS = ['PUSH_BATCH_SIZE', 'PUSH_CONCURRENCY', 'PUSH_SENDS_PER_JOB'] as const;
const APNS = { keyId: 'BENCHKEY01', teamId: 'BENCHTEAM1', topic: 'com.example.faceoff' };

const DIST = fileURLToPath(new URL('..', import.meta.url));
const PUSHER_ENTRY = join(DIST, 'apps/pusher/src/main.js');
const FAKES_ENTRY = join(DIST, 'bench/push-fanout/fakes-process.js');
const NAIVE_ENTRY = join(DIST, 'bench/push-fanout/naive-sender.js');

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A fake in its child process; one request at a time. */
class FakeProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly ready: Extract<FakeReply, { type: 'ready' }>,
  ) {}

  static async start(kind: FakeKind, env: Record<string, string>): Promise<FakeProcess> {
    const child = fork(FAKES_ENTRY, [kind], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [ready] = (await once(child, 'message')) as [Extract<FakeReply, { type: 'ready' }>];
    return new FakeProcess(child, ready);
  }

  ask(request: FakeRequest): Promise<FakeReply> {
    const reply = once(this.child, 'message').then(([message]) => message as FakeReply);
    this.child.send(request);
    return reply;
  }

  cpuMicros(): number {
    return cpuMicros([this.child.pid!]);
  }
}

interface Fakes {
  apns: FakeProcess;
  fcm: FakeProcess;
  /** The pusher's settings for them (pusherSettingsForFakes). */
  pusherEnv: Record<string, string>;
  /** The APNs signing key, PEM. */
  privateKey: string;
}

interface PusherRun {
  devices: number;
  accepted: number;
  complete: boolean;
  firstMs: number;
  lastMs: number;
  idleRss: number;
  peakRss: number;
  /** Peak RSS in each quarter of commit → last: still climbing at the end, or level? */
  quarterRss: number[];
  cpu: CpuShares;
  timeline: string;
  buckets: string;
  providers: string;
}

/** CPU seconds spent during a run, by whom; `machine` is every process on the box (others' included). */
interface CpuShares {
  pusher: number;
  fakes: number;
  postgres: number | undefined;
  machine: number;
  steal: number;
  seconds: number;
}

/** The embedded bench database's postmaster (none with BENCH_DATABASE_URL: its server is not ours to measure). */
function benchPostmaster(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[0].endsWith('/postgres') && args.some((arg) => arg.endsWith(BENCH_DATA_DIR))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** A live match of its own, with a scorer and an assister on the home roster. */
async function seedMatch(db: pg.Client): Promise<{ matchId: string; homeTeamId: string; awayTeamId: string; scorerId: string; assistId: string }> {
  const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0].id as string;
  const tournamentId = await one(`INSERT INTO tournaments (name) VALUES ('Bench League') RETURNING id`);
  const seasonId = await one(`INSERT INTO seasons (tournament_id, name, starts_on, ends_on) VALUES ($1, '2025-26', '2025-10-01', '2026-06-30') RETURNING id`, [tournamentId]);
  const homeTeamId = await one(`INSERT INTO teams (name, abbreviation) VALUES ('Seattle Kraken', 'SEA') RETURNING id`);
  const awayTeamId = await one(`INSERT INTO teams (name, abbreviation) VALUES ('St. Louis Blues', 'STL') RETURNING id`);
  const matchId = await one(
    `INSERT INTO matches (season_id, home_team_id, away_team_id, starts_at, status, period, clock_seconds_remaining, clock_running, clock_updated_at)
     VALUES ($1, $2, $3, now() - interval '30 minutes', 'live', 2, 475, false, now()) RETURNING id`,
    [seasonId, homeTeamId, awayTeamId],
  );
  const player = async (name: string, jersey: number) => {
    const personId = await one(`INSERT INTO persons (full_name) VALUES ($1) RETURNING id`, [name]);
    await db.query(`INSERT INTO roster_entries (season_id, team_id, person_id, jersey_number, position) VALUES ($1, $2, $3, $4, 'C')`, [seasonId, homeTeamId, personId, jersey]);
    return personId;
  };
  return { matchId, homeTeamId, awayTeamId, scorerId: await player('Jordan Eberle', 7), assistId: await player('Matty Beniers', 10) };
}

/** `count` devices following the team, every other one an iPhone, in one statement. */
async function insertAudience(db: pg.Client, teamId: string, count: number): Promise<void> {
  await db.query(
    `WITH created AS (
       INSERT INTO devices (platform, push_token, locale, key_hash)
       SELECT CASE WHEN i % 2 = 0 THEN 'ios' ELSE 'android' END,
              CASE WHEN i % 2 = 0 THEN md5(random()::text) || md5(random()::text) ELSE 'fcm-' || md5(random()::text) END,
              CASE WHEN i % 5 = 0 THEN 'fr-CA' ELSE 'en-US' END, md5(random()::text) || i
         FROM generate_series(1, $1) AS i
       RETURNING id
     )
     INSERT INTO device_subscriptions (device_id, target_kind, target_id) SELECT id, 'team', $2 FROM created`,
    [count, teamId],
  );
  // Statistics as a database that has been running has them.
  await db.query('ANALYZE devices, device_subscriptions, push_deliveries');
}

function startPusher(databaseUrl: string, port: number, fakes: Fakes): { child: ChildProcess; port: number; output: () => string } {
  // Node flags for the pusher only (e.g. --cpu-prof, which NODE_OPTIONS refuses).
  const nodeArgs = (process.env.BENCH_PUSHER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, PUSHER_ENTRY], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PUSHER_PORT: String(port),
      LOG_LEVEL: 'info',
      ...fakes.pusherEnv,
      PUSH_HOLD_BACK_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, port, output: () => output };
}

async function runPusher(db: pg.Client, databaseUrl: string, fakes: Fakes, devices: number): Promise<PusherRun> {
  const match = await seedMatch(db);
  const seeded = performance.now();
  await insertAudience(db, match.awayTeamId, devices);
  console.log(`  ${integer(devices)} devices inserted in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  const pusher = startPusher(databaseUrl, await freePort(), fakes);
  const pid = pusher.child.pid!;
  const deadline = Date.now() + 60_000;
  while (!pusher.output().includes('faceoff-pusher ready')) {
    if (pusher.child.exitCode !== null || Date.now() > deadline) throw new Error(`the pusher did not start:\n${pusher.output()}`);
    await sleep(50);
  }
  // Settled after start (connection pools, JIT): the idle footprint.
  await sleep(2000);
  const idleRss = rssBytes([pid]);
  const samples: { at: number; rss: number }[] = [];
  const sampler = setInterval(() => samples.push({ at: Date.now(), rss: rssBytes([pid]) }), 50);

  await Promise.all([fakes.apns.ask({ type: 'reset' }), fakes.fcm.ask({ type: 'reset' })]);
  // Even i are iPhones (insertAudience): i = 1..devices.
  const ios = Math.floor(devices / 2);
  const postmaster = benchPostmaster();
  const cpuOf = () => ({
    pusher: cpuMicros([pid]) / 1e6,
    fakes: (fakes.apns.cpuMicros() + fakes.fcm.cpuMicros()) / 1e6,
    // Its backends come and go with connections: the tree is read anew each time.
    postgres: postmaster === undefined ? undefined : cpuMicros(processTree(postmaster)) / 1e6,
    machine: machineSeconds(),
  });
  const cpuBefore = cpuOf();
  const reached = Promise.all([
    fakes.apns.ask({ type: 'await', count: ios, timeoutMs: TIMEOUT_MS }),
    fakes.fcm.ask({ type: 'await', count: devices - ios, timeoutMs: TIMEOUT_MS }),
  ]);
  const { rows } = await db.query(
    `INSERT INTO match_events (match_id, type, team_id, primary_person_id, assist1_person_id, period, clock_seconds, strength, home_score, away_score)
     VALUES ($1, 'goal', $2, $3, $4, 2, 725, 'pp', 1, 0) RETURNING id, clock_timestamp() AS committed`,
    [match.matchId, match.homeTeamId, match.scorerId, match.assistId],
  );
  const committedAt = (rows[0].committed as Date).getTime();
  const answers = (await reached) as Extract<FakeReply, { type: 'reached' | 'timeout' }>[];
  clearInterval(sampler);
  const cpuAfter = cpuOf();

  const accepted = answers.reduce((sum, answer) => sum + answer.count, 0);
  const firstAt = Math.min(...answers.map((answer) => answer.firstAt ?? Infinity));
  const lastAt = Math.max(...answers.map((answer) => answer.lastAt ?? -Infinity));
  // Let the last buckets record their outcomes before the sent-log is read.
  await sleep(1000);
  const timeline = await timelineOf(db, rows[0].id as string, committedAt, pusher.output());
  const buckets = await bucketsOf(db, rows[0].id as string);
  const providers = await providerLatency(pusher.port);
  pusher.child.kill('SIGTERM');
  await once(pusher.child, 'exit');
  return {
    devices,
    accepted,
    complete: answers.every((answer) => answer.type === 'reached'),
    firstMs: firstAt - committedAt,
    lastMs: lastAt - committedAt,
    idleRss,
    peakRss: Math.max(idleRss, ...samples.map((sample) => sample.rss)),
    quarterRss: [1, 2, 3, 4].map((quarter) =>
      Math.max(0, ...samples.filter((sample) => sample.at <= committedAt + ((lastAt - committedAt) * quarter) / 4 && sample.at > committedAt + ((lastAt - committedAt) * (quarter - 1)) / 4).map((sample) => sample.rss)),
    ),
    cpu: {
      pusher: cpuAfter.pusher - cpuBefore.pusher,
      fakes: cpuAfter.fakes - cpuBefore.fakes,
      postgres: cpuAfter.postgres === undefined || cpuBefore.postgres === undefined ? undefined : cpuAfter.postgres - cpuBefore.postgres,
      machine: cpuAfter.machine.busy - cpuBefore.machine.busy,
      steal: cpuAfter.machine.steal - cpuBefore.machine.steal,
      seconds: (lastAt - committedAt) / 1000,
    },
    timeline,
    buckets,
    providers,
  };
}

/** Where the time went, in ms after the commit: planned, fanned out (jobs added), first and last claim, last outcome recorded. */
async function timelineOf(db: pg.Client, eventId: string, committedAt: number, log: string): Promise<string> {
  const { rows } = await db.query(
    `SELECT n.created_at AS planned, n.buckets, n.status, n.sent_at AS done,
            min(d.created_at) AS first_claim, max(d.created_at) AS last_claim, max(d.updated_at) AS last_outcome
       FROM push_notifications n LEFT JOIN push_deliveries d ON d.notification_id = n.id
      WHERE n.source_id = $1 GROUP BY n.id`,
    [eventId],
  );
  const row = rows[0];
  if (!row) return 'no notification planned';
  const after = (at: Date | null) => (at ? `${((at.getTime() - committedAt) / 1000).toFixed(2)} s` : '-');
  const fanOut = log
    .split('\n')
    .map((line) => /"time":(\d+).*"msg":"push fan-out"/.exec(line)?.[1])
    .find(Boolean);
  return [
    `planned ${after(row.planned)}`,
    `fanned out ${fanOut ? after(new Date(Number(fanOut))) : '-'} (${row.buckets} buckets)`,
    `first claim ${after(row.first_claim)}`,
    `last claim ${after(row.last_claim)}`,
    `last outcome recorded ${after(row.last_outcome)}`,
    `${row.status} ${after(row.done)}`,
  ].join(', ');
}

/**
 * One deliver job's life, from the sent-log: its claim stamps its devices'
 * created_at and its recorded outcomes their updated_at (each the start of
 * its transaction), so rows sharing a created_at are one bucket.
 */
async function bucketsOf(db: pg.Client, notificationId: string): Promise<string> {
  const { rows } = await db.query(
    `WITH bucket AS (
       SELECT d.created_at AS claimed, max(d.updated_at) AS recorded, count(*) AS devices
         FROM push_deliveries d JOIN push_notifications n ON n.id = d.notification_id
        WHERE n.source_id = $1 GROUP BY d.created_at
     )
     SELECT count(*)::int AS jobs, avg(devices)::int AS devices,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM recorded - claimed)) AS median_s,
            max(extract(epoch FROM recorded - claimed)) AS max_s
       FROM bucket`,
    [notificationId],
  );
  const row = rows[0];
  return `${row.jobs} deliver jobs of ~${row.devices} devices: claim → outcomes recorded median ${Number(row.median_s).toFixed(2)} s, max ${Number(row.max_s).toFixed(2)} s`;
}

/** The pusher's own account of APNs/FCM answer times (faceoff_push_provider_seconds), mean per platform. */
async function providerLatency(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string, platform: string) => Number(new RegExp(`^${name}\\{[^}]*platform="${platform}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return ['ios', 'android']
    .map((platform) => `${platform} ${((value('faceoff_push_provider_seconds_sum', platform) / value('faceoff_push_provider_seconds_count', platform)) * 1000).toFixed(0)} ms`)
    .join(', ');
}

async function runNaive(fakes: Fakes): Promise<NaiveResult & { rss: number; cpuS: number; fakesCpuS: number }> {
  const child = fork(NAIVE_ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const fakesBefore = fakes.apns.cpuMicros() + fakes.fcm.cpuMicros();
  let rss = 0;
  let cpu = 0;
  const sampler = setInterval(() => {
    rss = Math.max(rss, rssBytes([child.pid!]));
    cpu = cpuMicros([child.pid!]);
  }, 100);
  const job: NaiveJob = {
    seconds: NAIVE_SECONDS,
    apns: { url: fakes.apns.ready.url, ca: fakes.apns.ready.ca, privateKey: fakes.privateKey, ...APNS },
    fcm: { url: fakes.fcm.ready.url, ca: fakes.fcm.ready.ca, serviceAccount: parseGoogleServiceAccount(fakes.fcm.ready.serviceAccount!, 'FCM fake service account'), scope: FCM_SCOPE },
  };
  const result = once(child, 'message').then(([message]) => message as NaiveResult);
  child.send(job);
  const naive = await result;
  clearInterval(sampler);
  return { ...naive, rss, cpuS: cpu / 1e6, fakesCpuS: (fakes.apns.cpuMicros() + fakes.fcm.cpuMicros() - fakesBefore) / 1e6 };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'faceoff-push-bench-'));
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const [apns, fcm] = await Promise.all([
    FakeProcess.start('apns', {
      BENCH_APNS_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string,
      BENCH_APNS_KEY_ID: APNS.keyId,
      BENCH_APNS_TEAM_ID: APNS.teamId,
      BENCH_APNS_TOPIC: APNS.topic,
    }),
    FakeProcess.start('fcm', {}),
  ]);
  // The pusher trusts the fakes' self-signed certificates as a deployment adds a CA.
  const { serviceAccount } = fcm.ready;
  if (!serviceAccount) throw new Error('the FCM fake sent no service account');
  const pusherEnv = await pusherSettingsForFakes(apns.ready, { url: fcm.ready.url, ca: fcm.ready.ca, serviceAccount: () => serviceAccount }, { ...APNS, privateKey }, join(workDir, 'fakes-ca.pem'));
  const fakes: Fakes = { apns, fcm, pusherEnv, privateKey: privatePem };
  try {
    await withBenchDatabases(async () => undefined, async ({ feed }) => {
      // The pusher's defaults (libs/config), printed when not overridden.
      const defaults = loadConfig({ DATABASE_URL: feed });
      const settings = PUSH_SETTINGS.map((name) => `${name}=${process.env[name] ?? defaults[name]}`).join(' ');
      console.log(`load:    one goal to ${DEVICES.map(integer).join(', then ')} devices (half iOS, half Android); pusher with PUSH_HOLD_BACK_MS=0 ${settings}`);
      console.log(`         fakes: APNs and FCM over HTTP/2 + TLS on 127.0.0.1, one process each, on the same cores`);
      const db = new pg.Client({ connectionString: feed });
      await db.connect();
      const runs: PusherRun[] = [];
      try {
        for (const devices of DEVICES) {
          console.log(`\npusher, ${integer(devices)} devices:`);
          const run = await runPusher(db, feed, fakes, devices);
          runs.push(run);
          console.log(`  ${integer(run.accepted)} accepted${run.complete ? '' : ` of ${integer(devices)} (TIMED OUT)`}: first ${(run.firstMs / 1000).toFixed(2)} s, last ${(run.lastMs / 1000).toFixed(2)} s after the commit`);
          console.log(`  ${run.timeline}`);
          console.log(`  ${run.buckets}; provider answer mean ${run.providers}`);
          const { cpu } = run;
          console.log(
            `  CPU over those ${cpu.seconds.toFixed(1)} s: pusher ${cpu.pusher.toFixed(1)} s, fakes ${cpu.fakes.toFixed(1)} s, PostgreSQL ${cpu.postgres?.toFixed(1) ?? '-'} s; machine busy ${cpu.machine.toFixed(1)} of ${(cpu.seconds * cpus().length).toFixed(1)} core-s (steal ${cpu.steal.toFixed(1)})`,
          );
          console.log(`  pusher RSS idle ${mib(run.idleRss)}, peak ${mib(run.peakRss)}; peak by quarter of the run ${run.quarterRss.map(mib).join(' / ')}`);
        }
      } finally {
        await db.end();
      }
      const naive = NAIVE_SECONDS > 0 ? await runNaive(fakes) : undefined;
      if (naive) {
        console.log(`\nnaive sender, ${NAIVE_SECONDS} s: ${integer(naive.accepted)} accepted, ${naive.refused} refused; CPU: sender ${naive.cpuS.toFixed(1)} s, fakes ${naive.fakesCpuS.toFixed(1)} s; RSS peak ${mib(naive.rss)}`);
      }

      console.log(`\nsummary (target: every device within ${TARGET_SECONDS} s of the commit):`);
      console.log(`  ${'sender'.padEnd(34)} ${'devices'.padStart(8)}  ${'commit→first'.padStart(12)}  ${'commit→last'.padStart(12)}  ${'notif/s'.padStart(8)}  RSS idle / peak`);
      for (const run of runs) {
        const rate = run.accepted / (run.lastMs / 1000);
        const verdict = run.complete && run.lastMs <= TARGET_SECONDS * 1000 ? 'within target' : 'MISSED';
        console.log(
          `  ${'pusher'.padEnd(34)} ${integer(run.devices).padStart(8)}  ${`${(run.firstMs / 1000).toFixed(2)} s`.padStart(12)}  ${`${(run.lastMs / 1000).toFixed(2)} s`.padStart(12)}  ${rate.toFixed(0).padStart(8)}  ${mib(run.idleRss)} / ${mib(run.peakRss)}  ${verdict}`,
        );
      }
      if (naive) {
        const rate = naive.accepted / naive.seconds;
        const largest = Math.max(...DEVICES);
        console.log(
          `  ${'naive (1 at a time, a JWT each)'.padEnd(34)} ${integer(largest).padStart(8)}  ${''.padStart(12)}  ${`~${(largest / rate).toFixed(0)} s`.padStart(12)}  ${rate.toFixed(0).padStart(8)}  - / ${mib(naive.rss)}  (projected from ${integer(naive.accepted)} in ${naive.seconds.toFixed(0)} s)`,
        );
      }
    });
  } finally {
    apns.child.kill();
    fcm.child.kill();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
