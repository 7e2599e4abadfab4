import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PushNotificationRepository, type ScheduledNotification } from '../notifications/push-notification.repository.js';
import { PUSH_QUEUE, pushJobId } from '../push-queue.js';

/** Announcements' trigger NOTIFYs here (migrations/*-push-notifications.ts). */
const PUSH_CHANNEL = 'push_notifications';
/** Held notifications are also swept this often: one whose job was never added (a crash between the two) still goes. */
const SWEEP_EVERY_MS = 10_000;
const RELISTEN_AFTER_MS = 2_000;

/**
 * Gives every held notification its dispatch job, due when its hold-back
 * ends: right after the feed follower plans it, when an announcement's
 * NOTIFY arrives, and on a periodic sweep. Adding twice is harmless (the
 * job id is the notification's).
 */
@Injectable()
export class PushScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushScheduler.name);
  private client: pg.Client | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private relistenTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly notifications: PushNotificationRepository,
    @InjectQueue(PUSH_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(pushJobId['prune-sent-log']({}), { pattern: '30 4 * * *', tz: 'UTC' }, { name: 'prune-sent-log', data: {}, opts: { attempts: 3 } });
    await this.listen();
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    clearTimeout(this.relistenTimer);
    await this.client?.end().catch(() => undefined);
  }

  async schedule(notifications: readonly ScheduledNotification[]): Promise<void> {
    if (!notifications.length) return;
    const now = Date.now();
    await this.queue.addBulk(
      notifications.map(({ id, sendAfter }) => {
        const data = { notificationId: id };
        return {
          name: 'dispatch',
          data,
          opts: {
            jobId: pushJobId.dispatch(data),
            delay: Math.max(0, sendAfter.getTime() - now),
            attempts: this.config.PUSH_ATTEMPTS,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: { age: 3600, count: 10_000 },
            removeOnFail: { count: 1000 },
          },
        };
      }),
    );
  }

  private async sweep(): Promise<void> {
    try {
      await this.schedule(await this.notifications.held(1000));
    } catch (error) {
      this.logger.warn(`held notifications not swept: ${(error as Error).message}`);
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.DATABASE_URL, application_name: 'faceoff-pusher-scheduler' });
    this.client = client;
    const relisten = (error: Error) => {
      if (this.stopped || this.client !== client) return;
      this.logger.warn(`LISTEN ${PUSH_CHANNEL} lost (${error.message}); again in ${RELISTEN_AFTER_MS} ms, the sweep covers the gap`);
      this.client = undefined;
      client.end().catch(() => undefined);
      this.relistenTimer = setTimeout(() => void this.listen().catch(relisten), RELISTEN_AFTER_MS);
    };
    client.on('error', relisten);
    client.on('end', () => relisten(new Error('connection ended')));
    client.on('notification', () => void this.sweep());
    await client.connect();
    await client.query(`LISTEN ${PUSH_CHANNEL}`);
  }
}
