import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  DEMO_FILES,
  readDemoFile,
  seedDemoData,
  type NhlGame,
  type NhlSchedule,
  type NhlStandings,
} from '../../tools/stack/src/demo-seed.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Every expectation comes from the files the seed reads, never from figures typed here.
const playedGames = DEMO_FILES.playByPlay.map((file) => ({ file, game: readDemoFile<NhlGame>(file) }));
const scheduleGames = (readDemoFile<NhlSchedule>(DEMO_FILES.schedule).gameWeek ?? []).flatMap((day) => day.games ?? []);
const standings = readDemoFile<NhlStandings>(DEMO_FILES.standings).standings ?? [];

const allGames = [...scheduleGames, ...playedGames.map(({ game }) => game)];
const teamAbbrevs = new Set([
  ...standings.map((row) => row.teamAbbrev?.default),
  ...allGames.flatMap((game) => [game.homeTeam?.abbrev, game.awayTeam?.abbrev]),
]);
const gameIds = new Set(allGames.map((game) => game.id));

const playsOf = (game: NhlGame, typeDescKey: string) => (game.plays ?? []).filter((play) => play.typeDescKey === typeDescKey);
const inShootout = (play: { periodDescriptor?: { periodType?: string } }) => play.periodDescriptor?.periodType === 'SO';

describe('seedDemoData', () => {
  let database: TestDatabase;
  let db: DataSource;
  let summary: string | undefined;

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params))[0].count);
  const eventCount = (gameId: number | undefined, type: string) =>
    count(
      `SELECT count(*) FROM match_events e JOIN matches m ON m.id = e.match_id
        WHERE m.source = 'nhl' AND m.external_id = $1 AND e.type = $2`,
      [String(gameId), type],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    summary = await seedDemoData(db);
  }, 60_000);

  afterAll(async () => {
    await database.drop();
  });

  it('loads every team and every match of the files, and says so', async () => {
    expect(await count(`SELECT count(*) FROM teams WHERE source = 'nhl'`)).toBe(teamAbbrevs.size);
    expect(await count(`SELECT count(*) FROM matches WHERE source = 'nhl'`)).toBe(gameIds.size);
    expect(summary).toContain(`${teamAbbrevs.size} teams`);
    expect(summary).toContain(`${gameIds.size} matches`);
  });

  describe.each(playedGames)('$file', ({ game }) => {
    it('has the final score of the file', async () => {
      const [match] = await db.query(`SELECT status, home_score, away_score FROM matches WHERE source = 'nhl' AND external_id = $1`, [
        String(game.id),
      ]);
      expect(match).toEqual({ status: 'finished', home_score: game.homeTeam?.score, away_score: game.awayTeam?.score });
    });

    it('has its goals, shootout attempts aside, and its penalties', async () => {
      const goals = playsOf(game, 'goal');
      expect(await eventCount(game.id, 'goal')).toBe(goals.filter((play) => !inShootout(play)).length);
      expect(await eventCount(game.id, 'penalty')).toBe(playsOf(game, 'penalty').length);
      const scored = await count(
        `SELECT count(*) FROM match_events e JOIN matches m ON m.id = e.match_id
          WHERE m.external_id = $1 AND e.type = 'shootout_attempt' AND e.shootout_scored`,
        [String(game.id)],
      );
      expect(scored).toBe(goals.filter(inShootout).length);
    });

    it('keeps every play in the order of sortOrder', async () => {
      const events: { external_id: string; sort_order: number }[] = await db.query(
        `SELECT e.external_id, e.sort_order FROM match_events e JOIN matches m ON m.id = e.match_id
          WHERE m.source = 'nhl' AND m.external_id = $1 ORDER BY e.sort_order`,
        [String(game.id)],
      );
      const plays = [...(game.plays ?? [])].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
      expect(events).toEqual(plays.map((play) => ({ external_id: `${game.id}:${play.eventId}`, sort_order: play.sortOrder })));
    });
  });

  it('does nothing the second time: returns undefined and records no change', async () => {
    const changes = await count('SELECT count(*) FROM sync_change');
    const events = await count('SELECT count(*) FROM match_events');
    expect(await seedDemoData(db)).toBeUndefined();
    expect(await count('SELECT count(*) FROM sync_change')).toBe(changes);
    expect(await count('SELECT count(*) FROM match_events')).toBe(events);
  });
});
