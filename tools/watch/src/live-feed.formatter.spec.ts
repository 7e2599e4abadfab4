import { beforeEach, describe, expect, it } from '@jest/globals';
import { MemoryStore, type SyncChange, type SyncRecord } from '@app/client';
import { LiveFeedFormatter } from './live-feed.formatter.js';

let position = 0;
function change(type: string, data: { id: string; [column: string]: unknown }): SyncChange {
  position += 1;
  return { cursor: `e1-${position}`, type, id: data.id, data: { hidden: false, ...data } as SyncRecord };
}

const match = { id: 'm1', home_team_id: 'sea', away_team_id: 'min', home_score: 1, away_score: 1, status: 'live', game_type: 'regular' };
const goal = {
  id: 'g1',
  match_id: 'm1',
  type: 'goal',
  period: 2,
  clock_seconds: 754,
  team_id: 'sea',
  primary_person_id: 'p1',
  assist1_person_id: 'p2',
  assist2_person_id: null,
  strength: 'pp',
  home_score: 2,
  away_score: 1,
};

describe('LiveFeedFormatter', () => {
  let store: MemoryStore;
  let formatter: LiveFeedFormatter;

  beforeEach(async () => {
    store = new MemoryStore();
    const mirrored = [
      change('team', { id: 'sea', name: 'Seattle Kraken', abbreviation: 'SEA' }),
      change('team', { id: 'min', name: 'Minnesota Wild', abbreviation: 'MIN' }),
      change('person', { id: 'p1', full_name: 'Jared McCann' }),
      change('person', { id: 'p2', full_name: 'Matty Beniers' }),
      change('match', match),
    ];
    await store.apply(mirrored, mirrored[mirrored.length - 1].cursor);
    formatter = new LiveFeedFormatter(store);
    await formatter.rememberMatches();
  });

  it('counts the mirrored records per type', async () => {
    expect(await formatter.summary('e1-5')).toBe('caught up at e1-5: 1 match, 2 person, 2 team');
  });

  it('tells a goal with names, the score after it and the strength', async () => {
    expect(await formatter.describe(change('match_event', goal))).toBe(
      '[SEA 2-1 MIN] P2 12:34 GOAL Jared McCann (SEA), assists: Matty Beniers (pp)',
    );
    expect(await formatter.describe(change('match_event', { ...goal, hidden: true, assist1_person_id: null, strength: 'ev' }))).toBe(
      '[SEA 2-1 MIN] P2 12:34 removed: GOAL Jared McCann (SEA), unassisted',
    );
  });

  it('tells a penalty with its minutes and infraction, and the ends of periods', async () => {
    const penalty = {
      id: 'x1',
      match_id: 'm1',
      type: 'penalty',
      period: 4,
      clock_seconds: 65,
      team_id: 'sea',
      primary_person_id: 'p1',
      infraction: 'high-sticking',
      penalty_minutes: 4,
    };
    expect(await formatter.describe(change('match_event', penalty))).toBe(
      '[SEA 1-1 MIN] OT 01:05 PENALTY Jared McCann (SEA) 4 min, high sticking',
    );
    expect(await formatter.describe(change('match_event', { id: 'x2', match_id: 'm1', type: 'period_end', period: 3 }))).toBe(
      '[SEA 1-1 MIN] P3 period ends',
    );
    expect(await formatter.describe(change('match_event', { id: 'x3', match_id: 'm1', type: 'faceoff', period: 3 }))).toBeUndefined();
  });

  it('tells what changed in a match since it was last seen', async () => {
    const scored = { ...match, home_score: 2 };
    const finished = { ...scored, status: 'finished' };
    expect(await formatter.describe(change('match', scored))).toBe('[SEA 2-1 MIN] score 2-1 (was 1-1)');
    expect(await formatter.describe(change('match', finished))).toBe('[SEA 2-1 MIN] live → finished');
    expect(await formatter.describe(change('match', { ...finished, attendance: 17151 }))).toBeUndefined();
  });
});
