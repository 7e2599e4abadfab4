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
import pg from 'pg';
import { median, withBenchDatabases } from './bench-databases.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TEAMS = 1000;

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

async function main(): Promise<void> {
  const seed = (client: pg.Client) => client.query(`INSERT INTO teams (name) SELECT 'Team ' || n FROM generate_series(1, ${TEAMS}) n`).then(() => undefined);
  await withBenchDatabases(seed, async ({ feed: feedUrl, baseline: baselineUrl }) => {
    console.log(`load:    ${CONNECTIONS} connections, ${ROUNDS} x ${ROUND_SECONDS} s per variant and workload, baseline and feed alternating`);
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
  });
}

await main();
