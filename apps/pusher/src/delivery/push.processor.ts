import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PUSH_JOB_NAMES, PUSH_QUEUE, type PushJobName, type PushJobs } from '../push-queue.js';
import { PushDeliveryService, PushRetryLaterError } from './push-delivery.service.js';
import { PushDispatchService } from './push-dispatch.service.js';
import { PushNotificationRepository } from '../notifications/push-notification.repository.js';
import { PushProviders } from './push-providers.js';

type Handlers = { [Name in PushJobName]: (data: PushJobs[Name], job: Job) => Promise<unknown> };

/**
 * A job whose worker died is run again once its lock expires: short, so a
 * crashed pusher's pushes resume within seconds (the lock is renewed every
 * half of it while the job runs).
 */
const JOB_LOCK_MS = 10_000;

/** Exponential from 1 s when the provider gave no Retry-After. */
function retryDelay(attemptsMade: number, _type?: string, error?: Error): number {
  if (error instanceof PushRetryLaterError && error.retryAfterMs) return error.retryAfterMs;
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attemptsMade - 1));
}

/**
 * Runs the push jobs: dispatch (end of hold-back → fan-out) and deliver (one
 * bucket of devices). On shutdown the worker finishes its jobs in flight
 * before the APNs/FCM connections close; a job cut short by a crash is run
 * again once its lock expires (PUSH_JOB_LOCK_MS), and the sent-log keeps it
 * from sending anyone the same push twice.
 */
@Processor(PUSH_QUEUE, { settings: { backoffStrategy: retryDelay }, lockDuration: JOB_LOCK_MS, stalledInterval: JOB_LOCK_MS / 2 })
export class PushProcessor extends WorkerHost implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PushProcessor.name);
  private readonly handlers: Handlers;

  constructor(
    dispatch: PushDispatchService,
    delivery: PushDeliveryService,
    notifications: PushNotificationRepository,
    private readonly providers: PushProviders,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    this.handlers = {
      dispatch: ({ notificationId }) => dispatch.dispatch(notificationId),
      deliver: ({ notificationId, bucket }, job) => delivery.deliver(notificationId, bucket, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
      'prune-sent-log': async () => ({ notificationsDeleted: await notifications.pruneFinished(config.PUSH_RETENTION_DAYS) }),
    };
  }

  /** Every job name has its handler, or the pusher does not start. */
  onModuleInit(): void {
    const missing = PUSH_JOB_NAMES.filter((name) => typeof this.handlers[name] !== 'function');
    if (missing.length) throw new Error(`push jobs without a handler: ${missing.join(', ')}`);
    this.worker.concurrency = this.config.PUSH_CONCURRENCY;
  }

  async onApplicationShutdown(): Promise<void> {
    // Jobs in flight finish first (their sends need the connections), then the connections close.
    await this.worker.close();
    await this.providers.close();
  }

  async process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as PushJobName] as ((data: unknown, job: Job) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`unknown push job ${job.name}`);
    return handler(job.data, job);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (!job) return;
    const willRetry = job.attemptsMade < (job.opts.attempts ?? 1) && !(error instanceof UnrecoverableError);
    this.logger[willRetry ? 'warn' : 'error'](
      { job: job.name, jobId: job.id, attempt: job.attemptsMade, error: error.message, retryAfterMs: error instanceof PushRetryLaterError ? error.retryAfterMs : undefined },
      willRetry ? `push ${job.name} failed, will retry` : `push ${job.name} failed`,
    );
  }
}
