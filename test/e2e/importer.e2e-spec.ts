import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { type ProviderServer, startProviderServer } from '../../tools/provider-server/src/provider-server.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { openStream } from '../support/sse-stream.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The statsapi-format playoff game with real wall-clock times: replayed live. */
const LIVE_GAME = '2022030236';
const LIVE_GAME_FILE = 'data/nhl/20230513-DAL-vs-SEA-2022030236.json';
/** A final 2023-24 game (play-by-play and boxscore saved), imported with provider trouble on the way. */
const FINAL_GAME = '2023020499';
/** A game whose play-by-play comes back cut in half until the fault is lifted. */
const BROKEN_GAME = '2023020510';

interface StatsPlay {
  result: { eventTypeId: string };
  about: { period: number; periodType: string };
}
interface FeedLive {
  liveData: { plays: { allPlays: StatsPlay[] }; linescore: { teams: { home: { goals: number }; away: { goals: number } } } };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await sleep(100);
  }
}

/**
 * The importer as it runs: the built worker against the local provider
 * server (real HTTP), BullMQ on PostgreSQL, the API following the feed.
 */
describe('importer against the local provider', () => {
  let database: TestDatabase;
  let db: DataSource;
  let provider: ProviderServer;
  let api: AppProcess;
  let importer: AppProcess;
  const expected = JSON.parse(readFileSync(LIVE_GAME_FILE, 'utf8')) as FeedLive;

  const matchOf = async (gameId: string) =>
    (await db.query(`SELECT id, status, home_score, away_score FROM matches WHERE source = 'nhl' AND external_id = $1`, [gameId]))[0] as
      | { id: string; status: string; home_score: number; away_score: number }
      | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    provider = await startProviderServer();
    // Trouble, then success: the final game's play-by-play fails twice (503: its next polls succeed), its
    // boxscore job fails once (503: retried after a backoff), then is told to slow down (429: waits, no attempt spent).
    provider.faults.add([
      { path: `/v1/gamecenter/${FINAL_GAME}/play-by-play`, status: 503, times: 2 },
      { path: `/v1/gamecenter/${FINAL_GAME}/boxscore`, status: 503, times: 1 },
      { path: `/v1/gamecenter/${FINAL_GAME}/boxscore`, retryAfter: 1, times: 1 },
      { path: `/v1/gamecenter/${BROKEN_GAME}/play-by-play`, malformed: true },
    ]);
    api = await startApp('api', { DATABASE_URL: database.url, LIVE_HEARTBEAT_MS: '1000' });
  });

  afterAll(async () => {
    await importer?.stop();
    await api?.stop();
    await provider?.close();
    await database?.drop();
  });

  it('imports a replayed live game as it grows; the feed carries its events in order and the final score', async () => {
    const [{ head }] = await db.query(`SELECT sync_current_epoch() || '-' || coalesce(max(cursor), 0) AS head FROM sync_change`);
    const stream = await openStream(`${api.baseUrl}/v1/live?types=match,match_event&since=${head}`);
    // About 20 s for the whole game, intermissions included.
    provider.replay.start(Number(LIVE_GAME), { speed: 600 });
    importer = await startApp('importer', {
      DATABASE_URL: database.url,
      PROVIDER_BASE_URL: provider.url,
      IMPORT_WATCH_GAMES: `${LIVE_GAME},${FINAL_GAME},${BROKEN_GAME}`,
      IMPORT_LIVE_POLL_MS: '300',
    });
    try {
      const match = await eventually(() => matchOf(LIVE_GAME), (row) => row?.status === 'finished', 45_000, 'the live game final');
      const goals = expected.liveData.plays.allPlays.filter((play) => play.result.eventTypeId === 'GOAL' && play.about.periodType !== 'SHOOTOUT');
      expect({ home: match!.home_score, away: match!.away_score }).toEqual({
        home: expected.liveData.linescore.teams.home.goals,
        away: expected.liveData.linescore.teams.away.goals,
      });
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM match_events WHERE match_id = $1 AND type = 'goal' AND NOT hidden`, [match!.id]);
      expect(count).toBe(goals.length);

      const events = await db.query(`SELECT id FROM match_events WHERE match_id = $1 AND NOT hidden`, [match!.id]);
      await stream.until((s) => new Set(s.changes.filter((frame) => frame.event === 'match_event').map((frame) => JSON.parse(frame.data).id)).size >= events.length, 10_000);
      // Event by event: each event's first frame comes in the game's order...
      const firstSeen: number[] = [];
      const seen = new Set<string>();
      for (const frame of stream.changes.filter((change) => change.event === 'match_event')) {
        const data = JSON.parse(frame.data) as { id: string; sort_order: number; match_id: string };
        if (data.match_id !== match!.id || seen.has(data.id)) continue;
        seen.add(data.id);
        firstSeen.push(data.sort_order);
      }
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
      // ...and the score reached the phones goal by goal, not as one final result.
      const scores = stream.changes
        .filter((frame) => frame.event === 'match' && JSON.parse(frame.data).id === match!.id)
        .map((frame) => JSON.parse(frame.data) as { home_score: number; away_score: number })
        .map((row) => row.home_score + row.away_score);
      expect(new Set(scores).size).toBeGreaterThan(goals.length / 2);
      expect(scores.at(-1)).toBe(goals.length);
    } finally {
      stream.close();
    }
  });

  it('retries a provider that answers 503 and 429, then imports the game and its boxscore', async () => {
    const match = await eventually(() => matchOf(FINAL_GAME), (row) => row?.status === 'finished', 30_000, 'the final game imported');
    await eventually(
      async () => (await db.query('SELECT count(*)::int AS count FROM team_match_stats WHERE match_id = $1', [match!.id]))[0].count as number,
      (count) => count === 2,
      30_000,
      'its boxscore imported',
    );
    expect(provider.faults.list().filter((fault) => fault.path.includes(FINAL_GAME))).toEqual([]);
    expect(importer.output()).toMatch(/failed, will retry/);
  });

  it('fails a poll that gets a malformed body with a clear log line and writes nothing of it, then imports once the provider heals', async () => {
    await eventually(async () => importer.output(), (output) => output.includes(`/v1/gamecenter/${BROKEN_GAME}/play-by-play: malformed JSON`), 10_000, 'the failure logged');
    expect(await matchOf(BROKEN_GAME)).toBeUndefined();
    provider.faults.clear();
    const match = await eventually(() => matchOf(BROKEN_GAME), (row) => row?.status === 'finished', 15_000, 'the healed game imported');
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM match_events WHERE match_id = $1`, [match!.id]);
    expect(count).toBeGreaterThan(0);
  });
});

