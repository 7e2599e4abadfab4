/**
 * `npm run import -- game <id>` · `-- date <yyyy-mm-dd>` · `-- standings [<yyyy-mm-dd>]`
 * Imports at once, without the queue, printing each step as it goes: for
 * backfills, for checking a game by hand, and for timing imports.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, loadConfigOrExit } from '@app/config';
import { DbModule } from '@app/db';
import { ImportCoreModule } from '../import-core.module.js';
import { ImportWriter, type ImportSummary } from '../import/import-writer.service.js';
import { STATS_PROVIDER } from '../jobs/import-runner.service.js';
import { dateOf } from '../jobs/import-scheduler.service.js';
import type { StatsProvider } from '../provider/stats-provider.js';

@Module({ imports: [ConfigModule, DbModule.forRoot('import-cli'), ImportCoreModule] })
class ImportCliModule {}

const USAGE = 'usage: npm run import -- game <id> | date <yyyy-mm-dd> | standings [<yyyy-mm-dd>]';

function rowsText(summary: ImportSummary): string {
  const parts = Object.entries(summary).filter(([, rows]) => rows > 0).map(([change, rows]) => `${rows} ${change}`);
  return parts.length ? parts.join(', ') : 'no change';
}

async function step<T extends ImportSummary>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stdout.write(`${label} … `);
  const summary = await work();
  process.stdout.write(`${rowsText(summary)} (${((performance.now() - started) / 1000).toFixed(2)} s)\n`);
  return summary;
}

const [command, argument] = process.argv.slice(2);
if (!command || !['game', 'date', 'standings'].includes(command) || (command !== 'standings' && !argument)) {
  console.error(USAGE);
  process.exit(2);
}
loadConfigOrExit('import-cli');
const app = await NestFactory.createApplicationContext(ImportCliModule, { logger: ['error', 'warn'] });
const provider = app.get<StatsProvider>(STATS_PROVIDER);
const writer = app.get(ImportWriter);
const started = performance.now();
let failed = false;
try {
  if (command === 'game') {
    await step(`game ${argument}: play-by-play`, async () => writer.importGame(await provider.game(argument)));
    await step(`game ${argument}: boxscore`, async () => writer.importBoxscore(await provider.boxscore(argument)));
  } else if (command === 'standings') {
    const date = argument ?? dateOf(new Date());
    await step(`standings ${date}`, async () => writer.importStandings(await provider.standings(date)));
  } else {
    const schedule = await provider.schedule(argument);
    await step(`schedule ${argument}: ${schedule.games.length} games`, () => writer.importSchedule(schedule));
    const finished = schedule.games.filter((game) => game.status === 'finished' && game.startsAt.slice(0, 10) === argument);
    for (const [index, game] of finished.entries()) {
      const label = `[${index + 1}/${finished.length}] ${game.awayTeam.abbreviation ?? game.awayTeam.externalId} @ ${game.homeTeam.abbreviation ?? game.homeTeam.externalId} (${game.externalId})`;
      try {
        await step(`${label}: play-by-play`, async () => writer.importGame(await provider.game(game.externalId)));
        await step(`${label}: boxscore`, async () => writer.importBoxscore(await provider.boxscore(game.externalId)));
      } catch (error) {
        failed = true;
        process.stdout.write(`failed: ${(error as Error).message}\n`);
      }
    }
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(2)} s`);
} catch (error) {
  failed = true;
  console.error(`\nimport failed: ${(error as Error).message}`);
} finally {
  await app.close();
}
process.exit(failed ? 1 : 0);
