/**
 * What ETags save the API on a match day. CLIENTS phones refresh the day's
 * matches and one match's page every REFRESH_MS while an editor corrects an
 * event of that match every CHANGE_MS. Same run, alternating rounds: phones
 * that revalidate with If-None-Match (`etag`) and phones that do not
 * (`baseline`). Prints the share of 304s, requests/s and bytes/s.
 *
 *   npm run bench:etag
 *
 * Env: BENCH_CLIENTS (50), BENCH_REFRESH_MS (1000), BENCH_CHANGE_MS (500),
 * BENCH_ROUND_SECONDS (10), BENCH_ROUNDS (2).
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createDataSource, migrateUp } from '../libs/db/src/index.js';
import { seedDemoData } from '../tools/stack/src/demo-seed.js';
import { startEmbeddedDatabase } from '../tools/stack/src/embedded-database.js';
import { median } from './bench-databases.js';
import { freePort } from './live-fanout/servers.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const REFRESH_MS = Number(process.env.BENCH_REFRESH_MS ?? 1000);
const CHANGE_MS = Number(process.env.BENCH_CHANGE_MS ?? 500);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

interface RoundResult {
  requests: number;
  notModified: number;
  bytes: number;
}

async function round(base: string, paths: string[], revalidate: boolean): Promise<RoundResult> {
  const result: RoundResult = { requests: 0, notModified: 0, bytes: 0 };
  const deadline = Date.now() + ROUND_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const etags = new Map<string, string>();
      await sleep((client * REFRESH_MS) / CLIENTS);
      while (Date.now() < deadline) {
        for (const path of paths) {
          const etag = etags.get(path);
          const response = await fetch(base + path, { headers: revalidate && etag ? { 'If-None-Match': etag } : {} });
          const body = await response.arrayBuffer();
          result.requests++;
          result.bytes += body.byteLength;
          if (response.status === 304) result.notModified++;
          const next = response.headers.get('etag');
          if (next) etags.set(path, next);
        }
        await sleep(REFRESH_MS);
      }
    }),
  );
  return result;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faceoff-bench-etag-'));
  const database = await startEmbeddedDatabase({ dataDir: join(dataDir, 'pg'), database: 'faceoff', durable: true });
  const port = await freePort();
  const api = spawn(process.execPath, [fileURLToPath(new URL('../apps/api/src/main.js', import.meta.url))], {
    env: { PATH: process.env.PATH, DATABASE_URL: database.url, API_PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await migrateUp(database.url);
    const db = await createDataSource({ url: database.url, poolSize: 2 }).initialize();
    await seedDemoData(db);
    const [match] = await db.query(`SELECT id, to_char(starts_at, 'YYYY-MM-DD') AS day FROM matches WHERE external_id = '2024020003'`);
    const events: { id: string }[] = await db.query('SELECT id FROM match_events WHERE match_id = $1', [match.id]);
    const base = `http://127.0.0.1:${port}`;
    for (let tries = 0; !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false)); tries++) {
      if (tries > 100) throw new Error('the API did not start');
      await sleep(100);
    }
    const paths = [`/v1/matches?date=${match.day}`, `/v1/matches/${match.id}`];
    console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
    console.log(`load:    ${CLIENTS} phones refreshing ${paths.join(' and ')} every ${REFRESH_MS} ms; an editor's correction every ${CHANGE_MS} ms; ${ROUNDS} x ${ROUND_SECONDS} s per variant, alternating`);

    let editing = true;
    const editor = (async () => {
      for (let n = 0; editing; n++) {
        await db.query('UPDATE match_events SET description = $2 WHERE id = $1', [events[n % events.length].id, `correction ${n}`]);
        await sleep(CHANGE_MS);
      }
    })();
    const results = { baseline: [] as RoundResult[], etag: [] as RoundResult[] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const variant of ['baseline', 'etag'] as const) {
        const result = await round(base, paths, variant === 'etag');
        results[variant].push(result);
        console.log(
          `  round ${r + 1} ${variant.padEnd(8)}: ${(result.requests / ROUND_SECONDS).toFixed(0)} req/s, ${((100 * result.notModified) / result.requests).toFixed(1)} % 304, ${(result.bytes / ROUND_SECONDS / 1024).toFixed(0)} KiB/s`,
        );
      }
    }
    editing = false;
    await editor;
    await db.destroy();
    const summary = (variant: 'baseline' | 'etag') => {
      const rows = results[variant];
      return `${median(rows.map((row) => row.requests / ROUND_SECONDS)).toFixed(0)} req/s, ${median(rows.map((row) => (100 * row.notModified) / row.requests)).toFixed(1)} % answered 304, ${median(rows.map((row) => row.bytes / ROUND_SECONDS / 1024)).toFixed(0)} KiB/s of bodies`;
    };
    console.log(`\nmedians:\n  baseline (no If-None-Match): ${summary('baseline')}\n  etag (If-None-Match):        ${summary('etag')}`);
  } finally {
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
