import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Optimistic locking of matches: editors of the live console send the
 * version they saw, and a command on a match that changed since fails instead
 * of acting on a stale screen.
 *
 * A plain column, bumped by its writers: the console in the same UPDATE as
 * the rest of its change (under the row lock it compared the version with),
 * TypeORM by itself on every save (the entity's @VersionColumn: AdminJS edits
 * count as changes too). Not a trigger bumping it on every UPDATE: that would
 * turn the no-op UPDATEs that sync_before_update() leaves equal into changes
 * in the feed.
 *
 * ADD COLUMN with a constant default rewrites no row and fires no UPDATE
 * trigger: existing matches do not all reappear in the change feed.
 */
export class MatchVersion1764000002000 implements MigrationInterface {
  name = 'MatchVersion1764000002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE matches ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE matches DROP COLUMN version`);
  }
}
