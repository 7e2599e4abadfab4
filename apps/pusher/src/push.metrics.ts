import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { registeredMetric } from '@app/bootstrap';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram } from 'prom-client';
import { PUSH_QUEUE } from './push-queue.js';

/** The pusher's metrics, in the default registry that /metrics serves. */
@Injectable()
export class PushMetrics {
  readonly sent = registeredMetric('faceoff_push_sent_total', () => new Counter({ name: 'faceoff_push_sent_total', help: 'Pushes accepted by APNs/FCM, by platform.', labelNames: ['platform'] }));

  readonly failed = registeredMetric(
    'faceoff_push_failed_total',
    () => new Counter({ name: 'faceoff_push_failed_total', help: 'Pushes not accepted, by platform and reason (retried ones too).', labelNames: ['platform', 'reason'] }),
  );

  readonly pruned = registeredMetric(
    'faceoff_push_tokens_pruned_total',
    () => new Counter({ name: 'faceoff_push_tokens_pruned_total', help: 'Push tokens marked dead after APNs/FCM said so, by platform.', labelNames: ['platform'] }),
  );

  readonly providerLatency = registeredMetric(
    'faceoff_push_provider_seconds',
    () =>
      new Histogram({
        name: 'faceoff_push_provider_seconds',
        help: 'Time for APNs/FCM to answer one push, by platform.',
        labelNames: ['platform'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      }),
  );

  readonly commitToSent = registeredMetric(
    'faceoff_push_commit_to_sent_seconds',
    () =>
      new Histogram({
        name: 'faceoff_push_commit_to_sent_seconds',
        help: "From the change's commit to a push's acceptance by APNs/FCM (the hold-back included).",
        buckets: [0.5, 1, 2, 5, 7.5, 10, 15, 20, 30, 60, 120],
      }),
  );

  readonly notifications = registeredMetric(
    'faceoff_push_notifications_total',
    () => new Counter({ name: 'faceoff_push_notifications_total', help: 'Notifications by kind and outcome (planned, cancelled, sent).', labelNames: ['kind', 'outcome'] }),
  );

  readonly queueJobs: Gauge;

  constructor(@InjectQueue(PUSH_QUEUE) queue: Queue) {
    this.queueJobs = registeredMetric(
      'faceoff_push_queue_jobs',
      () =>
        new Gauge({
          name: 'faceoff_push_queue_jobs',
          help: 'Push jobs by state, read from the queue at each scrape.',
          labelNames: ['state'],
          async collect() {
            const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
            for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
          },
        }),
    );
  }
}
