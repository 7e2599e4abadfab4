import type { DeliveryOutcome, PushNotificationRepository } from '../notifications/push-notification.repository.js';

/** Outcomes are written at least this often, or every this many, while a job sends. */
const FLUSH_EVERY_MS = 25;
const FLUSH_AT = 50;

/**
 * Writes a job's outcomes to the sent-log as the answers come, in small
 * batches: a worker killed mid-job leaves 'sending' only the devices whose
 * answer it had not written yet — the ones its restart sends again — not
 * the whole job's.
 */
export class OutcomeRecorder {
  private pending: DeliveryOutcome[] = [];
  private written: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly notifications: PushNotificationRepository,
    private readonly notificationId: string,
  ) {
    this.timer = setInterval(() => this.flush(), FLUSH_EVERY_MS);
  }

  add(outcome: DeliveryOutcome): void {
    this.pending.push(outcome);
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  /** Writes what is left; throws if any write failed (the job then fails, and its retry finds those devices 'sending'). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    await this.written;
    if (this.failure) throw this.failure;
  }

  private flush(): void {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.written = this.written.then(() => this.notifications.recordOutcomes(this.notificationId, batch)).catch((error: unknown) => {
      this.failure ??= error;
    });
  }
}
