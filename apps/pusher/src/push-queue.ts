/** The pusher's BullMQ queue and its jobs. */
export const PUSH_QUEUE = 'push';

export interface PushJobs {
  /** A notification's hold-back is over: cancel it, or render it and fan it out. */
  dispatch: { notificationId: string };
  /** Send a notification to the devices of one bucket of the device-id space. */
  deliver: { notificationId: string; bucket: number };
  /** Daily: finished notifications older than PUSH_RETENTION_DAYS go, their sent-log with them. */
  'prune-sent-log': Record<string, never>;
}

export type PushJobName = keyof PushJobs;

export const PUSH_JOB_NAMES = ['dispatch', 'deliver', 'prune-sent-log'] as const satisfies readonly PushJobName[];

/**
 * Deterministic ids: planning a notification twice, or a retried dispatch
 * adding its fan-out again, adds nothing (BullMQ ignores an add whose id
 * exists). No ':' (BullMQ's key separator).
 */
export const pushJobId: { [Name in PushJobName]: (data: PushJobs[Name]) => string } = {
  dispatch: ({ notificationId }) => `dispatch-${notificationId}`,
  deliver: ({ notificationId, bucket }) => `deliver-${notificationId}-${bucket}`,
  'prune-sent-log': () => 'prune-sent-log',
};

/** The backoff type of deliver jobs: the provider's Retry-After when it gave one, else exponential. */
export const PUSH_BACKOFF = 'provider-retry-after';
