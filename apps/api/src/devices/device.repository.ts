import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { NotificationKind, Platform, SubscriptionTargetKind } from '@app/db';
import type { DeviceView, SubscriptionView } from './dto/device.view.js';
import type { SubscriptionTarget } from './devices.exceptions.js';

/** A device as the guard loads it: its view plus the hash to check the key against. */
export interface AuthenticatedDevice extends DeviceView {
  keyHash: string;
}

export interface NewDevice {
  platform: Platform;
  pushToken: string | null;
  locale: string;
  timeZone: string;
  appVersion: string;
  keyHash: string;
}

/** Absent = unchanged; `pushToken: null` clears it. */
export interface DeviceChanges {
  pushToken?: string | null;
  locale?: string;
  timeZone?: string;
  appVersion?: string;
}

export interface NewSubscription {
  targetKind: SubscriptionTargetKind;
  targetId: string;
  kinds: NotificationKind[];
}

const DEVICE_COLUMNS = `
  id AS "deviceId", platform, push_token AS "pushToken", push_token_invalid_at AS "pushTokenInvalidAt",
  locale, time_zone AS "timeZone", app_version AS "appVersion",
  last_seen_at AS "lastSeenAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

const SUBSCRIPTION_COLUMNS = `target_kind AS "targetKind", target_id AS "targetId", kinds, created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Devices and their subscriptions: private tables, written with plain SQL and
 * without the change feed. `devices` has no updated_at trigger, so writes set it.
 */
