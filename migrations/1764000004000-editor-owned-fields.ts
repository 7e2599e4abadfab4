import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Editors win over the importer: a column an editor changed on a row that
 * a statistics provider also writes is listed here, and the importer's
 * writer (apps/importer/src/import/) leaves that column of that row alone
 * from then on, whatever later snapshots say. The provider still fills the
 * row's other columns.
 *
 * Convention: `table_name` is the table as in the database ('teams',
 * 'match_events'), `field` the column as in the database, snake_case
 * ('full_name', 'primary_person_id', 'hidden'), never an entity property
 * name. An editor hiding a provider's event claims 'hidden', so that the
 * event stays hidden when the provider keeps sending it. Removing the row
 * hands the column back to the provider at the next import.
 *
 * Whoever claims a column does it in the transaction that changes the row:
 * that transaction holds the row's lock until it commits, and the writer
 * locks the rows it imports before it reads this table, so it cannot write
 * the provider's value over an edit whose claim it did not see.
 *
 * Private: not in the change feed (no sync_enable). `record_id` has no
 * foreign key: it names a row of whichever table `table_name` says.
 */
export class EditorOwnedFields1764000004000 implements MigrationInterface {
  name = 'EditorOwnedFields1764000004000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE editor_owned_fields (
        table_name    text        NOT NULL,
        record_id     uuid        NOT NULL,
        field         text        NOT NULL,
        -- The CMS account that claimed it last; NULL for a claim made otherwise (a script).
        admin_user_id uuid        REFERENCES admin_users (id),
        at            timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (table_name, record_id, field)
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE editor_owned_fields');
  }
}
