// Jest loads global setup as CommonJS without its module mapper, so this file
// uses the build (npm test builds first) rather than the TypeScript sources.
// The variable and database names are those of test-server.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateUp } from '../../dist/libs/db/src/migrate.js';
import { startEmbeddedDatabase } from '../../dist/tools/stack/src/embedded-database.js';

const TEMPLATE_DATABASE = 'faceoff_test_template';

function databaseUrl(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function query(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Test databases live on the server of TEST_DATABASE_URL or DATABASE_URL when
 * set, else on an embedded PostgreSQL started here. A migrated template is
 * made once; each test file clones it.
 */
export default async function globalSetup() {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let adminUrl;
  if (serverUrl) {
    adminUrl = databaseUrl(serverUrl, 'postgres');
  } else {
    // A new throwaway cluster per run: nothing left from a run that was killed can get in the way.
    const dataDir = join(mkdtempSync(join(tmpdir(), 'faceoff-test-')), 'postgres');
    globalThis.embeddedTestDatabase = await startEmbeddedDatabase({ dataDir, database: 'postgres', durable: false });
    globalThis.embeddedTestDataDir = dataDir;
    adminUrl = globalThis.embeddedTestDatabase.adminUrl;
  }
  process.env.FACEOFF_TEST_ADMIN_URL = adminUrl;

  await query(adminUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await query(adminUrl, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
  const templateUrl = databaseUrl(adminUrl, TEMPLATE_DATABASE);
  await migrateUp(templateUrl);
  const [{ epoch }] = await query(templateUrl, 'SELECT epoch FROM sync_epoch');
  process.env.FACEOFF_TEST_TEMPLATE_EPOCH = epoch;
}
