import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A device row and the key it authenticates with (the row holds only its SHA-256, as the API stores it). */
export interface TestDevice {
  id: string;
  key: string;
  authorization: string;
}

export async function insertDevice(db: DataSource, values: Record<string, unknown> = {}): Promise<TestDevice> {
  const key = randomBytes(32).toString('base64url');
  const row = { platform: 'ios', locale: 'en-CA', time_zone: 'America/Toronto', app_version: '1.0.0', ...values, key_hash: createHash('sha256').update(key).digest('hex') };
  const columns = Object.keys(row);
  const [{ id }] = await db.query<{ id: string }[]>(
    `INSERT INTO devices (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(row),
  );
  return { id, key, authorization: `Device ${id}:${key}` };
}

/** A device with a push token (APNs-shaped hex for iOS, an FCM-like token for Android) following `targets` for `kinds`. */
export async function insertFollower(
  db: DataSource,
  targets: { kind: 'team' | 'match'; id: unknown }[],
  options: { platform?: 'ios' | 'android'; locale?: string; kinds?: string[]; pushToken?: string | null } = {},
): Promise<TestDevice & { pushToken: string | null }> {
  const platform = options.platform ?? 'ios';
  const pushToken = options.pushToken !== undefined ? options.pushToken : platform === 'ios' ? randomBytes(32).toString('hex') : `fcm-${randomBytes(24).toString('base64url')}`;
  const device = await insertDevice(db, { platform, push_token: pushToken, locale: options.locale ?? 'en-CA' });
  for (const target of targets) {
    await db.query('INSERT INTO device_subscriptions (device_id, target_kind, target_id, kinds) VALUES ($1, $2, $3, $4)', [
      device.id,
      target.kind,
      target.id,
      options.kinds ?? ['goal', 'penalty', 'period', 'final', 'video'],
    ]);
  }
  return { ...device, pushToken };
}
