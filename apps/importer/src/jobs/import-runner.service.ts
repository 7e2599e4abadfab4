import { Inject, Injectable } from '@nestjs/common';
import type { GameHeader, StatsProvider } from '../provider/stats-provider.js';
import { ImportWriter, type ImportSummary } from '../import/import-writer.service.js';
import { ImportScheduler } from './import-scheduler.service.js';

/** The provider the importer reads (the NHL adapter unless configured otherwise). */
export const STATS_PROVIDER = Symbol('STATS_PROVIDER');

/** What a job did: rows by kind of change, and a line for the log. */
export interface ImportOutcome {
  rows: ImportSummary;
  note?: string;
}

/** Games are watched from a little before their start, so that the first faceoff is not missed. */
const WATCH_BEFORE_START_MS = 10 * 60_000;

/**
 * One import, start to end: ask the provider, write the snapshot in one
 * transaction, and decide what comes next (watch a game that is live or about
 * to start, stop watching a final one and fetch its boxscore).
 */
@Injectable()
export class ImportRunner {
  constructor(
    @Inject(STATS_PROVIDER) private readonly provider: StatsProvider,
    private readonly writer: ImportWriter,
    private readonly scheduler: ImportScheduler,
  ) {}

  async schedule(date: string): Promise<ImportOutcome> {
    const snapshot = await this.provider.schedule(date);
    const rows = await this.writer.importSchedule(snapshot);
    let watched = 0;
    for (const game of snapshot.games) {
      if (game.status === 'live' || (game.status === 'scheduled' && this.startsSoon(game))) {
        await this.scheduler.watchLiveGame(game.externalId, new Date(Date.parse(game.startsAt) - WATCH_BEFORE_START_MS));
        watched++;
      } else if (game.status === 'finished') {
        await this.scheduler.enqueue('game', { gameId: game.externalId });
        await this.scheduler.enqueue('boxscore', { gameId: game.externalId });
      }
    }
    return { rows, note: `${snapshot.games.length} games, ${watched} watched` };
  }

  /** One poll of a live game; the game's last poll (final) hands over to its boxscore. */
  async liveGame(gameId: string): Promise<ImportOutcome> {
    const outcome = await this.game(gameId);
    if (outcome.note === 'finished') {
      await this.scheduler.stopWatching(gameId);
      await this.scheduler.enqueue('boxscore', { gameId });
    }
    return outcome;
  }

  async game(gameId: string): Promise<ImportOutcome> {
    const snapshot = await this.provider.game(gameId);
    return { rows: await this.writer.importGame(snapshot), note: snapshot.header.status };
  }

  async boxscore(gameId: string): Promise<ImportOutcome> {
    return { rows: await this.writer.importBoxscore(await this.provider.boxscore(gameId)) };
  }

  async standings(date: string): Promise<ImportOutcome> {
    return { rows: await this.writer.importStandings(await this.provider.standings(date)) };
  }

  async roster(team: string, season: string): Promise<ImportOutcome> {
    return { rows: await this.writer.importRoster(await this.provider.roster(team, season)) };
  }

  /** Today's games still to come: watched from shortly before their start (the scheduler waits until then). */
  private startsSoon(game: GameHeader): boolean {
    return Date.parse(game.startsAt) - Date.now() < 24 * 3600_000;
  }
}