@Injectable()
export class DeviceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(device: NewDevice): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      if (device.pushToken !== null) await this.releasePushToken(manager, device.pushToken, null);
      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO devices (platform, push_token, locale, time_zone, app_version, key_hash)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [device.platform, device.pushToken, device.locale, device.timeZone, device.appVersion, device.keyHash],
      );
      return row.id;
    });
  }

  async findForAuthentication(deviceId: string): Promise<AuthenticatedDevice | null> {
    const [row] = await this.dataSource.query<AuthenticatedDevice[]>(`SELECT ${DEVICE_COLUMNS}, key_hash AS "keyHash" FROM devices WHERE id = $1`, [deviceId]);
    return row ?? null;
  }

  async find(deviceId: string): Promise<DeviceView | null> {
    const [row] = await this.dataSource.query<DeviceView[]>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = $1`, [deviceId]);
    return row ?? null;
  }

  /**
   * Marks the device as seen unless it was within the last `minIntervalSeconds`:
   * the condition is in the statement, so concurrent requests (and cluster
   * workers) write it at most once per interval. The new time, or null when unchanged.
   */
  async touchLastSeen(deviceId: string, minIntervalSeconds: number): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ lastSeenAt: Date }[]>(
      `WITH touched AS (
         UPDATE devices SET last_seen_at = now()
          WHERE id = $1 AND last_seen_at < now() - make_interval(secs => $2)
      RETURNING last_seen_at
       )
       SELECT last_seen_at AS "lastSeenAt" FROM touched`,
      [deviceId, minIntervalSeconds],
    );
    return row?.lastSeenAt ?? null;
  }

  async update(deviceId: string, changes: DeviceChanges): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (changes.pushToken) await this.releasePushToken(manager, changes.pushToken, deviceId);
      // A different token is a new chance: the rejection of the old one no longer applies.
      await manager.query(
        `UPDATE devices
            SET push_token            = CASE WHEN $2 THEN $3 ELSE push_token END,
                push_token_invalid_at = CASE WHEN $2 AND $3::text IS DISTINCT FROM push_token THEN NULL ELSE push_token_invalid_at END,
                locale                = COALESCE($4, locale),
                time_zone             = COALESCE($5, time_zone),
                app_version           = COALESCE($6, app_version),
                updated_at            = now()
          WHERE id = $1`,
        [deviceId, changes.pushToken !== undefined, changes.pushToken ?? null, changes.locale ?? null, changes.timeZone ?? null, changes.appVersion ?? null],
      );
    });
  }

  /**
   * A push token names an installation at APNs/FCM, and `push_token` is unique:
   * when another device row holds it (the app was reinstalled, or its data
   * wiped, and registered anew), the newest claim wins and the old row loses
   * it. The advisory lock serializes claims of one token, so two concurrent
   * ones cannot both pass the clearing and collide on the unique index.
   */
  private async releasePushToken(manager: EntityManager, pushToken: string, keptBy: string | null): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`device-push-token:${pushToken}`]);
    await manager.query(
      `UPDATE devices SET push_token = NULL, push_token_invalid_at = NULL, updated_at = now()
        WHERE push_token = $1 AND ($2::uuid IS NULL OR id <> $2)`,
      [pushToken, keptBy],
    );
  }

  listSubscriptions(deviceId: string, manager: EntityManager = this.dataSource.manager): Promise<SubscriptionView[]> {
    return manager.query<SubscriptionView[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM device_subscriptions WHERE device_id = $1 ORDER BY target_kind, target_id`,
      [deviceId],
    );
  }

  /** The listed targets that are missing or hidden, in the order given. */
  async unavailableTargets(targets: SubscriptionTarget[], manager: EntityManager = this.dataSource.manager): Promise<SubscriptionTarget[]> {
    const ids = (kind: SubscriptionTargetKind) => targets.filter((target) => target.targetKind === kind).map((target) => target.targetId);
    const [row] = await manager.query<{ teams: string[]; matches: string[] }[]>(
      `SELECT ARRAY(SELECT id::text FROM teams   WHERE id = ANY($1::uuid[]) AND NOT hidden) AS teams,
              ARRAY(SELECT id::text FROM matches WHERE id = ANY($2::uuid[]) AND NOT hidden) AS matches`,
      [ids('team'), ids('match')],
    );
    const available = { team: new Set(row.teams), match: new Set(row.matches) };
    return targets.filter((target) => !available[target.targetKind].has(target.targetId));
  }

  /**
   * Makes the device's subscriptions exactly `subscriptions`, in one
   * transaction: the kept ones are updated in place (their created_at is when
   * the device started following), the others inserted or deleted. The
   * device's row is locked first, so two replacements of one device run one
   * after the other rather than colliding on the unique key. Returns the
   * missing or hidden targets instead when there are any, changing nothing.
   */
  async replaceSubscriptions(deviceId: string, subscriptions: NewSubscription[]): Promise<{ unavailable: SubscriptionTarget[]; subscriptions: SubscriptionView[] }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT 1 FROM devices WHERE id = $1 FOR NO KEY UPDATE', [deviceId]);
      const unavailable = await this.unavailableTargets(subscriptions, manager);
      if (unavailable.length) return { unavailable, subscriptions: [] };
      const rows = JSON.stringify(subscriptions.map(({ targetKind, targetId, kinds }) => ({ target_kind: targetKind, target_id: targetId, kinds })));
      await manager.query(
        `DELETE FROM device_subscriptions s
          WHERE s.device_id = $1
            AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS n(target_kind text, target_id uuid)
                             WHERE n.target_kind = s.target_kind AND n.target_id = s.target_id)`,
        [deviceId, rows],
      );
      await manager.query(
        `INSERT INTO device_subscriptions (device_id, target_kind, target_id, kinds)
         SELECT $1, n.target_kind, n.target_id, n.kinds
           FROM jsonb_to_recordset($2::jsonb) AS n(target_kind text, target_id uuid, kinds text[])
         ON CONFLICT (device_id, target_kind, target_id) DO UPDATE
            SET kinds = EXCLUDED.kinds, updated_at = now()
          WHERE device_subscriptions.kinds IS DISTINCT FROM EXCLUDED.kinds`,
        [deviceId, rows],
      );
      return { unavailable: [], subscriptions: await this.listSubscriptions(deviceId, manager) };
    });
  }
}
