import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export interface ApnsProviderTokenOptions {
  /** The 10-character key id of the .p8 key (JWT header `kid`). */
  keyId: string;
  /** The developer team id (JWT claim `iss`). */
  teamId: string;
  /** The .p8 key: a PKCS #8 PEM of a P-256 private key. */
  privateKey: string;
  /** Age after which the token is signed again (APNS_TOKEN_REFRESH_MINUTES): APNs refuses tokens older than an hour and updates more often than every 20 minutes. */
  refreshAfterMs: number;
  /** Default Date.now; tests move time. */
  now?: () => number;
}

/**
 * The JWT that authenticates us to APNs. APNs answers 429
 * TooManyProviderTokenUpdates to a connection that changes tokens more
 * often than every 20 minutes, so one token is signed and shared by every
 * request until it ages past the refresh window or APNs says it expired.
 */
export class ApnsProviderToken {
  private readonly key: KeyObject;
  private readonly now: () => number;
  private current?: { jwt: string; signedAt: number };
  private signing?: Promise<string>;

  /** Tokens signed so far, for tests and metrics. */
  signatures = 0;

  constructor(private readonly options: ApnsProviderTokenOptions) {
    // Parsed here so that a bad key fails at start rather than at the first notification.
    this.key = createPrivateKey(options.privateKey);
    this.now = options.now ?? Date.now;
  }

  /** The current token, signed first when there is none or it is too old; concurrent callers wait for the same signature. */
  get(): Promise<string> {
    if (this.current && this.now() - this.current.signedAt < this.options.refreshAfterMs) return Promise.resolve(this.current.jwt);
    this.signing ??= this.sign().finally(() => {
      this.signing = undefined;
    });
    return this.signing;
  }

  /**
   * APNs said `jwt` expired. Only the current token is dropped: the other
   * requests that carried it get the same answer, and they must not cause
   * one signature each.
   */
  invalidate(jwt: string): void {
    if (this.current?.jwt === jwt) this.current = undefined;
  }

  private async sign(): Promise<string> {
    const signedAt = this.now();
    const jwt = await new SignJWT({ iss: this.options.teamId, iat: Math.floor(signedAt / 1000) })
      .setProtectedHeader({ alg: 'ES256', kid: this.options.keyId })
      .sign(this.key);
    this.signatures++;
    this.current = { jwt, signedAt };
    return jwt;
  }
}
