import http from 'node:http';
import https from 'node:https';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import type { GoogleServiceAccount } from './google-service-account.js';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google's assertions may live an hour at most. */
const ASSERTION_LIFETIME_S = 3600;
/** A token is replaced this long before it expires, so a send never carries one that dies in flight. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface GoogleAccessTokenOptions {
  serviceAccount: GoogleServiceAccount;
  /** The OAuth2 scope(s) asked for, space-separated, e.g. https://www.googleapis.com/auth/firebase.messaging. */
  scope: string;
  /** The whole token request (connect, answer) ends after this. */
  timeoutMs: number;
  /** Extra trusted certificates for the token endpoint (tests' fake). */
  ca?: string | Buffer;
  /** Milliseconds since the epoch; default Date.now. Tests share a fake clock with the fake server. */
  now?: () => number;
}

/**
 * The token endpoint refused or could not be reached. `retryable` is false when
 * Google refused the credentials themselves (invalid_grant, a key that does not
 * parse): sending again will not help until someone fixes the service account.
 */
export class GoogleAccessTokenError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'GoogleAccessTokenError';
  }
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

/**
 * OAuth2 access tokens for a Google API (FCM HTTP v1, the Play Developer API)
 * from a service account, by the JWT bearer grant (RFC 7523) as Google's client
 * libraries do it. One token serves every request until shortly before it
 * expires; callers asking while a token is being fetched share that fetch, so a
 * burst of requests makes one token request.
 */
export class GoogleAccessTokenSource {
  private readonly now: () => number;
  private readonly agent: http.Agent;
  private cached?: CachedToken;
  private pending?: Promise<string>;
  private signingKey?: Promise<CryptoKey>;

  /** Token requests made, for tests and metrics. */
  fetches = 0;

  constructor(private readonly options: GoogleAccessTokenOptions) {
    this.now = options.now ?? Date.now;
    const secure = new URL(options.serviceAccount.token_uri).protocol === 'https:';
    this.agent = secure ? new https.Agent({ keepAlive: true, ...(options.ca && { ca: options.ca }) }) : new http.Agent({ keepAlive: true });
  }

  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.value;
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /**
   * The API answered 401 to this token (revoked, or our clock is off): the next
   * get() fetches anew. A 401 for a token already replaced by another caller
   * must not throw away the fresh one.
   */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  close(): void {
    this.agent.destroy();
  }

  private async fetch(): Promise<string> {
    const account = this.options.serviceAccount;
    const issuedAt = Math.floor(this.now() / 1000);
    let assertion: string;
    try {
      this.signingKey ??= importPKCS8(account.private_key, 'RS256');
      assertion = await new SignJWT({ scope: this.options.scope })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(account.private_key_id && { kid: account.private_key_id }) })
        .setIssuer(account.client_email)
        .setAudience(account.token_uri)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ASSERTION_LIFETIME_S)
        .sign(await this.signingKey);
    } catch (error) {
      this.signingKey = undefined;
      throw new GoogleAccessTokenError(`service account key unusable: ${(error as Error).message}`, false);
    }
    this.fetches++;
    const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString();
    const { status, body } = await this.post(form);
    let answer: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
    try {
      answer = JSON.parse(body) as typeof answer;
    } catch {
      throw new GoogleAccessTokenError(`token endpoint answered ${status} without JSON`, status >= 500 || status === 429);
    }
    if (status !== 200 || typeof answer.access_token !== 'string' || typeof answer.expires_in !== 'number') {
      const detail = [answer.error, answer.error_description].filter((part) => typeof part === 'string').join(': ');
      // 400/401 (invalid_grant, invalid_client...) are about our credentials; the rest is Google's trouble.
      throw new GoogleAccessTokenError(`token endpoint answered ${status}${detail ? ` (${detail})` : ''}`, status >= 500 || status === 429 || status === 200);
    }
    const lifetimeMs = answer.expires_in * 1000;
    // Short-lived tokens (tests, odd answers) would otherwise be stale on arrival.
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
    this.cached = { value: answer.access_token, refreshAt: this.now() + lifetimeMs - margin };
    return answer.access_token;
  }

  private post(form: string): Promise<{ status: number; body: string }> {
    const url = new URL(this.options.serviceAccount.token_uri);
    const request = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          signal: AbortSignal.timeout(this.options.timeoutMs),
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form), accept: 'application/json' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', (error) => reject(new GoogleAccessTokenError(`token request failed: ${error.message}`, true)));
        },
      );
      outgoing.on('error', (error) => reject(new GoogleAccessTokenError(`token request failed: ${error.message}`, true)));
      outgoing.end(form);
    });
  }
}
