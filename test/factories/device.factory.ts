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
