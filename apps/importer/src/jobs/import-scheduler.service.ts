import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { IMPORT_QUEUE, type ImportJobName, type ImportJobs, importJobId } from '../import-queue.js';

/** UTC calendar date of an instant: the provider's schedule and standings are by date. */
export function dateOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * What runs when: the daily schedule and the standings as repeatable job
 * schedulers, a live poll per game while it is live, one-off jobs with
 * deterministic ids (adding an import that is already queued is a no-op).
 * Retries with exponential backoff; the provider's rate limit is the
 * queue's, shared by every importer process.
 */
@Injectable()
export class ImportScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImportScheduler.name);

  constructor(
    @InjectQueue(IMPORT_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.setGlobalRateLimit(this.config.PROVIDER_REQUESTS_PER_SECOND, 1000);
    // The job templates carry no date: the handlers take "today" when the job runs.
    await this.queue.upsertJobScheduler('daily-schedule', { pattern: this.config.IMPORT_SCHEDULE_CRON, tz: 'UTC' }, { name: 'schedule', data: { date: '' }, opts: this.retries() });
    await this.queue.upsertJobScheduler('standings', { every: this.config.IMPORT_STANDINGS_EVERY_MS }, { name: 'standings', data: { date: '' }, opts: this.retries() });
    for (const gameId of this.config.IMPORT_WATCH_GAMES) await this.watchLiveGame(gameId);
    this.logger.log(
      `schedule at "${this.config.IMPORT_SCHEDULE_CRON}" UTC, standings every ${this.config.IMPORT_STANDINGS_EVERY_MS} ms` +
        (this.config.IMPORT_WATCH_GAMES.length ? `, following ${this.config.IMPORT_WATCH_GAMES.join(', ')}` : ''),
    );
  }

  /** Queues one import; a second request for the same import while the first is queued is the same job. */
  async enqueue<Name extends ImportJobName>(name: Name, data: ImportJobs[Name]): Promise<void> {
    await this.queue.add(name, data, { jobId: importJobId[name](data), ...this.retries() });
  }

  /** Polls a game every IMPORT_LIVE_POLL_MS from `from` until stopWatching; watching a watched game changes nothing. */
  async watchLiveGame(gameId: string, from: Date = new Date()): Promise<void> {
    await this.queue.upsertJobScheduler(
      importJobId['live-game']({ gameId }),
      { every: this.config.IMPORT_LIVE_POLL_MS, startDate: from },
      // One attempt: the next poll is the retry. Polls are many: keep only the last failures.
      { name: 'live-game', data: { gameId }, opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 20 } } },
    );
  }

  async stopWatching(gameId: string): Promise<void> {
    await this.queue.removeJobScheduler(importJobId['live-game']({ gameId }));
  }

  private retries() {
    return {
      attempts: this.config.IMPORT_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
      // Gone once done, so that the same import can be asked again later; failures stay a week for the ops page.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }
}
