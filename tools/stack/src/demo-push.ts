import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { type ApnsFake, startApnsFake } from '../../push-fakes/src/apns-fake.server.js';
import { type FcmFake, startFcmFake } from '../../push-fakes/src/fcm-fake.server.js';
import { pusherSettingsForFakes } from '../../push-fakes/src/pusher-settings.js';

const KEY_ID = 'DEMOKEY001';
const TEAM_ID = 'DEMOTEAM01';
const TOPIC = 'com.faceoff.demo';
/** The demo game's teams (DAL @ SEA): the demo phones follow both. */
const DEMO_TEAMS = ['DAL', 'SEA'];
/** Fixed ids: the same four phones on every start. */
const DEMO_PHONES = [
  { id: 'de300000-0000-4000-8000-000000000001', platform: 'ios', locale: 'en-US' },
  { id: 'de300000-0000-4000-8000-000000000002', platform: 'ios', locale: 'fr-CA' },
  { id: 'de300000-0000-4000-8000-000000000003', platform: 'android', locale: 'en-GB' },
  { id: 'de300000-0000-4000-8000-000000000004', platform: 'android', locale: 'fr-FR' },
] as const;

export interface DemoPushServices {
  apns: ApnsFake;
  fcm: FcmFake;
  /** The pusher's settings for them (NODE_EXTRA_CA_CERTS included: the fakes' certificates are self-signed). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * APNs and FCM for `npm start` without push credentials: the fakes from
 * tools/push-fakes, which check every request as the real services do. What
 * they accept is printed, so a goal in the replayed game shows up as pushes.
 */
export async function startDemoPushServices(dataDir: string, say: (line: string) => void): Promise<DemoPushServices> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const apns = await startApnsFake({ keys: { [KEY_ID]: publicKey }, teamId: TEAM_ID, topic: TOPIC });
  const fcm = await startFcmFake();
  await mkdir(dataDir, { recursive: true });
  const env = await pusherSettingsForFakes(apns, fcm, { keyId: KEY_ID, teamId: TEAM_ID, topic: TOPIC, privateKey }, resolve(dataDir, 'push-fakes-ca.pem'));
  let shownApns = 0;
  let shownFcm = 0;
  const printer = setInterval(() => {
    for (const delivery of apns.deliveries.slice(shownApns)) {
      const alert = (delivery.payload.aps as { alert?: { title?: string; body?: string } }).alert;
      say(`push → APNs ${delivery.token.slice(0, 8)}…: ${alert?.title} — ${alert?.body}`);
    }
    for (const delivery of fcm.deliveries.slice(shownFcm)) {
      const notification = delivery.message.notification as { title?: string; body?: string } | undefined;
      say(`push → FCM  ${delivery.token.slice(0, 12)}…: ${notification?.title} — ${notification?.body}`);
    }
    shownApns = apns.deliveries.length;
    shownFcm = fcm.deliveries.length;
  }, 500);
  return {
    apns,
    fcm,
    env,
    async close() {
      clearInterval(printer);
      await Promise.all([apns.close(), fcm.close()]);
    },
  };
}

/**
 * Four demo phones (iOS and Android, English and French) following the demo
 * game's teams, with push tokens of the fakes' shapes, new on every start
 * (the fakes are new each time anyway).
 */
export async function ensureDemoPhones(dataSource: DataSource): Promise<number> {
  const teams = await dataSource.query<{ id: string }[]>(`SELECT id FROM teams WHERE abbreviation = ANY ($1) AND NOT hidden`, [DEMO_TEAMS]);
  return dataSource.transaction(async (m) => {
    for (const phone of DEMO_PHONES) {
      const token = phone.platform === 'ios' ? randomBytes(32).toString('hex') : `demo-fcm-${randomBytes(24).toString('base64url')}`;
      await m.query(
        `INSERT INTO devices (id, platform, locale, push_token, key_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET push_token = EXCLUDED.push_token, push_token_invalid_at = NULL`,
        [phone.id, phone.platform, phone.locale, token, randomBytes(32).toString('hex')],
      );
      for (const team of teams) {
        await m.query(
          `INSERT INTO device_subscriptions (device_id, target_kind, target_id) VALUES ($1, 'team', $2) ON CONFLICT (device_id, target_kind, target_id) DO NOTHING`,
          [phone.id, team.id],
        );
      }
    }
    return DEMO_PHONES.length;
  });
}
