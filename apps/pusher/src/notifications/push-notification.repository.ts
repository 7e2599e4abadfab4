import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AnnouncementAudience, Platform, PushDeliveryStatus, PushKind, PushTexts } from '@app/db';
import type { PlannedNotification } from './notification-planner.js';
import type { MatchPushContext, TeamNames } from './push-context.js';

/** The feed consumer name of the pusher in push_feed_positions. */
export const PUSH_FEED_CONSUMER = 'pusher';

export interface FeedPosition {
  epoch: string;
  position: number;
}

export interface ScheduledNotification {
  id: string;
  kind: PushKind;
  sendAfter: Date;
}

/** Who a notification goes to: followers of a match's teams or of the match (for a kind), or an announcement's audience. */
export type PushAudience =
  | { kind: 'match'; matchId: string; homeTeamId: string; awayTeamId: string; subscriptionKind: string | null }
  | { kind: 'team'; teamId: string }
  | { kind: 'all' };

/** A notification as the dispatcher sees it when its hold-back ends. */
export interface DueNotification {
  id: string;
  kind: PushKind;
  status: 'held' | 'sending' | 'cancelled' | 'sent';
  sourceType: string;
  sourceId: string;
  matchId: string | null;
  committedAt: Date;
  buckets: number | null;
}

export interface AnnouncementSource {
  title: string;
  body: string;
  titleI18n: Record<string, string>;
  bodyI18n: Record<string, string>;
  audience: AnnouncementAudience;
  teamId: string | null;
  matchId: string | null;
}

/** What a fan-out job sends from: the notification's texts and audience. */
export interface SendingNotification {
  id: string;
  kind: PushKind;
  matchId: string | null;
  committedAt: Date;
  texts: PushTexts;
  audience: PushAudience;
  buckets: number;
}

export interface ClaimedDevice {
  deviceId: string;
  platform: Platform;
  pushToken: string;
  locale: string | null;
}

export interface DeliveryOutcome {
  deviceId: string;
  status: Exclude<PushDeliveryStatus, 'sending'>;
  providerId?: string;
  error?: string;
}

