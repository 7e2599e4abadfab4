import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request counters shared by every API worker and replica when there is no
 * Redis (the purchase throttle): one row per throttled key and window.
 * UNLOGGED: counters need no crash safety, and skipping the WAL keeps the
 * per-request upsert cheap.
 */
export class ThrottleCounters1764000007000 implements MigrationInterface {
  name = 'ThrottleCounters1764000007000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE throttle_counters (
        key            text PRIMARY KEY,
        hits           integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until  timestamptz
      );
      CREATE INDEX throttle_counters_expiry_idx ON throttle_counters (GREATEST(window_ends_at, blocked_until));
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE throttle_counters');
  }
}
