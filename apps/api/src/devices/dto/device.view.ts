import type { NotificationKind, Platform, SubscriptionTargetKind } from '@app/db';

export interface RegisteredDevice {
  deviceId: string;
  /** Shown once: only its hash is stored. */
  deviceKey: string;
}

/** What a device may see of itself: everything but its key hash. */
export interface DeviceView {
  deviceId: string;
  platform: Platform;
  pushToken: string | null;
  /** Set when APNs/FCM rejected the token: send a new one. */
  pushTokenInvalidAt: Date | null;
  locale: string | null;
  timeZone: string | null;
  appVersion: string | null;
  lastSeenAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface SubscriptionView {
  targetKind: SubscriptionTargetKind;
  targetId: string;
  kinds: NotificationKind[];
  createdAt: Date;
  updatedAt: Date;
}

export interface SubscriptionList {
  subscriptions: SubscriptionView[];
}
