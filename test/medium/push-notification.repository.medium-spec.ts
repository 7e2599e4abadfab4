import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { deviceRange } from '../../apps/pusher/src/delivery/device-buckets.js';
import { PushNotificationRepository, type SendingNotification } from '../../apps/pusher/src/notifications/push-notification.repository.js';
import { insertFollower } from '../factories/device.factory.js';
import { insertLiveMatch, insertMatch, insertMatchEvent, type LiveMatch } from '../factories/hockey.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The pusher's SQL against a real PostgreSQL: planning, the sent-log's claims, token pruning. */
describe('PushNotificationRepository', () => {
  let database: TestDatabase;
  let db: DataSource;
  let repository: PushNotificationRepository;
  let live: LiveMatch;
  let position = 0;

  const plan = (planned: Parameters<PushNotificationRepository['plan']>[0]) => repository.plan(planned, 5000, { epoch: 'e1', position: ++position });
  const goalOf = async (matchId: unknown) => {
    const event = await insertMatchEvent(db, { match_id: matchId, type: 'goal', home_score: 1, away_score: 0 });
    return { sourceType: 'match_event' as const, sourceId: event.id as string, kind: 'goal' as const, matchId: matchId as string, committedAt: new Date() };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    repository = new PushNotificationRepository(db);
    live = await insertLiveMatch(db);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('plans a live match’s goal once, held for the hold-back, and stores the feed position with it', async () => {
    const goal = await goalOf(live.match.id);
    const [scheduled] = await plan([goal]);
    expect(scheduled.kind).toBe('goal');
    expect(scheduled.sendAfter.getTime() - goal.committedAt.getTime()).toBe(5000);
    // The same batch read again (a crash before the position moved on) plans nothing new.
    expect(await plan([goal])).toEqual([]);
    expect(await repository.feedPosition()).toEqual({ epoch: 'e1', position });
    expect(await db.query(`SELECT status FROM push_notifications WHERE source_id = $1`, [goal.sourceId])).toEqual([{ status: 'held' }]);
  });

  it('plans nothing for a match not followed live (a seeded or back-filled game), nor its final score', async () => {
    const finished = await insertMatch(db, { season_id: live.match.season_id, home_team_id: live.homeTeam.id, away_team_id: live.awayTeam.id, status: 'finished', starts_at: '2024-10-08T02:00:00Z' });
    const goal = await goalOf(finished.id);
    const final = { sourceType: 'match' as const, sourceId: finished.id as string, kind: 'final' as const, matchId: finished.id as string, committedAt: new Date() };
    expect(await plan([goal, final])).toEqual([]);
    // The live match had a goal pushed: its final score is planned.
    const liveFinal = { ...final, sourceId: live.match.id as string, matchId: live.match.id as string };
    expect((await plan([liveFinal])).map((n) => n.kind)).toEqual(['final']);
  });

  it('plans a goal entered before the puck drop was marked (a scheduled match), not one of a postponed match', async () => {
    const teams = { season_id: live.match.season_id, home_team_id: live.homeTeam.id, away_team_id: live.awayTeam.id, starts_at: new Date().toISOString() };
    const scheduled = await insertMatch(db, { ...teams, status: 'scheduled' });
    const postponed = await insertMatch(db, { ...teams, status: 'postponed' });
    expect((await plan([await goalOf(scheduled.id)])).map((n) => n.kind)).toEqual(['goal']);
    expect(await plan([await goalOf(postponed.id)])).toEqual([]);
  });

  describe('claims in the sent-log', () => {
    let notification: SendingNotification;
    let followers: Awaited<ReturnType<typeof insertFollower>>[];
    /** In the audience (its size sizes the fan-out), but never claimed. */
    let withoutLiveToken: Awaited<ReturnType<typeof insertFollower>>[];

    beforeAll(async () => {
      const [scheduled] = await plan([await goalOf(live.match.id)]);
      const teamFan = await insertFollower(db, [{ kind: 'team', id: live.homeTeam.id }]);
      const matchFan = await insertFollower(db, [{ kind: 'match', id: live.match.id }], { platform: 'android' });
      const both = await insertFollower(db, [{ kind: 'match', id: live.match.id }, { kind: 'team', id: live.awayTeam.id }]);
      followers = [teamFan, matchFan, both];
      // Not claimed: following for penalties only, without a token, with a dead token, following another team.
      await insertFollower(db, [{ kind: 'team', id: live.homeTeam.id }], { kinds: ['penalty'] });
      const tokenless = await insertFollower(db, [{ kind: 'team', id: live.homeTeam.id }], { pushToken: null });
      const dead = await insertFollower(db, [{ kind: 'team', id: live.homeTeam.id }]);
      withoutLiveToken = [tokenless, dead];
      await db.query('UPDATE devices SET push_token_invalid_at = now() WHERE id = $1', [dead.id]);
      const other = await insertLiveMatch(db);
      await insertFollower(db, [{ kind: 'team', id: other.homeTeam.id }]);
      await db.query(`UPDATE push_notifications SET status = 'sending', texts = '{"en":{"title":"t","body":"b"}}', buckets = 1 WHERE id = $1`, [scheduled.id]);
      notification = (await repository.sending(scheduled.id))!;
    });

    it('claims each follower of the match or its teams once, for the kind they follow, with a live token', async () => {
      expect(await repository.countAudience(notification.audience)).toBe(followers.length + withoutLiveToken.length);
      const claimed = await repository.claim(notification, deviceRange(0, 1));
      expect(claimed.map((d) => d.deviceId).sort()).toEqual(followers.map((f) => f.id).sort());
      expect(claimed.find((d) => d.deviceId === followers[1].id)).toMatchObject({ platform: 'android', pushToken: followers[1].pushToken });
      // Claimed and sent, or claimed and refused for good: never claimed again.
      await repository.recordOutcomes(notification.id, [
        { deviceId: followers[0].id, status: 'sent', providerId: 'apns-1' },
        { deviceId: followers[1].id, status: 'rejected', error: 'PayloadTooLarge' },
        { deviceId: followers[2].id, status: 'retry', error: 'TooManyRequests' },
      ]);
      const again = await repository.claim(notification, deviceRange(0, 1));
      expect(again.map((d) => d.deviceId)).toEqual([followers[2].id]);
      expect(await db.query('SELECT attempts FROM push_deliveries WHERE notification_id = $1 AND device_id = $2', [notification.id, followers[2].id])).toEqual([{ attempts: 2 }]);
    });

    it('splits the audience between buckets without overlap', async () => {
      const [other] = await plan([await goalOf(live.match.id)]);
      await db.query(`UPDATE push_notifications SET status = 'sending', texts = '{"en":{"title":"t","body":"b"}}', buckets = 4 WHERE id = $1`, [other.id]);
      const sending = (await repository.sending(other.id))!;
      const claims = await Promise.all([0, 1, 2, 3].map((bucket) => repository.claim(sending, deviceRange(bucket, 4))));
      expect(claims.flat().map((d) => d.deviceId).sort()).toEqual(followers.map((f) => f.id).sort());
    });

    it('prunes a dead token, unless the device has registered a new one since', async () => {
      const renewed = followers[1];
      await db.query('UPDATE devices SET push_token = $2 WHERE id = $1', [renewed.id, 'fcm-new-token']);
      const pruned = await repository.pruneTokens([
        { deviceId: followers[0].id, pushToken: followers[0].pushToken! },
        { deviceId: renewed.id, pushToken: renewed.pushToken! },
      ]);
      expect(pruned).toBe(1);
      const rows = await db.query('SELECT id, push_token_invalid_at IS NOT NULL AS invalid FROM devices WHERE id = ANY ($1) ORDER BY id', [[followers[0].id, renewed.id]]);
      expect(Object.fromEntries(rows.map((r: { id: string; invalid: boolean }) => [r.id, r.invalid]))).toEqual({ [followers[0].id]: true, [renewed.id]: false });
    });

    it('marks the notification sent when its last bucket finishes, once', async () => {
      expect(await repository.finishBucket(notification.id, 0)).toBe(true);
      expect(await repository.finishBucket(notification.id, 0)).toBe(false);
      expect(await db.query('SELECT status, buckets_done FROM push_notifications WHERE id = $1', [notification.id])).toEqual([{ status: 'sent', buckets_done: [0] }]);
    });
  });

  it('deletes finished notifications older than the retention with their sent-log, and keeps recent or unfinished ones', async () => {
    const old = async (status: string) => {
      const [scheduled] = await plan([await goalOf(live.match.id)]);
      await db.query(`UPDATE push_notifications SET status = $2, created_at = now() - interval '31 days' WHERE id = $1`, [scheduled.id, status]);
      return scheduled.id;
    };
    const [oldSent, oldCancelled, oldHeld] = [await old('sent'), await old('cancelled'), await old('held')];
    const device = await insertFollower(db, [{ kind: 'team', id: live.homeTeam.id }]);
    await db.query(`INSERT INTO push_deliveries (notification_id, device_id, status) VALUES ($1, $2, 'sent')`, [oldSent, device.id]);
    const [recent] = await plan([await goalOf(live.match.id)]);
    await db.query(`UPDATE push_notifications SET status = 'sent' WHERE id = $1`, [recent.id]);

    expect(await repository.pruneFinished(30)).toBe(2);
    const left = (await db.query('SELECT id FROM push_notifications WHERE id = ANY ($1)', [[oldSent, oldCancelled, oldHeld, recent.id]])).map((row: { id: string }) => row.id);
    expect(left.sort()).toEqual([oldHeld, recent.id].sort());
    expect(await db.query('SELECT 1 FROM push_deliveries WHERE notification_id = $1', [oldSent])).toEqual([]);
  });
});
