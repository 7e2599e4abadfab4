import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/bootstrap';
import { ConfigModule } from '@app/config';
import { DbModule } from '@app/db';
import { QueueModule } from '@app/queue';
import { PUSH_QUEUE } from './push-queue.js';

/** Turns changes into push notifications through APNs and FCM, as BullMQ jobs. */
@Module({
  imports: [ConfigModule, ObservabilityModule.forRoot('pusher'), DbModule.forRoot('pusher'), QueueModule.forRoot(PUSH_QUEUE)],
})
export class PusherModule {}
