import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { Match, MatchEvent, SyncedEntity, Team, entities } from '@app/db';
import { insertMatch } from '../factories/hockey.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The entities (TypeORM, AdminJS) and the migrations (SQL) describe the same tables. */
describe('entities against the migrated schema', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('maps every entity column to a column of its table', async () => {
    const rows: { table_name: string; column_name: string }[] = await db.query(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const inDatabase = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
    const mapped = db.entityMetadatas.flatMap((meta) => meta.columns.map((column) => `${meta.tableName}.${column.databaseName}`));
    expect(mapped.filter((column) => !inDatabase.has(column))).toEqual([]);
    const tables = new Set(db.entityMetadatas.map((meta) => meta.tableName));
    const unmapped = [...inDatabase].filter((column) => tables.has(column.split('.')[0]) && !mapped.includes(column));
    expect(unmapped).toEqual([]);
  });

  it('has an entity for every table but the feed, migration, session, throttle and push-position bookkeeping', async () => {
    const rows: { tablename: string }[] = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    // admin_sessions belongs to connect-pg-simple (the CMS's session store), throttle_counters to the API's
    // purchase throttle (@nestjs/throttler's storage), push_feed_positions to the pusher's feed follower: all read by SQL.
    const internal = new Set(['sync_change', 'sync_type', 'sync_epoch', 'schema_migrations', 'admin_sessions', 'throttle_counters', 'push_feed_positions']);
    const tables = rows.map((row) => row.tablename).filter((table) => !internal.has(table)).sort();
    expect(tables).toEqual(db.entityMetadatas.map((meta) => meta.tableName).sort());
    expect(entities).toHaveLength(tables.length);
  });

  it('registers exactly the synced entities with the feed', async () => {
    const rows: { table_name: string }[] = await db.query(`SELECT table_name::text FROM sync_type`);
    const synced = db.entityMetadatas
      .filter((meta) => (meta.target as typeof SyncedEntity).prototype instanceof SyncedEntity)
      .map((meta) => meta.tableName);
    expect(rows.map((row) => row.table_name).sort()).toEqual(synced.sort());
  });

  it('saves and loads a match with its relations through TypeORM', async () => {
    const seeded = await insertMatch(db);
    const match = await db.getRepository(Match).findOneOrFail({ where: { id: seeded.id as string }, relations: { homeTeam: true, season: true } });
    expect(match.homeTeam).toBeInstanceOf(Team);
    expect(match.homeTeam.id).toBe(seeded.home_team_id);

    const goal = await MatchEvent.create({
      matchId: match.id,
      type: 'goal',
      period: 2,
      clockSeconds: 754,
      teamId: match.homeTeamId,
      strength: 'pp',
      details: { shotType: 'wrist' },
    }).save();
    const loaded = await MatchEvent.findOneOrFail({ where: { id: goal.id }, relations: { match: true } });
    expect(loaded).toMatchObject({ type: 'goal', period: 2, clockSeconds: 754, strength: 'pp', hidden: false, details: { shotType: 'wrist' } });
    expect(loaded.match.id).toBe(match.id);
    expect(loaded.createdAt).toBeInstanceOf(Date);
  });
});
