import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CMS login sessions, in the shape connect-pg-simple reads and writes
 * (its table.sql): sessions survive an admin restart and are shared by every
 * admin process. Private: no change-feed triggers.
 */
export class AdminSessions1764000003000 implements MigrationInterface {
  name = 'AdminSessions1764000003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE admin_sessions (
        sid    varchar      PRIMARY KEY,
        sess   json         NOT NULL,
        expire timestamp(6) NOT NULL
      );
      CREATE INDEX admin_sessions_expire_idx ON admin_sessions (expire);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE admin_sessions');
  }
}
