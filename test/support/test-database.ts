import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/db/src/data-source.js';
import { ADMIN_URL_VARIABLE, TEMPLATE_DATABASE, databaseUrl } from './test-server.js';

export interface TestDatabase {
  name: string;
  url: string;
  /** A TypeORM data source on it (opened on first use). */
  dataSource(): Promise<DataSource>;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env[ADMIN_URL_VARIABLE];
  if (!url) throw new Error(`${ADMIN_URL_VARIABLE} is not set: run the tests through jest (test/support/global-setup.ts)`);
  return url;
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one test file: a clone of the migrated template,
 * or (`migrated: false`) an empty one.
 */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const name = `faceoff_test_${randomBytes(5).toString('hex')}`;
  await asAdmin((client) => client.query(`CREATE DATABASE ${name}${migrated ? ` TEMPLATE ${TEMPLATE_DATABASE}` : ''}`));
  const url = databaseUrl(adminUrl(), name);
  let opened: DataSource | undefined;
  return {
    name,
    url,
    async dataSource() {
      opened ??= await createDataSource({ url, poolSize: 20, applicationName: 'faceoff-test' }).initialize();
      return opened;
    },
    async drop() {
      await opened?.destroy();
      await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
