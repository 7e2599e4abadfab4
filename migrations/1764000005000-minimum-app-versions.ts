import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The oldest app version each platform may still use, set by admins in the
 * CMS. The API answers an older app 426 Upgrade Required with the store link
 * (apps/api/src/app-version/): the way to retire clients that no longer
 * understand the data. No row for a platform: every version is welcome.
 * Private: not in the change feed.
 */
export class MinimumAppVersions1764000005000 implements MigrationInterface {
  name = 'MinimumAppVersions1764000005000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE minimum_app_versions (
        platform    text        PRIMARY KEY CHECK (platform IN ('ios', 'android')),
        -- Semantic version, compared as one (2.10.0 is newer than 2.9.3).
        min_version text        NOT NULL CHECK (min_version ~ '^[0-9]+\\.[0-9]+\\.[0-9]+$'),
        store_url   text        NOT NULL CHECK (store_url ~ '^https://'),
        message     text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE minimum_app_versions');
  }
}
