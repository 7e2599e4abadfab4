import { Logger } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http2';
import { Http2Client, Http2ConnectionError, type Http2Response } from '../http2/http2-client.js';
import { PAYLOAD_TOO_LARGE, type ProviderConnectionOptions, type PushMessage, type PushOutcome, type PushProvider } from '../push-provider.js';
import { retryOutcome } from '../retry-after.js';
import { ApnsProviderToken } from './apns-provider-token.js';

export interface ApnsProviderOptions extends ProviderConnectionOptions {
  /** APNS_BASE_URL: `https://api.push.apple.com` (or `https://api.sandbox.push.apple.com`, or a fake). */
  baseUrl: string;
  keyId: string;
  teamId: string;
  /** The .p8 key's PEM. */
  privateKey: string;
  /** The app's bundle id. */
  topic: string;
  /** APNS_TOKEN_REFRESH_MINUTES in ms. */
  refreshAfterMs: number;
  maxConcurrentStreams: number;
}

/** APNs refuses larger payloads with 413 PayloadTooLarge (alert notifications). */
const MAX_PAYLOAD_BYTES = 4096;

/** APNs device tokens are hex (32 bytes today; Apple reserves the right to lengthen them). */
const DEVICE_TOKEN = /^[0-9a-f]+$/i;

/**
 * The 400s that mean the device token will never work again. Not
 * DeviceTokenNotForTopic: a wrong APNS_TOPIC answers that for every token, and
 * pruning them all would outlive the fix of the setting.
 */
const DEAD_TOKEN_REASONS = new Set(['BadDeviceToken']);

/**
 * Apple Push Notification service over its HTTP/2 API with token-based
 * authentication: one long-lived connection, one JWT shared by every
 * request, and every APNs answer turned into a `PushOutcome`.
 */
export class ApnsProvider implements PushProvider {
  readonly platform = 'ios' as const;
  /** Exposed so tests and metrics can count signatures. */
  readonly token: ApnsProviderToken;
  private readonly client: Http2Client;
  private readonly logger = new Logger('ApnsProvider');

  constructor(private readonly options: ApnsProviderOptions) {
    this.token = new ApnsProviderToken({
      keyId: options.keyId,
      teamId: options.teamId,
      privateKey: options.privateKey,
      refreshAfterMs: options.refreshAfterMs,
      ...(options.now && { now: options.now }),
    });
    this.client = new Http2Client({
      origin: options.baseUrl,
      name: 'apns',
      maxConcurrentStreams: options.maxConcurrentStreams,
      // Apple asks for few connections kept open; one carries up to its stream limit (1000 once authenticated).
      maxSessions: 1,
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      pingIntervalMs: options.pingIntervalMs,
      pingTimeoutMs: options.pingTimeoutMs,
      ...(options.ca && { ca: options.ca }),
    });
  }

  /** Connections opened so far, replacements included. */
  get connectionsOpened(): number {
    return this.client.sessionsOpened;
  }

  async send(message: PushMessage): Promise<PushOutcome> {
    // Anything else would not even make a valid path; APNs would answer the same.
    if (!DEVICE_TOKEN.test(message.token)) return { kind: 'token_invalid', reason: 'BadDeviceToken' };
    const payload = JSON.stringify({
      ...message.data,
      // After the custom keys, so that none of them can replace the notification itself.
      aps: { alert: { title: message.title, body: message.body }, sound: 'default', 'thread-id': message.threadId },
    });
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) return { kind: 'rejected', reason: PAYLOAD_TOO_LARGE };

    const first = await this.post(message, payload);
    if (first.kind !== 'expired_token') return first;
    // APNs found the token older than an hour (our clock or its own is off): one new token, one more try.
    this.token.invalidate(first.jwt);
    const second = await this.post(message, payload);
    if (second.kind !== 'expired_token') return second;
    this.logger.error(`APNs refuses a token signed just now as expired: is the clock right?`);
    return { kind: 'rejected', reason: 'ExpiredProviderToken' };
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async post(message: PushMessage, payload: string): Promise<PushOutcome | { kind: 'expired_token'; jwt: string }> {
    const jwt = await this.token.get();
    let response: Http2Response;
    try {
      response = await this.client.request({
        method: 'POST',
        path: `/3/device/${message.token}`,
        headers: {
          authorization: `bearer ${jwt}`,
          'apns-topic': this.options.topic,
          'apns-push-type': 'alert',
          'apns-priority': '10',
          'apns-expiration': String(Math.floor(message.expiresAt.getTime() / 1000)),
          'apns-collapse-id': message.collapseId,
          'apns-id': message.id,
          'content-type': 'application/json',
        },
        body: payload,
      });
    } catch (error) {
      if (error instanceof Http2ConnectionError) return { kind: 'retry', reason: `connection: ${error.message}` };
      throw error;
    }

    const { status, headers } = response;
    if (status === 200) {
      const providerId = headerValue(headers, 'apns-id');
      return { kind: 'sent', ...(providerId && { providerId }) };
    }
    const reason = reasonOf(response);
    if (status === 410 || (status === 400 && DEAD_TOKEN_REASONS.has(reason))) return { kind: 'token_invalid', reason };
    if (status === 403 && reason === 'ExpiredProviderToken') return { kind: 'expired_token', jwt };
    if (status === 429 && reason === 'TooManyProviderTokenUpdates') {
      // The token is signed once per refresh window: this means several processes or a bug sign too often.
      this.logger.warn('APNs: TooManyProviderTokenUpdates; the provider token changes too often');
      return retryOutcome(reason, headers, (this.options.now ?? Date.now)());
    }
    if (status === 429 || status >= 500) return retryOutcome(reason, headers, (this.options.now ?? Date.now)());
    return { kind: 'rejected', reason };
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}


/** APNs's `{"reason": "..."}`, or the status when the body is not that. */
function reasonOf(response: Http2Response): string {
  try {
    const body: unknown = JSON.parse(response.body.toString('utf8'));
    if (body && typeof body === 'object' && 'reason' in body && typeof body.reason === 'string') return body.reason;
  } catch {
    // Not JSON (a proxy's page, an empty body): the status says what there is to say.
  }
  return `HTTP ${response.status}`;
}
