import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/bootstrap';
import { ChangeFeedReaderModule } from '@app/change-feed';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { QueueModule } from '@app/queue';
import { PushDeliveryService } from './delivery/push-delivery.service.js';
import { PushDispatchService } from './delivery/push-dispatch.service.js';
import { PushProviders } from './delivery/push-providers.js';
import { PushScheduler } from './delivery/push-scheduler.service.js';
import { PushProcessor } from './delivery/push.processor.js';
import { PushFeedFollower } from './feed/push-feed.follower.js';
import { PushNotificationRepository } from './notifications/push-notification.repository.js';
import { PUSH_QUEUE } from './push-queue.js';
import { PushMetrics } from './push.metrics.js';

/**
 * Turns changes into push notifications: follows the change feed, holds each
 * notification back for corrections, fans it out as BullMQ jobs and sends it
 * through APNs and FCM, once per device.
 */
@Module({
  imports: [ConfigModule, ObservabilityModule.forRoot('pusher'), DbModule.forRoot('pusher'), QueueModule.forRoot(PUSH_QUEUE), ChangeFeedReaderModule],
  providers: [PushMetrics, PushNotificationRepository, PushProviders, PushScheduler, PushDispatchService, PushDeliveryService, PushProcessor, PushFeedFollower],
})
export class PusherModule {}