/** The pusher's SQL: feed position, notifications, the sent-log, token pruning. */
@Injectable()
export class PushNotificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async feedPosition(): Promise<FeedPosition | null> {
    const [row] = await this.dataSource.query<{ epoch: string; position: string }[]>('SELECT epoch, position::text FROM push_feed_positions WHERE consumer = $1', [
      PUSH_FEED_CONSUMER,
    ]);
    return row ? { epoch: row.epoch, position: Number(row.position) } : null;
  }

  async saveFeedPosition(position: FeedPosition, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO push_feed_positions (consumer, epoch, position) VALUES ($1, $2, $3)
       ON CONFLICT (consumer) DO UPDATE SET epoch = EXCLUDED.epoch, position = EXCLUDED.position, updated_at = now()`,
      [PUSH_FEED_CONSUMER, position.epoch, position.position],
    );
  }

  /**
   * Plans the notifications of one feed batch and moves the feed position
   * past it, in one transaction: a crash replays the batch, and the unique
   * source makes the replay plan nothing twice. A match's notifications are
   * only planned while it is under way or about to be (an editor may enter
   * the first goal before marking the puck drop); a finished game only after
   * something else of it was pushed (an overtime winner arrives with the
   * final status), so a seeded or back-filled game pushes nothing; its final
   * score likewise.
   */
  plan(planned: readonly PlannedNotification[], holdBackMs: number, position: FeedPosition): Promise<ScheduledNotification[]> {
    return this.dataSource.transaction(async (manager) => {
      const rows = planned.length
        ? await manager.query<{ id: string; kind: PushKind; send_after: Date }[]>(
            `INSERT INTO push_notifications (source_type, source_id, kind, match_id, committed_at, send_after)
             SELECT p.source_type, p.source_id, p.kind, p.match_id, p.committed_at, p.committed_at + make_interval(secs => $2 / 1000.0)
               FROM jsonb_to_recordset($1::jsonb) AS p(source_type text, source_id uuid, kind text, match_id uuid, committed_at timestamptz)
               JOIN matches m ON m.id = p.match_id
              WHERE NOT m.hidden
                AND CASE WHEN p.kind = 'final'
                         THEN EXISTS (SELECT 1 FROM push_notifications n WHERE n.match_id = m.id AND n.kind <> 'final')
                         ELSE m.status IN ('scheduled', 'live') OR (m.status = 'finished' AND EXISTS (SELECT 1 FROM push_notifications n WHERE n.match_id = m.id))
                    END
             ON CONFLICT (source_type, source_id) DO NOTHING
             RETURNING id, kind, send_after`,
            [
              JSON.stringify(
                planned.map((p) => ({ source_type: p.sourceType, source_id: p.sourceId, kind: p.kind, match_id: p.matchId, committed_at: p.committedAt.toISOString() })),
              ),
              holdBackMs,
            ],
          )
        : [];
      await this.saveFeedPosition(position, manager);
      return rows.map((row) => ({ id: row.id, kind: row.kind, sendAfter: new Date(row.send_after) }));
    });
  }

  /** Held notifications, oldest first: the dispatcher makes sure each has its job. */
  async held(limit: number): Promise<ScheduledNotification[]> {
    const rows = await this.dataSource.query<{ id: string; kind: PushKind; send_after: Date }[]>(
      `SELECT id, kind, send_after FROM push_notifications WHERE status = 'held' ORDER BY send_after LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ id: row.id, kind: row.kind, sendAfter: new Date(row.send_after) }));
  }

  /**
   * Runs `decide` on the notification under a row lock, so two dispatch runs
   * of one notification (a retry racing a stalled job) decide once.
   */
  withDueNotification<T>(id: string, decide: (notification: DueNotification, manager: EntityManager) => Promise<T>): Promise<T | null> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<
        { id: string; kind: PushKind; status: DueNotification['status']; source_type: string; source_id: string; match_id: string | null; committed_at: Date; buckets: number | null }[]
      >('SELECT id, kind, status, source_type, source_id, match_id, committed_at, buckets FROM push_notifications WHERE id = $1 FOR UPDATE', [id]);
      if (!row) return null;
      return decide(
        {
          id: row.id,
          kind: row.kind,
          status: row.status,
          sourceType: row.source_type,
          sourceId: row.source_id,
          matchId: row.match_id,
          committedAt: new Date(row.committed_at),
          buckets: row.buckets,
        },
        manager,
      );
    });
  }

  async cancel(manager: EntityManager, id: string, reason: string): Promise<void> {
    await manager.query(`UPDATE push_notifications SET status = 'cancelled', cancel_reason = $2, updated_at = now() WHERE id = $1`, [id, reason]);
  }

  async startSending(manager: EntityManager, id: string, texts: PushTexts, buckets: number): Promise<void> {
    await manager.query(`UPDATE push_notifications SET status = 'sending', texts = $2, buckets = $3, updated_at = now() WHERE id = $1`, [id, JSON.stringify(texts), buckets]);
  }

  /**
   * The state of a match notification's source now, or why it must not go
   * out: hidden (an editor took the goal back), the match hidden or no
   * longer live.
   */
  async matchContext(manager: EntityManager, notification: DueNotification): Promise<{ context: MatchPushContext; homeTeamId: string; awayTeamId: string } | { cancel: string }> {
    const [row] = await manager.query<Record<string, unknown>[]>(
      `SELECT m.status AS match_status, m.hidden AS match_hidden, m.home_score, m.away_score, m.period AS match_period, m.overtime, m.shootout,
              m.home_team_id, m.away_team_id,
              ht.abbreviation AS home_abbreviation, ht.name AS home_name, at.abbreviation AS away_abbreviation, at.name AS away_name,
              e.hidden AS event_hidden, e.type AS event_type, e.period AS event_period, e.clock_seconds, e.team_id AS event_team_id,
              e.home_score AS event_home_score, e.away_score AS event_away_score, e.strength, e.empty_net, e.penalty_minutes, e.infraction,
              p.full_name AS primary_name, a1.full_name AS assist1_name, a2.full_name AS assist2_name,
              v.hidden AS video_hidden, v.title AS video_title
         FROM matches m
         JOIN teams ht ON ht.id = m.home_team_id
         JOIN teams at ON at.id = m.away_team_id
         LEFT JOIN match_events e ON $2 = 'match_event' AND e.id = $3
         LEFT JOIN persons p ON p.id = e.primary_person_id
         LEFT JOIN persons a1 ON a1.id = e.assist1_person_id
         LEFT JOIN persons a2 ON a2.id = e.assist2_person_id
         LEFT JOIN video_moments v ON $2 = 'video_moment' AND v.id = $3
        WHERE m.id = $1`,
      [notification.matchId, notification.sourceType, notification.sourceId],
    );
    if (!row) return { cancel: 'match_missing' };
    if (row.match_hidden) return { cancel: 'match_hidden' };
    if (notification.sourceType === 'match_event') {
      if (row.event_hidden !== false) return { cancel: 'event_hidden' };
      // An editor re-typed the event (a goal that was a shot): what it is now decides.
      if (row.event_type !== notification.kind) return { cancel: 'event_changed_type' };
    }
    if (notification.sourceType === 'video_moment' && row.video_hidden !== false) return { cancel: 'video_hidden' };
    if (notification.kind === 'final' && row.match_status !== 'finished') return { cancel: 'match_not_finished' };
    const home: TeamNames = { abbreviation: String(row.home_abbreviation ?? row.home_name), name: String(row.home_name) };
    const away: TeamNames = { abbreviation: String(row.away_abbreviation ?? row.away_name), name: String(row.away_name) };
    const isGoal = notification.kind === 'goal';
    const context: MatchPushContext = {
      kind: notification.kind as MatchPushContext['kind'],
      home,
      away,
      // A goal shows the score it made (later goals may have followed within the hold-back).
      homeScore: Number(isGoal && row.event_home_score !== null ? row.event_home_score : row.home_score),
      awayScore: Number(isGoal && row.event_away_score !== null ? row.event_away_score : row.away_score),
      period: (row.event_period ?? row.match_period) as number | null,
      overtime: Boolean(row.overtime),
      shootout: Boolean(row.shootout),
      team: row.event_team_id === row.home_team_id ? home : row.event_team_id === row.away_team_id ? away : null,
      clockSeconds: (row.clock_seconds as number | null) ?? null,
      scorer: (row.primary_name as string | null) ?? null,
      assists: [row.assist1_name, row.assist2_name].filter((name): name is string => typeof name === 'string'),
      strength: (row.strength as MatchPushContext['strength']) ?? null,
      emptyNet: Boolean(row.empty_net),
      penaltyMinutes: (row.penalty_minutes as number | null) ?? null,
      infraction: (row.infraction as string | null) ?? null,
      videoTitle: (row.video_title as string | null) ?? null,
    };
    return { context, homeTeamId: row.home_team_id as string, awayTeamId: row.away_team_id as string };
  }

  async announcement(manager: EntityManager, id: string): Promise<AnnouncementSource | null> {
    const [row] = await manager.query<
      { title: string; body: string; title_i18n: Record<string, string>; body_i18n: Record<string, string>; audience: AnnouncementAudience; team_id: string | null; match_id: string | null }[]
    >('SELECT title, body, title_i18n, body_i18n, audience, team_id, match_id FROM announcements WHERE id = $1', [id]);
    return row
      ? { title: row.title, body: row.body, titleI18n: row.title_i18n, bodyI18n: row.body_i18n, audience: row.audience, teamId: row.team_id, matchId: row.match_id }
      : null;
  }

  async matchTeams(manager: EntityManager, matchId: string): Promise<{ homeTeamId: string; awayTeamId: string } | null> {
    const [row] = await manager.query<{ home_team_id: string; away_team_id: string }[]>('SELECT home_team_id, away_team_id FROM matches WHERE id = $1', [matchId]);
    return row ? { homeTeamId: row.home_team_id, awayTeamId: row.away_team_id } : null;
  }

  /** How many devices the audience has (any token state): sizes the fan-out. */
  async countAudience(audience: PushAudience, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const params: unknown[] = [];
    const sql = audienceQuery(audience, params);
    const [row] = await manager.query<{ count: string }[]>(`SELECT count(*)::text AS count FROM (${sql}) a`, params);
    return Number(row.count);
  }

  /** A sending notification's texts and audience, for its fan-out jobs. */
  async sending(id: string): Promise<SendingNotification | null> {
    const [row] = await this.dataSource.query<
      { id: string; kind: PushKind; match_id: string | null; committed_at: Date; texts: PushTexts; buckets: number; source_type: string; source_id: string; status: string }[]
    >(`SELECT id, kind, match_id, committed_at, texts, buckets, source_type, source_id, status FROM push_notifications WHERE id = $1`, [id]);
    if (!row || row.status === 'held' || row.status === 'cancelled' || !row.texts) return null;
    const audience = await this.audienceOf(row);
    if (!audience) return null;
    return { id: row.id, kind: row.kind, matchId: row.match_id, committedAt: new Date(row.committed_at), texts: row.texts, audience, buckets: row.buckets };
  }

  /** A sending notification's audience, from its source (a fan-out job knows only the notification). */
  private async audienceOf(row: { kind: PushKind; match_id: string | null; source_type: string; source_id: string }): Promise<PushAudience | null> {
    const manager = this.dataSource.manager;
    if (row.source_type === 'announcement') {
      const announcement = await this.announcement(manager, row.source_id);
      return announcement && this.announcementAudience(manager, announcement);
    }
    const teams = row.match_id ? await this.matchTeams(manager, row.match_id) : null;
    return teams && matchAudience(row.kind, row.match_id!, teams);
  }

  /** Everyone, a team's followers, or a match's (its own and its teams', whatever kinds they chose). */
  async announcementAudience(manager: EntityManager, announcement: AnnouncementSource): Promise<PushAudience | null> {
    if (announcement.audience === 'all') return { kind: 'all' };
    if (announcement.audience === 'team') return { kind: 'team', teamId: announcement.teamId! };
    const teams = await this.matchTeams(manager, announcement.matchId!);
    return teams && { kind: 'match', matchId: announcement.matchId!, ...teams, subscriptionKind: null };
  }

  /**
   * Claims the devices of one bucket (a device-id range) that have not had
   * this notification yet: inserted as 'sending' in the sent-log, or taken
   * back from 'sending' (an attempt that died) and 'retry'. Sent, pruned
   * and rejected devices are never claimed again.
   */
  async claim(notification: SendingNotification, range: DeviceRange): Promise<ClaimedDevice[]> {
    const params: unknown[] = [notification.id];
    const sql = audienceQuery(notification.audience, params, range);
    const rows = await this.dataSource.query<{ device_id: string; platform: Platform; push_token: string; locale: string | null }[]>(
      `WITH recipients AS (${sql}),
       reachable AS (
         SELECT d.id, d.platform, d.push_token, d.locale
           FROM recipients r JOIN devices d ON d.id = r.device_id
          WHERE d.push_token IS NOT NULL AND d.push_token_invalid_at IS NULL
       ),
       claimed AS (
         INSERT INTO push_deliveries (notification_id, device_id, status)
         SELECT $1, id, 'sending' FROM reachable
         ON CONFLICT (notification_id, device_id) DO UPDATE
           SET status = 'sending', attempts = push_deliveries.attempts + 1, updated_at = now()
           WHERE push_deliveries.status IN ('sending', 'retry')
         RETURNING device_id
       )
       SELECT r.id AS device_id, r.platform, r.push_token, r.locale FROM claimed c JOIN reachable r ON r.id = c.device_id`,
      params,
    );
    return rows.map((row) => ({ deviceId: row.device_id, platform: row.platform, pushToken: row.push_token, locale: row.locale }));
  }

  async recordOutcomes(notificationId: string, outcomes: readonly DeliveryOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    await this.dataSource.query(
      `UPDATE push_deliveries p
          SET status = o.status, provider_id = o.provider_id, error = o.error, updated_at = now(),
              sent_at = CASE WHEN o.status = 'sent' THEN now() ELSE p.sent_at END
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS o(device_id, status, provider_id, error)
        WHERE p.notification_id = $1 AND p.device_id = o.device_id`,
      [notificationId, outcomes.map((o) => o.deviceId), outcomes.map((o) => o.status), outcomes.map((o) => o.providerId ?? null), outcomes.map((o) => o.error ?? null)],
    );
  }

  /** Marks tokens APNs/FCM called dead, unless the app has registered a new one since. Returns how many were pruned. */
  async pruneTokens(devices: readonly { deviceId: string; pushToken: string }[]): Promise<number> {
    if (!devices.length) return 0;
    const rows = await this.dataSource.query<{ id: string }[]>(
      // A CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH pruned AS (
         UPDATE devices d SET push_token_invalid_at = now(), updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS t(id, token)
          WHERE d.id = t.id AND d.push_token = t.token AND d.push_token_invalid_at IS NULL
         RETURNING d.id
       )
       SELECT id FROM pruned`,
      [devices.map((d) => d.deviceId), devices.map((d) => d.pushToken)],
    );
    return rows.length;
  }

  /**
   * Deletes sent and cancelled notifications created more than `days` ago,
   * with their sent-log rows (ON DELETE CASCADE), a batch at a time. Held and
   * sending ones stay whatever their age. Returns how many notifications went.
   */
  async pruneFinished(days: number): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.dataSource.query<{ id: string }[]>(
        `WITH pruned AS (
           DELETE FROM push_notifications WHERE id IN (
             SELECT id FROM push_notifications
              WHERE status IN ('sent', 'cancelled') AND created_at < now() - make_interval(days => $1)
              LIMIT $2)
           RETURNING id
         )
         SELECT id FROM pruned`,
        [days, PRUNE_BATCH],
      );
      total += rows.length;
      if (rows.length < PRUNE_BATCH) return total;
    }
  }

  /** Notes a finished bucket; true when it was the last (the notification is sent). */
  async finishBucket(notificationId: string, bucket: number): Promise<boolean> {
    const [row] = await this.dataSource.query<{ newly_sent: boolean }[]>(
      `WITH done AS (
         SELECT n.id, n.status, n.buckets, CASE WHEN $2 = ANY (n.buckets_done) THEN n.buckets_done ELSE n.buckets_done || $2::int END AS buckets_done
           FROM push_notifications n WHERE n.id = $1 FOR UPDATE
       ), finished AS (
         UPDATE push_notifications n
            SET buckets_done = d.buckets_done,
                status = CASE WHEN cardinality(d.buckets_done) >= d.buckets THEN 'sent' ELSE n.status END,
                sent_at = CASE WHEN cardinality(d.buckets_done) >= d.buckets THEN coalesce(n.sent_at, now()) ELSE n.sent_at END,
                updated_at = now()
           FROM done d
          WHERE n.id = d.id
         RETURNING d.status <> 'sent' AND n.status = 'sent' AS newly_sent
       )
       SELECT newly_sent FROM finished`,
      [notificationId, bucket],
    );
    return Boolean(row?.newly_sent);
  }
}

/** A match notification's audience: followers of the match or of either team who asked for its kind. */
export function matchAudience(kind: PushKind, matchId: string, teams: { homeTeamId: string; awayTeamId: string }): PushAudience {
  return { kind: 'match', matchId, ...teams, subscriptionKind: kind === 'period_start' || kind === 'period_end' ? 'period' : kind };
}

/** Rows deleted per statement by the retention job: short transactions, no long lock. */
const PRUNE_BATCH = 1000;

/** A device-id range: `from` inclusive, `to` exclusive (null: to the end). */
export interface DeviceRange {
  from: string;
  to: string | null;
}

/**
 * The audience's device ids as SQL (column `device_id`), its parameters
 * appended to `params`. Followers come from the subscriptions' (target,
 * device) index, within the range when one is given; a device following the
 * match and both teams is there once.
 */
function audienceQuery(audience: PushAudience, params: unknown[], range?: DeviceRange): string {
  const param = (value: unknown, cast = '') => `$${params.push(value)}${cast}`;
  const column = audience.kind === 'all' ? 'id' : 'device_id';
  const inRange = range ? ` AND ${column} >= ${param(range.from, '::uuid')} AND (${param(range.to, '::uuid')} IS NULL OR ${column} < $${params.length}::uuid)` : '';
  switch (audience.kind) {
    case 'all':
      return `SELECT id AS device_id FROM devices WHERE true${inRange}`;
    case 'team':
      return `SELECT DISTINCT device_id FROM device_subscriptions WHERE target_kind = 'team' AND target_id = ${param(audience.teamId)}${inRange}`;
    case 'match':
      return `SELECT DISTINCT device_id FROM device_subscriptions
               WHERE ((target_kind = 'match' AND target_id = ${param(audience.matchId)}) OR (target_kind = 'team' AND target_id IN (${param(audience.homeTeamId)}, ${param(audience.awayTeamId)})))
                 AND (${param(audience.subscriptionKind, '::text')} IS NULL OR $${params.length}::text = ANY (kinds))${inRange}`;
  }
}
