import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeFeedListener, ChangeFeedRepository, type FeedBatch } from '@app/change-feed';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PushScheduler } from '../delivery/push-scheduler.service.js';
import { planNotifications } from '../notifications/notification-planner.js';
import { PushNotificationRepository, type ScheduledNotification } from '../notifications/push-notification.repository.js';
import { PushMetrics } from '../push.metrics.js';

const STORE_RETRY_MIN_MS = 200;
const STORE_RETRY_MAX_MS = 10_000;

/**
 * Follows the change feed from the position stored in push_feed_positions
 * (the feed's head on the very first start, or when the database's epoch
 * changed) and plans a notification for each push-worthy change. The batch's
 * notifications and the new position are stored together; until that
 * succeeds the follower retries and reads nothing further, so a database
 * outage delays pushes but loses none.
 */
@Injectable()
export class PushFeedFollower implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushFeedFollower.name);
  private stopped = false;

  constructor(
    private readonly listener: ChangeFeedListener,
    private readonly feed: ChangeFeedRepository,
    private readonly notifications: PushNotificationRepository,
    private readonly scheduler: PushScheduler,
    private readonly metrics: PushMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stored = await this.notifications.feedPosition();
    const epoch = await this.feed.currentEpoch();
    const resume = stored?.epoch === epoch ? stored.position : undefined;
    this.listener.subscribe((batch) => this.onBatch(batch));
    await this.listener.start(resume);
    if (resume === undefined) {
      this.logger.log(stored ? `the database's epoch changed: following from the feed's head (${this.listener.position})` : `first start: following from the feed's head (${this.listener.position})`);
      await this.notifications.saveFeedPosition({ epoch: this.listener.epoch, position: this.listener.position });
    } else {
      this.logger.log(`following the change feed from position ${resume}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.listener.stop();
  }

  private async onBatch(batch: FeedBatch): Promise<void> {
    const planned = planNotifications(batch.changes);
    const position = { epoch: batch.epoch, position: batch.changes[batch.changes.length - 1].position };
    let scheduled: ScheduledNotification[] | undefined;
    for (let attempt = 0; !scheduled; attempt++) {
      try {
        scheduled = await this.notifications.plan(planned, this.config.PUSH_HOLD_BACK_MS, position);
      } catch (error) {
        if (this.stopped) return;
        const delay = Math.min(STORE_RETRY_MAX_MS, STORE_RETRY_MIN_MS * 2 ** attempt);
        this.logger.warn(`feed batch up to ${position.position} not stored (${(error as Error).message}); again in ${delay} ms`);
        await sleep(delay);
      }
    }
    for (const notification of scheduled) this.metrics.notifications.inc({ kind: notification.kind, outcome: 'planned' });
    // A failed add is caught by the scheduler's sweep: the notification is stored as held.
    await this.scheduler.schedule(scheduled).catch((error: Error) => this.logger.warn(`dispatch jobs not added yet (${error.message}); the sweep will`));
  }
}
