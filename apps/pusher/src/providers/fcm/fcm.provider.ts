import { Logger } from '@nestjs/common';
import { GoogleAccessTokenError, GoogleAccessTokenSource, type GoogleServiceAccount } from '@app/google-auth';
import { Http2Client, Http2ConnectionError, type Http2Response } from '../http2/http2-client.js';
import { PAYLOAD_TOO_LARGE, type ProviderConnectionOptions, type PushMessage, type PushOutcome, type PushProvider } from '../push-provider.js';
import { retryOutcome } from '../retry-after.js';

export interface FcmProviderOptions extends ProviderConnectionOptions {
  serviceAccount: GoogleServiceAccount;
  /** `https://fcm.googleapis.com` (FCM_BASE_URL). */
  baseUrl: string;
  /** Streams per connection, at most FCM's 100. */
  maxConcurrentStreams: number;
  maxConnections: number;
}

/** FCM's own cap on concurrent streams per connection. */
const FCM_MAX_STREAMS = 100;
export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** FCM keeps a message at most four weeks. */
const MAX_TTL_S = 28 * 86_400;
const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: Array<{ '@type'?: string; errorCode?: string; fieldViolations?: Array<{ field?: string; description?: string }> }>;
  };
}

/**
 * Android pushes through FCM HTTP v1 (one request per device) over a few
 * HTTP/2 connections, authenticated with a service account's OAuth2 token.
 */
export class FcmProvider implements PushProvider {
  readonly platform = 'android' as const;
  private readonly logger = new Logger(FcmProvider.name);
  private readonly client: Http2Client;
  private readonly tokens: GoogleAccessTokenSource;
  private readonly sendPath: string;
  private readonly now: () => number;

  constructor(options: FcmProviderOptions) {
    this.now = options.now ?? Date.now;
    const base = new URL(options.baseUrl);
    this.sendPath = `${base.pathname.replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(options.serviceAccount.project_id)}/messages:send`;
    this.client = new Http2Client({
      origin: base.origin,
      name: 'fcm',
      maxConcurrentStreams: Math.min(options.maxConcurrentStreams, FCM_MAX_STREAMS),
      maxSessions: options.maxConnections,
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      pingIntervalMs: options.pingIntervalMs,
      pingTimeoutMs: options.pingTimeoutMs,
      ...(options.ca && { ca: options.ca }),
    });
    this.tokens = new GoogleAccessTokenSource({
      serviceAccount: options.serviceAccount,
      scope: FCM_SCOPE,
      timeoutMs: options.requestTimeoutMs,
      now: this.now,
      ...(options.ca && { ca: options.ca }),
    });
  }

  /** Connections opened so far, for tests and metrics. */
  get connectionsOpened(): number {
    return this.client.sessionsOpened;
  }

  /** Access token requests made so far, for tests and metrics. */
  get tokenFetches(): number {
    return this.tokens.fetches;
  }

  async send(message: PushMessage): Promise<PushOutcome> {
    const ttlSeconds = Math.min(MAX_TTL_S, Math.floor((message.expiresAt.getTime() - this.now()) / 1000));
    // FCM would take a ttl of 0 as "now or never"; a notification already stale is not worth the request.
    if (ttlSeconds <= 0) return { kind: 'rejected', reason: 'expired before sending' };
    const body = JSON.stringify({
      message: {
        token: message.token,
        notification: { title: message.title, body: message.body },
        data: message.data,
        android: { collapse_key: message.collapseId, priority: 'HIGH', ttl: `${ttlSeconds}s`, notification: { tag: message.threadId } },
      },
    });
    try {
      for (let attempt = 0; ; attempt++) {
        const accessToken = await this.tokens.get();
        const response = await this.client.request({
          method: 'POST',
          path: this.sendPath,
          headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json; charset=UTF-8' },
          body,
        });
        if (response.status === 401 && attempt === 0) {
          // Revoked or expired early (clock skew): one fresh token, then the answer stands.
          this.tokens.invalidate(accessToken);
          continue;
        }
        return this.outcome(response);
      }
    } catch (error) {
      if (error instanceof GoogleAccessTokenError) {
        if (!error.retryable) this.logger.error(`FCM credentials refused: ${error.message}`);
        return error.retryable ? { kind: 'retry', reason: error.message } : { kind: 'rejected', reason: error.message };
      }
      if (error instanceof Http2ConnectionError) return { kind: 'retry', reason: error.message };
      // Nothing else is expected here; the interface promises an outcome, and a later attempt is the safe one.
      this.logger.warn(`FCM send failed unexpectedly: ${(error as Error).message}`);
      return { kind: 'retry', reason: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
    this.tokens.close();
  }

  /**
   * FCM's answer as an outcome, after its ErrorCode reference: UNREGISTERED and
   * SENDER_ID_MISMATCH mean the token is dead; INVALID_ARGUMENT does too when
   * Google points at the token (a BadRequest field violation on
   * `message.token`, or a message about the registration token) and is
   * otherwise our payload's fault; 429 and 5xx are retried after retry-after.
   */
  private outcome(response: Http2Response): PushOutcome {
    const parsed = parseJson(response.body);
    if (response.status === 200) {
      const name = (parsed as { name?: unknown } | undefined)?.name;
      return { kind: 'sent', ...(typeof name === 'string' && { providerId: name }) };
    }
    const error = (parsed as GoogleErrorBody | undefined)?.error;
    const details = Array.isArray(error?.details) ? error.details : [];
    const errorCode = details.find((detail) => detail['@type'] === FCM_ERROR_TYPE)?.errorCode;
    const status = error?.status ?? String(response.status);
    const reason = [errorCode ?? status, error?.message].filter(Boolean).join(': ');
    if (errorCode === 'UNREGISTERED' || errorCode === 'SENDER_ID_MISMATCH') return { kind: 'token_invalid', reason };
    if (response.status === 400) {
      const aboutToken =
        details.some((detail) => detail['@type'] === BAD_REQUEST_TYPE && detail.fieldViolations?.some((violation) => violation.field === 'message.token')) ||
        /registration token/i.test(error?.message ?? '');
      if (aboutToken) return { kind: 'token_invalid', reason };
      if (/too big/i.test(error?.message ?? '')) return { kind: 'rejected', reason: PAYLOAD_TOO_LARGE };
      return { kind: 'rejected', reason };
    }
    if (response.status === 429 || response.status >= 500) return retryOutcome(reason, response.headers, this.now());
    return { kind: 'rejected', reason };
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
