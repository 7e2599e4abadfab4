import type { Platform } from '@app/db';

/** One notification for one device, as a provider sends it. */
export interface PushMessage {
  /**
   * Stable per (notification, device), a UUID: APNs's `apns-id`. A message
   * sent again after a lost response carries the same id.
   */
  id: string;
  /** The device's push token (APNs: hex device token; FCM: registration token). */
  token: string;
  /** One per match (`match-<uuid>`, ≤ 64 bytes): the phone shows the latest of a match's notifications. */
  collapseId: string;
  title: string;
  body: string;
  /** Groups a match's notifications in the notification centre (APNs `thread-id`, Android `tag`). */
  threadId: string;
  /** Custom keys for the app (matchId, eventId, kind...), strings only (FCM `data`). */
  data: Record<string, string>;
  /** Worthless after this (a goal an hour later): APNs `apns-expiration`, FCM `ttl`. */
  expiresAt: Date;
}

export type PushOutcome =
  /** Accepted by the provider. */
  | { kind: 'sent'; providerId?: string }
  /** The token is dead (APNs 410 Unregistered / 400 BadDeviceToken, FCM UNREGISTERED / INVALID_ARGUMENT on the token): prune it, never retry. */
  | { kind: 'token_invalid'; reason: string }
  /** Try again later (429, 5xx, connection lost beyond retries); `retryAfterMs` from Retry-After when the provider gave one. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** Refused for a reason retrying will not fix (payload too large, wrong topic, bad credentials): logged, counted, not retried. */
  | { kind: 'rejected'; reason: string };

/** How a provider's HTTP/2 connections behave (PUSH_* settings). */
export interface ProviderConnectionOptions {
  connectTimeoutMs: number;
  /** Per push (and, for FCM, per access-token request). */
  requestTimeoutMs: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Extra trusted certificates (tests' fakes); in production the system's roots and NODE_EXTRA_CA_CERTS. */
  ca?: string | Buffer;
  /** Default Date.now; tests move time. */
  now?: () => number;
}

/** APNs for iOS devices, FCM for Android ones. */
export interface PushProvider {
  readonly platform: Platform;
  /** Never throws for a provider's answer: every answer is an outcome. */
  send(message: PushMessage): Promise<PushOutcome>;
  /** Finishes in-flight sends (bounded), then closes the connections. */
  close(): Promise<void>;
}

/** Providers mark payloads too large for the service with this reason. */
export const PAYLOAD_TOO_LARGE = 'PayloadTooLarge';
