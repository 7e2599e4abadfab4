import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { migrateUp } from '../libs/db/src/migrate.js';
import { ensureDatabase, startEmbeddedDatabase } from '../tools/stack/src/embedded-database.js';

/** Where the embedded server (no BENCH_DATABASE_URL) keeps its data. */
export const BENCH_DATA_DIR = '.data/bench-postgres';

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The two databases a benchmark compares, on BENCH_DATABASE_URL's server or
 * an embedded one: `feed` (migrated: the change feed's triggers, cursor lock
 * and NOTIFY) and `baseline` (the same schema with the feed's triggers
 * removed). `seed` runs on both; everything is dropped at the end.
 */
export async function withBenchDatabases(
  seed: (client: pg.Client) => Promise<void>,
  work: (urls: { feed: string; baseline: string }) => Promise<void>,
): Promise<void> {
  const embedded = process.env.BENCH_DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase({ dataDir: BENCH_DATA_DIR, database: 'postgres', durable: true });
  const adminUrl = process.env.BENCH_DATABASE_URL ? withDatabase(process.env.BENCH_DATABASE_URL, 'postgres') : embedded!.adminUrl;
  const prepare = async (database: string, withFeed: boolean) => {
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
    await seed(client);
    await client.end();
    return url;
  };
  try {
    const feed = await prepare('bench_feed', true);
    const baseline = await prepare('bench_baseline', false);
    console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
    console.log(`server:  ${await serverVersion(feed)}${embedded ? ' [embedded]' : ''}`);
    await work({ feed, baseline });
  } finally {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    for (const database of ['bench_feed', 'bench_baseline']) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(`SELECT version() AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc`);
  await client.end();
  return `${rows[0].v.split(' on ')[0]} (fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sc})`;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
