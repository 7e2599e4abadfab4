import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import { type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { IMPORT_JOB_NAMES, IMPORT_QUEUE, type ImportJobName, type ImportJobs } from '../import-queue.js';
import { ImportMetrics } from '../import.metrics.js';
import { ProviderDataError, ProviderRateLimitedError } from '../provider/provider.errors.js';
import { ImportSnapshotError } from '../import/import.errors.js';
import { ImportRunner, type ImportOutcome } from './import-runner.service.js';
import { dateOf } from './import-scheduler.service.js';

type Handlers = { [Name in ImportJobName]: (data: ImportJobs[Name], job: Job) => Promise<ImportOutcome> };

/**
 * Runs the import jobs. A provider answer the parser cannot use fails the job
 * at once (retrying returns the same body); 5xx and timeouts are retried with
 * backoff; a 429 pauses the whole queue for the provider's Retry-After and
 * puts the job back without spending an attempt.
 */
@Processor(IMPORT_QUEUE)
export class ImportProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(ImportProcessor.name);
  private readonly handlers: Handlers;

  constructor(
    private readonly runner: ImportRunner,
    @InjectQueue(IMPORT_QUEUE) private readonly queue: Queue,
    private readonly metrics: ImportMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    this.handlers = {
      schedule: ({ date }) => this.runner.schedule(date || dateOf(new Date())),
      standings: ({ date }) => this.runner.standings(date || dateOf(new Date())),
      roster: ({ team, season }) => this.runner.roster(team, season),
      'live-game': ({ gameId }) => this.runner.liveGame(gameId),
      game: ({ gameId }) => this.runner.game(gameId),
      boxscore: ({ gameId }) => this.runner.boxscore(gameId),
    };
  }

  /** Every job name has its handler, or the importer does not start. */
  onModuleInit(): void {
    const missing = IMPORT_JOB_NAMES.filter((name) => typeof this.handlers[name] !== 'function');
    if (missing.length) throw new Error(`import jobs without a handler: ${missing.join(', ')}`);
    this.worker.concurrency = this.config.IMPORT_CONCURRENCY;
  }

  async process(job: Job): Promise<ImportOutcome> {
    const name = job.name as ImportJobName;
    const handler = this.handlers[name] as (data: unknown, job: Job) => Promise<ImportOutcome>;
    if (!handler) throw new UnrecoverableError(`unknown import job ${job.name}`);
    try {
      const outcome = await handler(job.data, job);
      for (const [change, rows] of Object.entries(outcome.rows)) if (rows) this.metrics.rowsChanged.inc({ job: name, change }, rows);
      return outcome;
    } catch (error) {
      if (error instanceof ProviderRateLimitedError) {
        await this.queue.rateLimit(error.retryAfterMs);
        throw Worker.RateLimitError();
      }
      // The same answer would fail the same way: no retry.
      if (error instanceof ProviderDataError || error instanceof ImportSnapshotError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job, outcome: ImportOutcome): void {
    this.metrics.jobs.inc({ name: job.name, outcome: 'completed' });
    this.logger.log({ job: job.name, jobId: job.id, ...outcome }, `import ${job.name} done`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (!job) return;
    const willRetry = job.attemptsMade < (job.opts.attempts ?? 1) && !(error instanceof UnrecoverableError);
    this.metrics.jobs.inc({ name: job.name, outcome: willRetry ? 'retried' : 'failed' });
    this.logger[willRetry ? 'warn' : 'error'](
      { job: job.name, jobId: job.id, attempt: job.attemptsMade, error: error.message },
      willRetry ? `import ${job.name} failed, will retry` : `import ${job.name} failed`,
    );
  }
}
