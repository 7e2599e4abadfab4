/**
 * How long imports take: a whole game (play-by-play and boxscore, through the
 * local provider over HTTP, parsed and written in one transaction each) and a
 * season's schedule (the real week of 2025-10-07, repeated as 27 weeks of
 * distinct games: 1,296 games, about an NHL regular season).
 *
 * Baseline and feed measured in the same run, alternating: the same imports
 * into a database without the change feed's triggers (`baseline`) and with
 * them (`feed`).
 *
 *   npm run bench:import                                   # embedded PostgreSQL
 *   BENCH_DATABASE_URL=postgres://... npm run bench:import # a server of yours
 *
 * Env: BENCH_ROUNDS (3).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../libs/config/src/index.js';
import { createDataSource } from '../libs/db/src/data-source.js';
import { ImportRepository } from '../apps/importer/src/import/import.repository.js';
import { ImportWriter } from '../apps/importer/src/import/import-writer.service.js';
import { ImportMetrics } from '../apps/importer/src/import.metrics.js';
import { parseNhlSchedule } from '../apps/importer/src/provider/nhl/nhl-schedule.parser.js';
import { NhlStatsProvider } from '../apps/importer/src/provider/nhl/nhl.stats-provider.js';
import { FetchProviderHttpClient } from '../apps/importer/src/provider/provider-http.client.js';
import type { ScheduleSnapshot } from '../apps/importer/src/provider/stats-provider.js';
import { startProviderServer } from '../tools/provider-server/src/provider-server.js';
import { median, withBenchDatabases } from './bench-databases.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Games with a saved play-by-play and boxscore, and the statsapi game (both in one response). */
const GAMES = ['2023020499', '2023020510', '2022030236'];
const WEEKS = 27;
const WEEK_MS = 7 * 86_400_000;

/** The saved week again `week` weeks later, with game ids of its own. */
function shiftedWeek(week: ScheduleSnapshot, by: number): ScheduleSnapshot {
  return {
    ...week,
    games: week.games.map((game) => ({
      ...game,
      externalId: String(Number(game.externalId) + by * 1000),
      startsAt: new Date(Date.parse(game.startsAt) + by * WEEK_MS).toISOString(),
      status: 'scheduled',
    })),
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const provider = await startProviderServer();
  const week = parseNhlSchedule(JSON.parse(readFileSync('data/nhl/schedule-2025-10-07.json', 'utf8')), { path: '/v1/schedule/2025-10-07', readAt: new Date().toISOString() });
  try {
    await withBenchDatabases(async () => undefined, async (urls) => {
      console.log(`load:    ${ROUNDS} rounds per variant, baseline and feed alternating, each round on an emptied database`);
      const stats = { game: { baseline: [] as number[], feed: [] as number[] }, again: { baseline: [] as number[], feed: [] as number[] }, season: { baseline: [] as number[], feed: [] as number[] } };
      for (let round = 0; round < ROUNDS; round++) {
        for (const variant of ['baseline', 'feed'] as const) {
          const config = loadConfig({ DATABASE_URL: urls[variant], PROVIDER_BASE_URL: provider.url });
          const dataSource = await createDataSource({ url: urls[variant], poolSize: 4 }).initialize();
          // The feed refuses TRUNCATE (rows are only hidden); replica mode skips that trigger for this reset.
          await dataSource.transaction(async (m) => {
            await m.query('SET LOCAL session_replication_role = replica');
            await m.query(`TRUNCATE tournaments, seasons, stages, arenas, teams, persons, roster_entries, matches, match_events, lineups,
              standings, team_match_stats, player_match_stats, editor_owned_fields, sync_change CASCADE`);
          });
          const nhl = new NhlStatsProvider(new FetchProviderHttpClient(config, new ImportMetrics()));
          const writer = new ImportWriter(new ImportRepository(dataSource.manager));
          const games = async () => {
            for (const id of GAMES) {
              await writer.importGame(await nhl.game(id));
              await writer.importBoxscore(await nhl.boxscore(id));
            }
          };
          stats.game[variant].push((await timed(games)) / GAMES.length);
          stats.again[variant].push((await timed(games)) / GAMES.length);
          stats.season[variant].push(await timed(async () => {
            for (let by = 1; by <= WEEKS; by++) await writer.importSchedule(shiftedWeek(week, by));
          }));
          await dataSource.destroy();
        }
        console.log(`  round ${round + 1}: game ${stats.game.baseline[round].toFixed(3)} / ${stats.game.feed[round].toFixed(3)} s, season ${stats.season.baseline[round].toFixed(2)} / ${stats.season.feed[round].toFixed(2)} s (baseline / feed)`);
      }
      const line = (label: string, values: { baseline: number[]; feed: number[] }, unit: string) =>
        console.log(`${label.padEnd(44)} baseline ${median(values.baseline).toFixed(3)} ${unit}, feed ${median(values.feed).toFixed(3)} ${unit} (${(median(values.feed) / median(values.baseline)).toFixed(2)}x)`);
      console.log('\nmedians:');
      line('a whole game, first import (pbp + boxscore)', stats.game, 's');
      line('the same game again (no change)', stats.again, 's');
      line(`a season's schedule (${WEEKS} weeks, ${WEEKS * week.games.length} games)`, stats.season, 's');
    });
  } finally {
    await provider.close();
  }
}

await main();
