import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed: every committed change to a synced table gets a cursor in
 * COMMIT order, one row per record (compact), and a NOTIFY.
 *
 * Why not `nextval()` in the writing transaction: transactions commit out of
 * order. T1 takes cursor 10, T2 takes 11, T2 commits, a reader sees 11 and
 * moves its position past 10; T1 commits — and 10 is never read.
 *
 * The mechanism chosen: a DEFERRABLE INITIALLY DEFERRED constraint trigger.
 * It runs at COMMIT time (after the writer's last statement), takes one
 * transaction-level advisory lock and only then draws the cursor. The lock is
 * released after the commit is durable and visible, so the next writer can
 * draw a higher cursor only once this one's changes are visible: whenever
 * cursor B is visible, every cursor A < B is visible too. A transaction that
 * fails at commit leaves a gap in the numbers, never a hole in what was seen.
 *
 * The price: commits of writers to synced tables are serialised from their
 * cursor draw through their WAL flush (measured in bench/change-feed-throughput.ts,
 * figures in docs/benchmarks.md). The alternative — reading behind a
 * pg_snapshot_xmin horizon — avoids the lock but lets any one long writing
 * transaction (a big import) hold the whole live feed back; for a live sports
 * feed the bounded latency was worth more than the write throughput, which
 * stays in the thousands of commits per second.
 *
 * Compactness: `sync_change` holds ONE row per record (its latest cursor), so
 * a catch-up costs O(records changed since the cursor), however often each
 * changed. Readers take the record's current full state from its table.
 *
 * The epoch: a random id, part of every cursor on the wire, renewed when the
 * database is not the one that issued it (restored or cloned into another
 * cluster, another database, or onto a new timeline after point-in-time
 * recovery) — see sync_current_epoch().
 */
export class ChangeFeed1764000000000 implements MigrationInterface {
  name = 'ChangeFeed1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE SEQUENCE sync_cursor_seq AS bigint;

      -- One row per synced record: its latest cursor, and when that change
      -- committed (for commit-to-delivery latency).
      CREATE TABLE sync_change (
        type       text        NOT NULL,
        record_id  uuid        NOT NULL,
        cursor     bigint      NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (type, record_id)
      );
      CREATE UNIQUE INDEX sync_change_cursor_idx ON sync_change (cursor);

      -- The synced types and the tables that hold them (filled by sync_enable()).
      CREATE TABLE sync_type (
        type       text     PRIMARY KEY,
        table_name regclass NOT NULL UNIQUE
      );

      CREATE TABLE sync_epoch (
        singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
        epoch       text        NOT NULL,
        fingerprint text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );

      -- What makes this database this database: a restore into another
      -- cluster changes the system identifier, into another database the
      -- oid, a point-in-time recovery the timeline. The timeline needs
      -- pg_control_checkpoint(), which unprivileged roles may not run: then it
      -- is left out, and after such a restore sync_renew_epoch() is run by hand.
      CREATE FUNCTION sync_database_fingerprint() RETURNS text
      LANGUAGE plpgsql STABLE AS $$
      DECLARE
        timeline text := '';
      BEGIN
        BEGIN
          SELECT timeline_id::text INTO timeline FROM pg_control_checkpoint();
        EXCEPTION WHEN insufficient_privilege THEN
          timeline := '';
        END;
        RETURN (SELECT system_identifier::text FROM pg_control_system())
          || ':' || (SELECT oid::text FROM pg_database WHERE datname = current_database())
          || ':' || timeline;
      END $$;

      CREATE FUNCTION sync_new_epoch_id() RETURNS text
      LANGUAGE sql VOLATILE AS $$
        SELECT substr(md5(gen_random_uuid()::text), 1, 8)
      $$;

      CREATE FUNCTION sync_renew_epoch() RETURNS text
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        renewed text;
      BEGIN
        INSERT INTO sync_epoch (epoch, fingerprint)
        VALUES (sync_new_epoch_id(), sync_database_fingerprint())
        ON CONFLICT (singleton) DO UPDATE
          SET epoch = EXCLUDED.epoch, fingerprint = EXCLUDED.fingerprint, created_at = now()
        RETURNING epoch INTO renewed;
        -- Followers that stay connected learn of it now, not at their next reconnect.
        PERFORM pg_notify('data_updates', json_build_object('epoch', renewed)::text);
        RETURN renewed;
      END $$;

      -- The epoch to put in cursors, renewed first if this database is not
      -- the one that issued the stored epoch.
      CREATE FUNCTION sync_current_epoch() RETURNS text
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        current sync_epoch;
      BEGIN
        SELECT * INTO current FROM sync_epoch;
        IF FOUND AND current.fingerprint = sync_database_fingerprint() THEN
          RETURN current.epoch;
        END IF;
        LOCK TABLE sync_epoch IN EXCLUSIVE MODE;
        SELECT * INTO current FROM sync_epoch;
        IF FOUND AND current.fingerprint = sync_database_fingerprint() THEN
          RETURN current.epoch;
        END IF;
        RETURN sync_renew_epoch();
      END $$;

      SELECT sync_renew_epoch();

      -- BEFORE UPDATE: ids never change; updated_at moves only when something
      -- else did, so a no-op UPDATE leaves the row equal and the deferred
      -- trigger's WHEN clause skips it (nothing recorded, nobody notified).
      CREATE FUNCTION sync_before_update() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id IS DISTINCT FROM OLD.id THEN
          RAISE EXCEPTION 'the id of a % row never changes', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        NEW.updated_at := OLD.updated_at;
        IF NEW IS DISTINCT FROM OLD THEN
          NEW.updated_at := now();
        END IF;
        RETURN NEW;
      END $$;

      -- AFTER INSERT/UPDATE, deferred to COMMIT: draw the cursor under the lock.
      CREATE FUNCTION sync_record_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        change_cursor bigint;
      BEGIN
        -- Held until the commit is visible: cursors are drawn in commit order.
        PERFORM pg_advisory_xact_lock(hashtext('faceoff.sync_cursor'));
        INSERT INTO sync_change AS c (type, record_id, cursor, changed_at)
        VALUES (TG_ARGV[0], NEW.id, nextval('sync_cursor_seq'), clock_timestamp())
        ON CONFLICT (type, record_id) DO UPDATE SET cursor = EXCLUDED.cursor, changed_at = EXCLUDED.changed_at
        RETURNING c.cursor INTO change_cursor;
        -- The payload names the change, never the row: NOTIFY caps it at 8000 bytes.
        PERFORM pg_notify('data_updates', json_build_object(
          'type', TG_ARGV[0], 'id', NEW.id, 'cursor', change_cursor::text)::text);
        RETURN NULL;
      END $$;

      CREATE FUNCTION sync_refuse_delete() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'rows of % are never deleted: set hidden = true instead', TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation',
                HINT = 'Synced records stay so that clients learn they are gone.';
      END $$;

      -- Makes a table part of the feed. Every synced table calls this in the
      -- migration that creates it.
      CREATE FUNCTION sync_enable(sync_type text, tbl regclass) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO sync_type (type, table_name) VALUES (sync_type, tbl);
        EXECUTE format('CREATE TRIGGER sync_before_update BEFORE UPDATE ON %s
          FOR EACH ROW EXECUTE FUNCTION sync_before_update()', tbl);
        EXECUTE format('CREATE CONSTRAINT TRIGGER sync_after_insert AFTER INSERT ON %s
          DEFERRABLE INITIALLY DEFERRED
          FOR EACH ROW EXECUTE FUNCTION sync_record_change(%L)', tbl, sync_type);
        EXECUTE format('CREATE CONSTRAINT TRIGGER sync_after_update AFTER UPDATE ON %s
          DEFERRABLE INITIALLY DEFERRED
          FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
          EXECUTE FUNCTION sync_record_change(%L)', tbl, sync_type);
        EXECUTE format('CREATE TRIGGER sync_refuse_delete BEFORE DELETE ON %s
          FOR EACH ROW EXECUTE FUNCTION sync_refuse_delete()', tbl);
        EXECUTE format('CREATE TRIGGER sync_refuse_truncate BEFORE TRUNCATE ON %s
          FOR EACH STATEMENT EXECUTE FUNCTION sync_refuse_delete()', tbl);
      END $$;

      -- The inverse, for down migrations.
      CREATE FUNCTION sync_disable(sync_type text) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        tbl regclass;
      BEGIN
        DELETE FROM sync_type t WHERE t.type = sync_type RETURNING t.table_name INTO tbl;
        DELETE FROM sync_change c WHERE c.type = sync_type;
        IF tbl IS NOT NULL THEN
          EXECUTE format('DROP TRIGGER sync_before_update ON %s', tbl);
          EXECUTE format('DROP TRIGGER sync_after_insert ON %s', tbl);
          EXECUTE format('DROP TRIGGER sync_after_update ON %s', tbl);
          EXECUTE format('DROP TRIGGER sync_refuse_delete ON %s', tbl);
          EXECUTE format('DROP TRIGGER sync_refuse_truncate ON %s', tbl);
        END IF;
      END $$;

      -- The catch-up read: the records changed after \`since\`, in cursor order,
      -- each once with its current full state. STABLE, so the page and every
      -- row come from one snapshot.
      CREATE FUNCTION sync_changes_since(since bigint, max_rows integer, only_types text[] DEFAULT NULL)
      RETURNS TABLE (cursor bigint, type text, id uuid, changed_at timestamptz, data jsonb)
      LANGUAGE plpgsql STABLE AS $$
      #variable_conflict use_column
      DECLARE
        page_cursors bigint[];
        page_types   text[];
        page_ids     uuid[];
        page_times   timestamptz[];
        synced       record;
      BEGIN
        SELECT array_agg(p.cursor ORDER BY p.cursor),
               array_agg(p.type ORDER BY p.cursor),
               array_agg(p.record_id ORDER BY p.cursor),
               array_agg(p.changed_at ORDER BY p.cursor)
          INTO page_cursors, page_types, page_ids, page_times
          FROM (SELECT c.cursor, c.type, c.record_id, c.changed_at
                  FROM sync_change c
                 WHERE c.cursor > since
                   AND (only_types IS NULL OR c.type = ANY (only_types))
                 ORDER BY c.cursor
                 LIMIT max_rows) p;
        IF page_cursors IS NULL THEN
          RETURN;
        END IF;
        FOR synced IN SELECT t.type, t.table_name FROM sync_type t WHERE t.type = ANY (page_types) LOOP
          RETURN QUERY EXECUTE format(
            'SELECT p.cursor, p.type, p.record_id, p.changed_at, to_jsonb(r)
               FROM unnest($1, $2, $3, $4) AS p(cursor, type, record_id, changed_at)
               JOIN %s r ON r.id = p.record_id
              WHERE p.type = $5', synced.table_name)
            USING page_cursors, page_types, page_ids, page_times, synced.type;
        END LOOP;
      END $$;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP FUNCTION sync_changes_since(bigint, integer, text[]);
      DROP FUNCTION sync_disable(text);
      DROP FUNCTION sync_enable(text, regclass);
      DROP FUNCTION sync_refuse_delete();
      DROP FUNCTION sync_record_change();
      DROP FUNCTION sync_before_update();
      DROP FUNCTION sync_current_epoch();
      DROP FUNCTION sync_renew_epoch();
      DROP FUNCTION sync_new_epoch_id();
      DROP FUNCTION sync_database_fingerprint();
      DROP TABLE sync_epoch;
      DROP TABLE sync_type;
      DROP TABLE sync_change;
      DROP SEQUENCE sync_cursor_seq;
    `);
  }
}
