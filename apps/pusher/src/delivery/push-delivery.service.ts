import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pMap from 'p-map';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { textFor } from '../notifications/notification-texts.js';
import {
  type ClaimedDevice,
  type DeliveryOutcome,
  PushNotificationRepository,
  type SendingNotification,
} from '../notifications/push-notification.repository.js';
import type { PushMessage } from '../providers/push-provider.js';
import { PushMetrics } from '../push.metrics.js';
import { deviceRange } from './device-buckets.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { PushProviders } from './push-providers.js';

/** How long a match notification is worth delivering; an announcement lasts longer. */
const MATCH_PUSH_TTL_MS = 60 * 60_000;
const ANNOUNCEMENT_TTL_MS = 24 * 60 * 60_000;

/** The provider asked us to come back later for some devices of a bucket. */
export class PushRetryLaterError extends Error {
  constructor(
    readonly devices: number,
    readonly retryAfterMs: number | undefined,
    reason: string,
  ) {
    super(`${devices} pushes to retry later (${reason})`);
    this.name = 'PushRetryLaterError';
  }
}

export interface BucketResult {
  claimed: number;
  sent: number;
  failed: number;
  pruned: number;
  /** This bucket was the notification's last. */
  completed: boolean;
}

/**
 * One fan-out job: claims the bucket's devices in the sent-log, sends each
 * its push (bounded concurrency), records every outcome, prunes dead tokens.
 * Devices the provider asked to retry stay claimable: the job fails with
 * PushRetryLaterError and BullMQ runs it again after the provider's
 * Retry-After, for those devices only.
 */
@Injectable()
export class PushDeliveryService {
  private readonly logger = new Logger(PushDeliveryService.name);

  constructor(
    private readonly notifications: PushNotificationRepository,
    private readonly providers: PushProviders,
    private readonly metrics: PushMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(notificationId: string, bucket: number, lastAttempt: boolean): Promise<BucketResult | null> {
    const notification = await this.notifications.sending(notificationId);
    if (!notification) return null;
    const devices = await this.notifications.claim(notification, deviceRange(bucket, notification.buckets));
    const shared = sharedMessageFields(notification);
    const recorder = new OutcomeRecorder(this.notifications, notificationId);
    const outcomes = await pMap(
      devices,
      async (device) => {
        const sent = await this.send(notification, shared, device);
        recorder.add(sent.outcome);
        return sent;
      },
      { concurrency: this.config.PUSH_SENDS_PER_JOB },
    ).finally(() => recorder.close());

    const retries = outcomes.filter((o) => o.outcome.status === 'retry');
    if (retries.length && !lastAttempt) {
      await this.prune(outcomes);
      const retryAfterMs = Math.max(0, ...retries.map((o) => o.retryAfterMs ?? 0)) || undefined;
      throw new PushRetryLaterError(retries.length, retryAfterMs, retries[0].outcome.error ?? 'provider busy');
    }
    // Out of attempts: what is still refused is given up, and says so.
    const givenUp = retries.map((o) => ({ ...o.outcome, status: 'rejected' as const, error: `gave up: ${o.outcome.error}` }));
    await this.notifications.recordOutcomes(notificationId, givenUp);
    const pruned = await this.prune(outcomes);
    const completed = await this.notifications.finishBucket(notificationId, bucket);
    if (completed) {
      this.metrics.notifications.inc({ kind: notification.kind, outcome: 'sent' });
      this.logger.log({ notificationId, kind: notification.kind, commitToDoneMs: Date.now() - notification.committedAt.getTime() }, 'push sent to its whole audience');
    }
    const sent = outcomes.filter((o) => o.outcome.status === 'sent').length;
    return { claimed: devices.length, sent, failed: devices.length - sent, pruned, completed };
  }

  private async send(notification: SendingNotification, shared: SharedMessageFields, device: ClaimedDevice): Promise<{ outcome: DeliveryOutcome; device: ClaimedDevice; retryAfterMs?: number }> {
    const provider = this.providers.get(device.platform);
    if (!provider) {
      this.metrics.failed.inc({ platform: device.platform, reason: 'provider_not_configured' });
      return { device, outcome: { deviceId: device.deviceId, status: 'rejected', error: 'provider_not_configured' } };
    }
    const started = performance.now();
    const result = await provider.send(this.message(notification, shared, device));
    this.metrics.providerLatency.observe({ platform: device.platform }, (performance.now() - started) / 1000);
    switch (result.kind) {
      case 'sent':
        this.metrics.sent.inc({ platform: device.platform });
        this.metrics.commitToSent.observe((Date.now() - notification.committedAt.getTime()) / 1000);
        return { device, outcome: { deviceId: device.deviceId, status: 'sent', providerId: result.providerId } };
      case 'token_invalid':
        this.metrics.failed.inc({ platform: device.platform, reason: reasonLabel(result.reason) });
        return { device, outcome: { deviceId: device.deviceId, status: 'token_invalid', error: result.reason } };
      case 'retry':
        this.metrics.failed.inc({ platform: device.platform, reason: reasonLabel(result.reason) });
        return { device, outcome: { deviceId: device.deviceId, status: 'retry', error: result.reason }, retryAfterMs: result.retryAfterMs };
      case 'rejected':
        this.metrics.failed.inc({ platform: device.platform, reason: reasonLabel(result.reason) });
        this.logger.warn({ notificationId: notification.id, deviceId: device.deviceId, reason: result.reason }, 'push rejected');
        return { device, outcome: { deviceId: device.deviceId, status: 'rejected', error: result.reason } };
    }
  }

  private message(notification: SendingNotification, shared: SharedMessageFields, device: ClaimedDevice): PushMessage {
    return { ...shared, ...textFor(notification.texts, device.locale), id: messageId(notification.id, device.deviceId), token: device.pushToken };
  }

  private async prune(outcomes: { outcome: DeliveryOutcome; device: ClaimedDevice }[]): Promise<number> {
    const dead = outcomes.filter((o) => o.outcome.status === 'token_invalid').map((o) => o.device);
    const pruned = await this.notifications.pruneTokens(dead);
    for (const device of dead) this.metrics.pruned.inc({ platform: device.platform });
    return pruned;
  }
}

type SharedMessageFields = Pick<PushMessage, 'collapseId' | 'threadId' | 'data' | 'expiresAt'>;

/** What every device's message of a notification shares, made once per job rather than per device. */
function sharedMessageFields(notification: SendingNotification): SharedMessageFields {
  // Per match, so the phone keeps the latest of a match's pushes; an announcement stands alone.
  const group = notification.matchId && notification.kind !== 'announcement' ? `match-${notification.matchId}` : `announcement-${notification.id}`;
  const ttl = notification.kind === 'announcement' ? ANNOUNCEMENT_TTL_MS : MATCH_PUSH_TTL_MS;
  return {
    collapseId: group,
    threadId: group,
    data: { notificationId: notification.id, kind: notification.kind, ...(notification.matchId && { matchId: notification.matchId }) },
    expiresAt: new Date(notification.committedAt.getTime() + ttl),
  };
}

/** The code before a reason's detail ("QUOTA_EXCEEDED: Quota exceeded for…" → QUOTA_EXCEEDED): metric labels stay few. */
function reasonLabel(reason: string): string {
  return reason.split(':')[0].trim().slice(0, 40);
}

/** A UUID fixed by (notification, device): a push sent again carries the same apns-id. */
export function messageId(notificationId: string, deviceId: string): string {
  const hex = createHash('sha256').update(`${notificationId}/${deviceId}`).digest('hex');
  // Shaped as a version-4 UUID (APNs checks the form, not the version's randomness).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
