import { describe, expect, it } from '@jest/globals';
import type { FeedChange } from '@app/change-feed';
import { planNotifications } from './notification-planner.js';

const change = (type: string, id: string, data: Record<string, unknown>, committedAt = 1_795_600_000_000): FeedChange => ({ position: 1, type, id, committedAt, data });

describe('planNotifications', () => {
  it('plans goals, penalties, period starts and ends, final scores and video moments', () => {
    const planned = planNotifications([
      change('match_event', 'e1', { type: 'goal', match_id: 'm1', hidden: false }),
      change('match_event', 'e2', { type: 'penalty', match_id: 'm1', hidden: false }),
      change('match_event', 'e3', { type: 'period_start', match_id: 'm1', hidden: false }),
      change('match_event', 'e4', { type: 'period_end', match_id: 'm1', hidden: false }),
      change('match', 'm1', { status: 'finished', hidden: false }),
      change('video_moment', 'v1', { match_id: 'm1', hidden: false }),
    ]);
    expect(planned.map((p) => [p.sourceType, p.sourceId, p.kind, p.matchId])).toEqual([
      ['match_event', 'e1', 'goal', 'm1'],
      ['match_event', 'e2', 'penalty', 'm1'],
      ['match_event', 'e3', 'period_start', 'm1'],
      ['match_event', 'e4', 'period_end', 'm1'],
      ['match', 'm1', 'final', 'm1'],
      ['video_moment', 'v1', 'video', 'm1'],
    ]);
    expect(planned[0].committedAt).toEqual(new Date(1_795_600_000_000));
  });

  it('ignores hidden records, other event types, matches not finished and other record types', () => {
    expect(
      planNotifications([
        change('match_event', 'e1', { type: 'goal', match_id: 'm1', hidden: true }),
        change('match_event', 'e2', { type: 'shot', match_id: 'm1', hidden: false }),
        change('match', 'm1', { status: 'live', hidden: false }),
        change('match', 'm2', { status: 'finished', hidden: true }),
        change('video_moment', 'v1', { match_id: 'm1', hidden: true }),
        change('team', 't1', { name: 'Seattle Kraken' }),
      ]),
    ).toEqual([]);
  });
});
