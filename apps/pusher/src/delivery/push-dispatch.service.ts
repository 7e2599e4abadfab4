import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { announcementTexts, renderMatchTexts } from '../notifications/notification-texts.js';
import { type DueNotification, matchAudience, type PushAudience, PushNotificationRepository } from '../notifications/push-notification.repository.js';
import { PUSH_BACKOFF, PUSH_QUEUE, pushJobId } from '../push-queue.js';
import { PushMetrics } from '../push.metrics.js';
import type { EntityManager } from 'typeorm';
import type { PushTexts } from '@app/db';

/** A match notification this late is news nobody wants any more (the pusher was down): cancelled. */
const STALE_AFTER_MS = 15 * 60_000;

export type DispatchOutcome = { cancelled: string } | { buckets: number } | { skipped: string };

/**
 * Ends a notification's hold-back: reads its source as it is now (an editor
 * may have hidden or corrected it), cancels it or renders its texts in every
 * locale, sizes its audience and adds one deliver job per bucket.
 */
@Injectable()
export class PushDispatchService {
  private readonly logger = new Logger(PushDispatchService.name);

  constructor(
    private readonly notifications: PushNotificationRepository,
    @InjectQueue(PUSH_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: PushMetrics,
  ) {}

  async dispatch(notificationId: string): Promise<DispatchOutcome> {
    const outcome = await this.notifications.withDueNotification(notificationId, (notification, manager) => this.decide(notification, manager));
    if (!outcome) return { skipped: 'notification_missing' };
    if ('buckets' in outcome) await this.fanOut(notificationId, outcome.buckets);
    return outcome;
  }

  private async decide(notification: DueNotification, manager: EntityManager): Promise<DispatchOutcome> {
    // A retried dispatch of a notification already fanned out adds its jobs again (same ids: nothing new).
    if (notification.status === 'sending') return { buckets: notification.buckets ?? 1 };
    if (notification.status !== 'held') return { skipped: notification.status };
    const cancel = async (reason: string): Promise<DispatchOutcome> => {
      await this.notifications.cancel(manager, notification.id, reason);
      this.metrics.notifications.inc({ kind: notification.kind, outcome: 'cancelled' });
      this.logger.log({ notificationId: notification.id, kind: notification.kind, reason }, 'push cancelled');
      return { cancelled: reason };
    };
    let texts: PushTexts;
    let audience: PushAudience | null;
    if (notification.sourceType === 'announcement') {
      const announcement = await this.notifications.announcement(manager, notification.sourceId);
      if (!announcement) return cancel('announcement_missing');
      texts = announcementTexts(announcement);
      audience = await this.notifications.announcementAudience(manager, announcement);
    } else {
      if (Date.now() - notification.committedAt.getTime() > STALE_AFTER_MS) return cancel('stale');
      const found = await this.notifications.matchContext(manager, notification);
      if ('cancel' in found) return cancel(found.cancel);
      texts = renderMatchTexts(found.context);
      audience = matchAudience(notification.kind, notification.matchId!, found);
    }
    if (!audience) return cancel('audience_missing');
    const devices = await this.notifications.countAudience(audience, manager);
    const buckets = Math.min(10_000, Math.max(1, Math.ceil(devices / this.config.PUSH_BATCH_SIZE)));
    await this.notifications.startSending(manager, notification.id, texts, buckets);
    this.logger.log({ notificationId: notification.id, kind: notification.kind, devices, buckets }, 'push fan-out');
    return { buckets };
  }

  private async fanOut(notificationId: string, buckets: number): Promise<void> {
    const jobs = Array.from({ length: buckets }, (_, bucket) => {
      const data = { notificationId, bucket };
      return {
        name: 'deliver' as const,
        data,
        opts: {
          jobId: pushJobId.deliver(data),
          attempts: this.config.PUSH_ATTEMPTS,
          backoff: { type: PUSH_BACKOFF },
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { count: 1000 },
        },
      };
    });
    // In slices: one huge addBulk is one huge round trip.
    for (let start = 0; start < jobs.length; start += 500) await this.queue.addBulk(jobs.slice(start, start + 500));
  }
}
