import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pusher's state (apps/pusher), all private (not in the change feed):
 *
 * - push_feed_positions: how far the pusher has read the change feed, so a
 *   restart resumes there.
 * - push_notifications: one row per thing worth a push (a goal, a penalty, a
 *   period's start or end, a final score, a video moment, an announcement),
 *   unique by its source so that reading a change twice plans one
 *   notification. A match notification is 'held' until send_after (the
 *   hold-back in which an editor's correction can still cancel it).
 * - push_deliveries: the sent-log, one row per (notification, device). A
 *   device is claimed here before its push is sent and marked after, so a
 *   retried or restarted worker never sends it the same notification again.
 * - announcements: editors' messages to an audience; inserting one plans its
 *   notification in the same transaction (trigger below), the pusher does the
 *   rest like for any other notification.
 */
export class PushNotifications1764000008000 implements MigrationInterface {
  name = 'PushNotifications1764000008000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE push_feed_positions (
        consumer   text        PRIMARY KEY,
        epoch      text        NOT NULL,
        position   bigint      NOT NULL CHECK (position >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE announcements (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        title       text        NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
        body        text        NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
        -- Other locales' texts: {"fr": "…"}; the English title/body are the fallback.
        title_i18n  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(title_i18n) = 'object'),
        body_i18n   jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(body_i18n) = 'object'),
        audience    text        NOT NULL CHECK (audience IN ('all', 'team', 'match')),
        team_id     uuid        REFERENCES teams (id),
        match_id    uuid        REFERENCES matches (id),
        created_by  uuid        REFERENCES admin_users (id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CHECK ((audience = 'all'   AND team_id IS NULL     AND match_id IS NULL)
            OR (audience = 'team'  AND team_id IS NOT NULL AND match_id IS NULL)
            OR (audience = 'match' AND match_id IS NOT NULL AND team_id IS NULL))
      );

      CREATE TABLE push_notifications (
        id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        -- What it is about: ('match_event', event id), ('match', match id) for
        -- the final score, ('video_moment', id), ('announcement', id).
        source_type     text        NOT NULL CHECK (source_type IN ('match_event', 'match', 'video_moment', 'announcement')),
        source_id       uuid        NOT NULL,
        kind            text        NOT NULL CHECK (kind IN ('goal', 'penalty', 'period_start', 'period_end', 'final', 'video', 'announcement')),
        match_id        uuid        REFERENCES matches (id),
        status          text        NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'cancelled', 'sending', 'sent')),
        -- Why a held notification was cancelled (the goal was hidden, the match is not live...).
        cancel_reason   text,
        send_after      timestamptz NOT NULL,
        -- When its source change committed: commit → sent latency.
        committed_at    timestamptz NOT NULL,
        -- Rendered at dispatch from the source's state then: {"en": {"title", "body"}, "fr": {...}}.
        texts           jsonb,
        -- Fan-out: the device-id space is cut into this many buckets, one job each.
        buckets         integer     CHECK (buckets > 0),
        -- The buckets whose job has finished; the notification is sent when all have.
        buckets_done    integer[]   NOT NULL DEFAULT '{}',
        sent_at         timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_type, source_id)
      );
      -- The dispatcher's sweep for notifications whose job went missing.
      CREATE INDEX push_notifications_held_idx ON push_notifications (send_after) WHERE status = 'held';
      CREATE INDEX push_notifications_match_idx ON push_notifications (match_id);

      CREATE TABLE push_deliveries (
        notification_id uuid        NOT NULL REFERENCES push_notifications (id) ON DELETE CASCADE,
        device_id       uuid        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
        -- sending: claimed, outcome unknown yet; retry: the provider said later.
        status          text        NOT NULL CHECK (status IN ('sending', 'sent', 'retry', 'token_invalid', 'rejected')),
        attempts        integer     NOT NULL DEFAULT 1,
        -- APNs apns-id / FCM message name.
        provider_id     text,
        error           text,
        sent_at         timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notification_id, device_id)
      );
      CREATE INDEX push_deliveries_device_idx ON push_deliveries (device_id);

      -- Fan-out reads a target's followers in device-id ranges.
      CREATE INDEX device_subscriptions_target_device_idx ON device_subscriptions (target_kind, target_id, device_id);

      CREATE FUNCTION push_plan_announcement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO push_notifications (source_type, source_id, kind, match_id, send_after, committed_at)
        VALUES ('announcement', NEW.id, 'announcement', NEW.match_id, now(), now());
        PERFORM pg_notify('push_notifications', NEW.id::text);
        RETURN NEW;
      END $$;
      CREATE TRIGGER announcements_push AFTER INSERT ON announcements
        FOR EACH ROW EXECUTE FUNCTION push_plan_announcement();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER announcements_push ON announcements;
      DROP FUNCTION push_plan_announcement();
      DROP INDEX device_subscriptions_target_device_idx;
      DROP TABLE push_deliveries;
      DROP TABLE push_notifications;
      DROP TABLE announcements;
      DROP TABLE push_feed_positions;
    `);
  }
}
