import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * `transactions` transactions on each of `connections` connections, each
 * changing one or two random teams (sometimes hiding or unhiding one), then
 * sleeping a random while BEFORE COMMIT, so transactions commit in another
 * order than they drew anything.
 */
export async function concurrentWriters(url: string, teamIds: string[], connections: number, transactions: number): Promise<void> {
  await Promise.all(
    Array.from({ length: connections }, async (_, writer) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (let i = 0; i < transactions; i++) {
          await client.query('BEGIN');
          // Rows locked in id order: two writers never deadlock.
          const ids = [...new Set([teamIds[randomInt(teamIds.length)], teamIds[randomInt(teamIds.length)]])].sort();
          for (const id of ids) {
            if (randomInt(10) === 0) await client.query('UPDATE teams SET hidden = NOT hidden WHERE id = $1', [id]);
            else await client.query('UPDATE teams SET short_name = $2 WHERE id = $1', [id, `w${writer}-t${i}`]);
          }
          await sleep(randomInt(4));
          await client.query('COMMIT');
        }
      } finally {
        await client.end();
      }
    }),
  );
}

/** Every synced record as the feed sends it, keyed `type:id`. */
export async function syncedState(db: DataSource, onlyTypes?: string[]): Promise<Map<string, Record<string, unknown>>> {
  const tables: { type: string; table_name: string }[] = await db.query('SELECT type, table_name::text FROM sync_type');
  const state = new Map<string, Record<string, unknown>>();
  for (const { type, table_name } of tables) {
    if (onlyTypes && !onlyTypes.includes(type)) continue;
    const rows: { data: Record<string, unknown> }[] = await db.query(`SELECT to_jsonb(t) AS data FROM ${table_name} t`);
    for (const { data } of rows) state.set(`${type}:${data.id}`, data);
  }
  return state;
}

/** The backend pid of a process's LISTEN connection, found by its application_name. */
export async function listenBackendPid(db: DataSource, applicationName: string): Promise<number | undefined> {
  const [row] = await db.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND query ILIKE 'LISTEN%'`, [applicationName]);
  return row?.pid;
}
