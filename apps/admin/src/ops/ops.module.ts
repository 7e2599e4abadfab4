import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueModule } from '@app/queue';

/**
 * The importer's and the pusher's queues. Spelled again here because no app
 * imports another (apps/importer/src/import-queue.ts, apps/pusher/src/push-queue.ts).
 */
export const OPS_QUEUE_NAMES = ['import', 'push'];

/** Injection token for the {@link Queue}s of {@link OPS_QUEUE_NAMES}, in that order, for `registerOpsBoard`. */
export const OPS_QUEUES = Symbol('OPS_QUEUES');

/** The queues the admins' ops page shows, on the configured BullMQ backend. */
@Module({
  imports: [QueueModule.forRoot(...OPS_QUEUE_NAMES)],
  providers: [
    {
      provide: OPS_QUEUES,
      inject: OPS_QUEUE_NAMES.map((name) => getQueueToken(name)),
      useFactory: (...queues: Queue[]): Queue[] => queues,
    },
  ],
  exports: [OPS_QUEUES],
})
export class OpsModule {}
