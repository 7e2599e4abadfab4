import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { migrateDown, migrateUp } from '@app/db';
import { migrations } from '../../migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

async function schemaObjects(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`
      SELECT 'table ' || tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
      UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
      UNION ALL SELECT 'sequence ' || sequencename FROM pg_sequences WHERE schemaname = 'public' AND sequencename <> 'schema_migrations_id_seq'
      ORDER BY 1`);
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe('migrations on an empty database', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('go up, all the way down, and up again to the same schema', async () => {
    expect(await schemaObjects(database.url)).toEqual([]);

    const applied = await migrateUp(database.url);
    expect(applied).toEqual(migrations.map((migration) => new migration().name));
    const schema = await schemaObjects(database.url);
    expect(schema).toEqual(expect.arrayContaining(['table sync_change', 'table teams', 'table match_events', 'function sync_enable']));

    await migrateDown(database.url, migrations.length);
    expect(await schemaObjects(database.url)).toEqual([]);

    expect(await migrateUp(database.url)).toEqual(applied);
    expect(await schemaObjects(database.url)).toEqual(schema);
  });
});
