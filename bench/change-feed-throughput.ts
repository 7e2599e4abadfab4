/**
 * What the commit-ordered change feed costs writers.
 *
 * Two databases with the same schema and data, measured in the same run,
 * alternating rounds: `feed` (migrated: triggers, cursor lock, NOTIFY) and
 * `baseline` (the same tables with the feed's triggers removed). Each round
 * runs CONNECTIONS clients committing transactions of ROWS UPDATEs of random
 * teams for ROUND_SECONDS, and reports commits per second. Two workloads:
 * single-row autocommit updates (an editor's save) and 20-row transactions
 * (an importer's snapshot).
 *
 *   npm run bench:change-feed                    # embedded PostgreSQL (fsync on)
 *   BENCH_DATABASE_URL=postgres://... npm run bench:change-feed   # a server of yours
 *
 * Env: BENCH_CONNECTIONS (8), BENCH_ROUND_SECONDS (5), BENCH_ROUNDS (3).
 */
import 'reflect-metadata';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { migrateUp } from '../libs/db/src/migrate.js';
import { ensureDatabase, startEmbeddedDatabase } from '../tools/stack/src/embedded-database.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TEAMS = 1000;

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function prepare(adminUrl: string, database: string, withFeed: boolean): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(adminUrl, database);
  const url = withDatabase(adminUrl, database);
  await migrateUp(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  if (!withFeed) await client.query('SELECT sync_disable(type) FROM sync_type');
  await client.query(`INSERT INTO teams (name) SELECT 'Team ' || n FROM generate_series(1, ${TEAMS}) n`);
  await client.end();
  return url;
}

async function round(url: string, rows: number): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const ids: string[] = (await clients[0].query('SELECT id FROM teams')).rows.map((row) => row.id);
  const deadline = Date.now() + ROUND_SECONDS * 1000;
  let commits = 0;
  await Promise.all(
    clients.map(async (client, c) => {
      let i = 0;
      while (Date.now() < deadline) {
        // Distinct rows in id order per transaction: no deadlocks between clients.
        const batch = [...new Set(Array.from({ length: rows }, (_, r) => ids[(c * 7919 + (i * rows + r) * 104729) % ids.length]))].sort();
        if (rows > 1) await client.query('BEGIN');
        for (const id of batch) await client.query('UPDATE teams SET short_name = $2 WHERE id = $1', [id, `c${c}-${i}`]);
        if (rows > 1) await client.query('COMMIT');
        i++;
        commits++;
      }
    }),
  );
  await Promise.all(clients.map((client) => client.end()));
  return commits / ROUND_SECONDS;
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(`SELECT version() AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc`);
  await client.end();
  return `${rows[0].v.split(' on ')[0]} (fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sc})`;
}

async function main(): Promise<void> {
  const embedded = process.env.BENCH_DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase({ dataDir: '.data/bench-postgres', database: 'postgres', durable: true });
  const adminUrl = process.env.BENCH_DATABASE_URL ? withDatabase(process.env.BENCH_DATABASE_URL, 'postgres') : embedded!.adminUrl;
  try {
    const feedUrl = await prepare(adminUrl, 'bench_feed', true);
    const baselineUrl = await prepare(adminUrl, 'bench_baseline', false);

    console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
    console.log(`server:  ${await serverVersion(feedUrl)}${embedded ? ' [embedded]' : ''}`);
    console.log(`load:    ${CONNECTIONS} connections, ${ROUNDS} x ${ROUND_SECONDS} s per variant and workload, baseline and feed alternating`);

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    for (const rows of [1, 20]) {
      console.log(`\nworkload: transactions of ${rows} row UPDATE${rows > 1 ? 's' : ''}`);
      const results = { baseline: [] as number[], feed: [] as number[] };
      for (let r = 0; r < ROUNDS; r++) {
        results.baseline.push(await round(baselineUrl, rows));
        results.feed.push(await round(feedUrl, rows));
        console.log(`  round ${r + 1}: baseline ${results.baseline[r].toFixed(0)} commits/s, feed ${results.feed[r].toFixed(0)} commits/s`);
      }
      const baseline = median(results.baseline);
      const feed = median(results.feed);
      console.log(`  median baseline (no triggers): ${baseline.toFixed(0)} commits/s (${(baseline * rows).toFixed(0)} rows/s)`);
      console.log(`  median with the change feed:   ${feed.toFixed(0)} commits/s (${(feed * rows).toFixed(0)} rows/s)`);
      console.log(`  ratio feed / baseline:         ${(feed / baseline).toFixed(2)}x`);
    }
  } finally {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    for (const database of ['bench_feed', 'bench_baseline']) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

await main();
