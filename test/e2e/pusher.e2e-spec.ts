import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { type ApnsFake, startApnsFake } from '../../tools/push-fakes/src/apns-fake.server.js';
import { type FcmFake, startFcmFake } from '../../tools/push-fakes/src/fcm-fake.server.js';
import { pusherSettingsForFakes } from '../../tools/push-fakes/src/pusher-settings.js';
import { insertFollower } from '../factories/device.factory.js';
import { insertLiveMatch, insertMatchEvent, type LiveMatch } from '../factories/hockey.factory.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const KEY_ID = 'PUSHKEY001';
const TEAM_ID = 'TEAM000001';
const TOPIC = 'com.example.faceoff';
const HOLD_BACK_MS = 1500;

type Follower = Awaited<ReturnType<typeof insertFollower>>;

/**
 * The pusher as it runs: a built app following the change feed of a real
 * PostgreSQL, sending through the APNs and FCM fakes over HTTP/2 + TLS.
 */
describe('pusher', () => {
  let database: TestDatabase;
  let db: DataSource;
  let apns: ApnsFake;
  let fcm: FcmFake;
  let pusher: AppProcess;
  let live: LiveMatch;
  let workDir: string;
  let env: Record<string, string>;
  // The small audience (the crowd's goals reach some of them too).
  let iosFan: Follower;
  let iosFrench: Follower;
  let androidFan: Follower;
  let androidBoth: Follower;
  let penaltiesOnly: Follower;
  let otherTeamFan: Follower;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  const startPusher = (extra: Record<string, string> = {}) => startApp('pusher', { ...env, ...extra });
  /** Deliveries (both fakes) of one notification, by device token. */
  const deliveriesOf = (notificationId: string) => [
    ...apns.deliveries.filter((d) => d.payload.notificationId === notificationId).map((d) => d.token),
    ...fcm.deliveries.filter((d) => (d.message.data as Record<string, string> | undefined)?.notificationId === notificationId).map((d) => d.token),
  ];
  const notificationFor = async (sourceId: unknown, timeoutMs = 10_000): Promise<{ id: string; status: string; cancel_reason: string | null }> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await db.query('SELECT id, status, cancel_reason FROM push_notifications WHERE source_id = $1', [sourceId]);
      if (row && (row.status === 'sent' || row.status === 'cancelled')) return row;
      if (Date.now() > deadline) throw new Error(`notification of ${sourceId} not done: ${JSON.stringify(row)}`);
      await sleep(100);
    }
  };
  const goal = (values: Record<string, unknown> = {}) =>
    insertMatchEvent(db, {
      match_id: live.match.id,
      type: 'goal',
      team_id: live.homeTeam.id,
      primary_person_id: live.players.home[0].personId,
      assist1_person_id: live.players.home[1].personId,
      period: 2,
      clock_seconds: 725,
      strength: 'pp',
      home_score: 1,
      away_score: 0,
      ...values,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    live = await insertLiveMatch(db, { homeTeam: { abbreviation: 'SEA', name: 'Seattle Kraken' }, awayTeam: { abbreviation: 'STL', name: 'St. Louis Blues' } });
    apns = await startApnsFake({ keys: { [KEY_ID]: publicKey }, teamId: TEAM_ID, topic: TOPIC });
    fcm = await startFcmFake();
    workDir = await mkdtemp(join(tmpdir(), 'faceoff-pusher-'));
    env = {
      DATABASE_URL: database.url,
      ...(await pusherSettingsForFakes(apns, fcm, { keyId: KEY_ID, teamId: TEAM_ID, topic: TOPIC, privateKey }, join(workDir, 'fakes-ca.pem'))),
      PUSH_HOLD_BACK_MS: String(HOLD_BACK_MS),
      PUSH_BATCH_SIZE: '100',
    };
    pusher = await startPusher();
  });

  afterAll(async () => {
    await pusher?.stop();
    await apns?.close();
    await fcm?.close();
    await database?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  describe('a small audience', () => {

    beforeAll(async () => {
      const other = await insertLiveMatch(db);
      iosFan = await insertFollower(db, [{ kind: 'team', id: live.homeTeam.id }], { platform: 'ios', locale: 'en-US' });
      iosFrench = await insertFollower(db, [{ kind: 'match', id: live.match.id }], { platform: 'ios', locale: 'fr-CA' });
      androidFan = await insertFollower(db, [{ kind: 'team', id: live.awayTeam.id }], { platform: 'android', locale: 'de-DE' });
      androidBoth = await insertFollower(db, [{ kind: 'match', id: live.match.id }, { kind: 'team', id: live.homeTeam.id }], { platform: 'android', locale: 'fr-FR' });
      penaltiesOnly = await insertFollower(db, [{ kind: 'team', id: live.homeTeam.id }], { platform: 'ios', kinds: ['penalty'] });
      otherTeamFan = await insertFollower(db, [{ kind: 'team', id: other.homeTeam.id }], { platform: 'android' });
    });

    it('takes a goal to exactly its subscribed iOS and Android devices, once each, with APNs headers, a valid JWT and localized texts', async () => {
      const event = await goal();
      const notification = await notificationFor(event.id);
      expect(notification.status).toBe('sent');
      await sleep(300); // anything extra would arrive now
      const tokens = deliveriesOf(notification.id);
      expect(tokens.sort()).toEqual([iosFan, iosFrench, androidFan, androidBoth].map((f) => f.pushToken).sort());
      expect(tokens).not.toContain(penaltiesOnly.pushToken);
      expect(tokens).not.toContain(otherTeamFan.pushToken);

      const toIos = apns.deliveries.filter((d) => d.payload.notificationId === notification.id);
      for (const delivery of toIos) {
        expect(delivery.headers).toMatchObject({ 'apns-topic': TOPIC, 'apns-push-type': 'alert', 'apns-priority': '10', 'apns-collapse-id': `match-${live.match.id}` });
        expect(Number(delivery.headers['apns-expiration'])).toBeGreaterThan(Date.now() / 1000);
        expect(delivery.kid).toBe(KEY_ID); // the fake verified its signature with the public key of this kid
      }
      const english = toIos.find((d) => d.token === iosFan.pushToken)!.payload.aps as { alert: { title: string; body: string } };
      const french = toIos.find((d) => d.token === iosFrench.pushToken)!.payload.aps as { alert: { title: string; body: string } };
      expect(english.alert.title).toBe('SEA GOAL! STL 0–1 SEA');
      expect(english.alert.body).toContain(live.players.home[0].fullName);
      expect(french.alert.title).toBe('BUT SEA ! STL 0–1 SEA');

      const toAndroid = fcm.deliveries.filter((d) => (d.message.data as Record<string, string>).notificationId === notification.id);
      expect(toAndroid).toHaveLength(2);
      for (const delivery of toAndroid) expect(delivery.message.android).toMatchObject({ collapse_key: `match-${live.match.id}`, priority: 'HIGH' });
      // German is not a push locale: English.
      expect((toAndroid.find((d) => d.token === androidFan.pushToken)!.message.notification as { title: string }).title).toBe('SEA GOAL! STL 0–1 SEA');

      expect(await db.query(`SELECT status, count(*)::int AS count FROM push_deliveries WHERE notification_id = $1 GROUP BY status`, [notification.id])).toEqual([
        { status: 'sent', count: 4 },
      ]);
    });

    it('sends nothing for a goal hidden within the hold-back', async () => {
      const event = await goal({ home_score: 2 });
      await sleep(200);
      await db.query('UPDATE match_events SET hidden = true WHERE id = $1', [event.id]);
      const notification = await notificationFor(event.id);
      expect(notification).toMatchObject({ status: 'cancelled', cancel_reason: 'event_hidden' });
      expect(deliveriesOf(notification.id)).toEqual([]);
    });

    it('renders a goal re-credited within the hold-back with its new scorer', async () => {
      const event = await goal({ home_score: 2 });
      await db.query('UPDATE match_events SET primary_person_id = $2 WHERE id = $1', [event.id, live.players.home[2].personId]);
      const notification = await notificationFor(event.id);
      const delivery = apns.deliveries.find((d) => d.payload.notificationId === notification.id && d.token === iosFan.pushToken)!;
      expect((delivery.payload.aps as { alert: { body: string } }).alert.body).toContain(live.players.home[2].fullName);
    });

    it('prunes a token APNs answers 410 Unregistered for, and never sends to it again', async () => {
      const requestsFor = () => apns.requests.filter((r) => r.path === `/3/device/${iosFan.pushToken}`).length;
      const before = requestsFor();
      apns.failToken(iosFan.pushToken!, 410, 'Unregistered');
      const first = await notificationFor((await goal({ home_score: 3 })).id);
      expect(apns.requests.filter((r) => r.path === `/3/device/${iosFan.pushToken}` && r.status === 410)).toHaveLength(1);
      const [device] = await db.query('SELECT push_token_invalid_at FROM devices WHERE id = $1', [iosFan.id]);
      expect(device.push_token_invalid_at).not.toBeNull();
      expect(await db.query('SELECT status, error FROM push_deliveries WHERE notification_id = $1 AND device_id = $2', [first.id, iosFan.id])).toEqual([
        { status: 'token_invalid', error: 'Unregistered' },
      ]);
      const second = await notificationFor((await goal({ home_score: 4 })).id);
      expect(deliveriesOf(second.id)).not.toContain(iosFan.pushToken);
      expect(requestsFor()).toBe(before + 1);
    });

    it("waits for FCM's Retry-After on 429 QUOTA_EXCEEDED, then delivers", async () => {
      fcm.failToken(androidFan.pushToken!, 429, 'QUOTA_EXCEEDED', 1, 2);
      const event = await goal({ home_score: 5 });
      const notification = await notificationFor(event.id, 20_000);
      const attempts = fcm.deliveries.filter((d) => d.token === androidFan.pushToken && (d.message.data as Record<string, string>).notificationId === notification.id);
      expect(attempts).toHaveLength(1);
      const [delivery] = await db.query('SELECT status, attempts FROM push_deliveries WHERE notification_id = $1 AND device_id = $2', [notification.id, androidFan.id]);
      expect(delivery).toEqual({ status: 'sent', attempts: 2 });
      const [{ held }] = await db.query(
        `SELECT extract(epoch FROM (sent_at - created_at)) * 1000 AS held FROM push_deliveries WHERE notification_id = $1 AND device_id = $2`,
        [notification.id, androidFan.id],
      );
      expect(Number(held)).toBeGreaterThanOrEqual(2000);
    });

    it("sends an editor's announcement to its audience, in the device's language", async () => {
      const [announcement] = await db.query(
        `INSERT INTO announcements (title, body, title_i18n, audience, match_id) VALUES ('Overtime!', 'Tune in now', '{"fr": "Prolongation !"}', 'match', $1) RETURNING id`,
        [live.match.id],
      );
      const notification = await notificationFor(announcement.id);
      expect(deliveriesOf(notification.id).sort()).toEqual([iosFrench, androidFan, androidBoth, penaltiesOnly].map((f) => f.pushToken).sort());
      const french = apns.deliveries.find((d) => d.payload.notificationId === notification.id && d.token === iosFrench.pushToken)!;
      expect(french.payload.aps).toMatchObject({ alert: { title: 'Prolongation !', body: 'Tune in now' } });
    });

    it('signs one APNs token and reuses it for every request', () => {
      expect(new Set(apns.deliveries.map((d) => d.iat)).size).toBe(1);
    });

    it('counts pushes, failures by reason, pruned tokens and queue depth in /metrics', async () => {
      const metrics = await (await fetch(`${pusher.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/faceoff_push_sent_total\{platform="ios",app="pusher"\} [1-9]/);
      expect(metrics).toMatch(/faceoff_push_sent_total\{platform="android",app="pusher"\} [1-9]/);
      expect(metrics).toMatch(/faceoff_push_failed_total\{platform="ios",reason="Unregistered",app="pusher"\} 1\n/);
      expect(metrics).toMatch(/faceoff_push_failed_total\{platform="android",reason="QUOTA_EXCEEDED",app="pusher"\} 1\n/);
      expect(metrics).toMatch(/faceoff_push_tokens_pruned_total\{platform="ios",app="pusher"\} 1\n/);
      expect(metrics).toMatch(/faceoff_push_commit_to_sent_seconds_count\{app="pusher"\} [1-9]/);
      expect(metrics).toMatch(/faceoff_push_queue_jobs\{state="waiting",app="pusher"\} \d+/);
    });
  });

  describe('a crowd', () => {
    const CROWD = 1500;
    let crowd: { id: string; push_token: string; platform: string }[];

    beforeAll(async () => {
      crowd = await db.query(
        `WITH created AS (
           INSERT INTO devices (platform, push_token, locale, key_hash)
           SELECT CASE WHEN i % 2 = 0 THEN 'ios' ELSE 'android' END,
                  CASE WHEN i % 2 = 0 THEN md5(random()::text) || md5(random()::text) ELSE 'fcm-' || md5(random()::text) END,
                  'en-US', md5(random()::text) || i
             FROM generate_series(1, $1) AS i
           RETURNING id, push_token, platform
         ), followed AS (
           INSERT INTO device_subscriptions (device_id, target_kind, target_id) SELECT id, 'team', $2 FROM created
         )
         SELECT * FROM created`,
        [CROWD, live.awayTeam.id],
      );
    });

    const plannedNotificationId = async (sourceId: unknown): Promise<string> => {
      for (;;) {
        const [row] = await db.query('SELECT id FROM push_notifications WHERE source_id = $1', [sourceId]);
        if (row) return row.id;
        await sleep(50);
      }
    };
    const crowdCounts = (notificationId: string) => {
      const counts = new Map<string, number>();
      for (const token of deliveriesOf(notificationId)) counts.set(token, (counts.get(token) ?? 0) + 1);
      return counts;
    };

    it('delivers to everyone when APNs and FCM send GOAWAY mid-burst, none twice', async () => {
      apns.goAwayAfter(200);
      fcm.goAwayAfter(200);
      const event = await goal({ team_id: live.awayTeam.id, home_score: 5, away_score: 1 });
      const notification = await notificationFor(event.id, 30_000);
      const counts = crowdCounts(notification.id);
      for (const device of crowd) expect([device.push_token, counts.get(device.push_token)]).toEqual([device.push_token, 1]);
      expect(apns.goAwaysSent).toBeGreaterThanOrEqual(1);
      expect(fcm.goAwaysSent).toBeGreaterThanOrEqual(1);
    });

    it('finishes the sends in flight on SIGTERM, and the restarted pusher the rest: every device exactly once', async () => {
      apns.latencyMs = 30;
      fcm.latencyMs = 30;
      const event = await goal({ team_id: live.awayTeam.id, home_score: 5, away_score: 2 });
      const notificationId = await plannedNotificationId(event.id);
      while (deliveriesOf(notificationId).length < CROWD / 4) await sleep(20);
      expect((await pusher.stop('SIGTERM')).code).toBe(0);
      expect(await db.query(`SELECT count(*)::int AS count FROM push_deliveries WHERE notification_id = $1 AND status = 'sending'`, [notificationId])).toEqual([{ count: 0 }]);
      expect(deliveriesOf(notificationId).length).toBeLessThan(CROWD);
      apns.latencyMs = 0;
      fcm.latencyMs = 0;
      pusher = await startPusher();
      await notificationFor(event.id, 60_000);
      const counts = crowdCounts(notificationId);
      for (const device of crowd) expect([device.push_token, counts.get(device.push_token)]).toEqual([device.push_token, 1]);
    }, 120_000);

    it('notifies every device once when the pusher is killed mid-fan-out and restarted (a send in flight at the kill may be repeated, with the same apns-id)', async () => {
      apns.latencyMs = 30;
      fcm.latencyMs = 30;
      const event = await goal({ team_id: live.awayTeam.id, home_score: 5, away_score: 3 });
      const notificationId = await plannedNotificationId(event.id);
      while (deliveriesOf(notificationId).length < CROWD / 4) await sleep(20);
      await pusher.stop('SIGKILL');
      const inFlight = new Set<string>(
        (await db.query(`SELECT d.push_token FROM push_deliveries p JOIN devices d ON d.id = p.device_id WHERE p.notification_id = $1 AND p.status = 'sending'`, [notificationId])).map(
          (row: { push_token: string }) => row.push_token,
        ),
      );
      const beforeRestart = deliveriesOf(notificationId).length;
      expect(beforeRestart).toBeLessThan(CROWD + 2); // it was cut short
      apns.latencyMs = 0;
      fcm.latencyMs = 0;
      pusher = await startPusher();
      const notification = await notificationFor(event.id, 60_000);
      expect(notification.status).toBe('sent');
      const counts = crowdCounts(notificationId);
      const repeated = [...counts].filter(([, count]) => count > 1).map(([token]) => token);
      for (const device of crowd) expect(counts.get(device.push_token) ?? 0).toBeGreaterThanOrEqual(1);
      for (const token of repeated) expect(inFlight.has(token)).toBe(true);
      expect(repeated.length).toBeLessThanOrEqual(inFlight.size);
      const apnsIds = new Map<string, Set<string>>();
      for (const d of apns.deliveries.filter((x) => x.payload.notificationId === notificationId)) apnsIds.set(d.token, (apnsIds.get(d.token) ?? new Set()).add(d.apnsId));
      for (const ids of apnsIds.values()) expect(ids.size).toBe(1);
      // The crowd, and the small audience's followers of this match or of the away team (iosFan's token was pruned).
      const smallAudienceFollowers = [iosFrench, androidFan, androidBoth];
      expect(await db.query(`SELECT status, count(*)::int AS count FROM push_deliveries WHERE notification_id = $1 GROUP BY status`, [notificationId])).toEqual([
        { status: 'sent', count: CROWD + smallAudienceFollowers.length },
      ]);
    }, 120_000);
  });
});
