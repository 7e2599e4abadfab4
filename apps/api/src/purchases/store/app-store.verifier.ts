import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { DEFAULT_STORE_TIMEOUT_MS, getStoreJson } from './store-http.js';
import { InvalidReceiptError, StoreUnavailableError, type StoreReceipt, type StoreVerifier, type VerifiedPurchase } from './store-verifier.js';

export const APP_STORE_PRODUCTION_URL = 'https://api.storekit.itunes.apple.com';

export interface AppStoreVerifierOptions {
  /** Default APP_STORE_PRODUCTION_URL. */
  baseUrl?: string;
  /** The In-App Purchase key from App Store Connect: its id, the issuer id and the .p8 (PKCS#8 PEM) private key. */
  keyId: string;
  issuerId: string;
  privateKey: string | KeyObject;
  /** The app's bundle id: sent in the token, and transactions of any other app are refused. */
  bundleId: string;
  timeoutMs?: number;
  /** Default Date.now; for the token's iat/exp. */
  now?: () => number;
  fetch?: typeof fetch;
}

/** The payload of Apple's JWSTransaction (JWSTransactionDecodedPayload), the fields used here. */
export interface AppStoreTransactionPayload {
  transactionId: string;
  originalTransactionId: string;
  bundleId: string;
  productId: string;
  purchaseDate: number;
  originalPurchaseDate?: number;
  expiresDate?: number;
  type: 'Auto-Renewable Subscription' | 'Non-Consumable' | 'Consumable' | 'Non-Renewing Subscription';
  inAppOwnershipType?: 'FAMILY_SHARED' | 'PURCHASED';
  revocationDate?: number;
  /** 0: refunded for another reason, 1: refunded for an issue in the app. Absent on a revocation that is no refund. */
  revocationReason?: 0 | 1;
  environment?: 'Sandbox' | 'Production';
  signedDate?: number;
  quantity?: number;
  [field: string]: unknown;
}

/** Apple's tokens may live 60 minutes; ours live 20 and are renewed 1 minute before. */
const TOKEN_SECONDS = 20 * 60;
const TRANSACTION_ID = /^\d{1,32}$/;

/**
 * App Store Server API: `GET /inApps/v1/transactions/{transactionId}` with an
 * ES256 JWT (signed with node:crypto: `jose` is not a dependency).
 *
 * Gap: the signedTransactionInfo JWS is decoded, not verified: its x5c chain is
 * not checked against Apple's root CA. That is acceptable only because it came
 * straight from Apple over TLS with our token; a JWS from the app is used only
 * for its transaction id, and Apple is always asked.
 */
export class AppStoreVerifier implements StoreVerifier {
  private readonly baseUrl: string;
  private readonly key: KeyObject;
  private readonly now: () => number;
  private token?: { value: string; renewAt: number };

  constructor(private readonly options: AppStoreVerifierOptions) {
    this.baseUrl = (options.baseUrl ?? APP_STORE_PRODUCTION_URL).replace(/\/+$/, '');
    this.key = typeof options.privateKey === 'string' ? createPrivateKey(options.privateKey) : options.privateKey;
    if (this.key.asymmetricKeyType !== 'ec' || this.key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new RangeError('the App Store key must be an EC P-256 private key (the .p8 file)');
    }
    this.now = options.now ?? Date.now;
  }

  async verify(receipt: StoreReceipt): Promise<VerifiedPurchase> {
    if (receipt.store !== 'app_store') throw new InvalidReceiptError(`not an App Store receipt: ${receipt.store}`, receipt.store);
    const transactionId = transactionIdOf(receipt.signedTransaction);
    const body = await getStoreJson<{ signedTransactionInfo?: unknown }>(
      'app_store',
      `${this.baseUrl}/inApps/v1/transactions/${encodeURIComponent(transactionId)}`,
      `Bearer ${this.bearerToken()}`,
      this.options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS,
      this.options.fetch,
    );
    if (typeof body.signedTransactionInfo !== 'string') throw new StoreUnavailableError('app_store: answer without signedTransactionInfo', 'app_store', 200);
    let transaction: AppStoreTransactionPayload;
    try {
      transaction = decodeJwsPayload<AppStoreTransactionPayload>(body.signedTransactionInfo);
    } catch (error) {
      throw new StoreUnavailableError(`app_store: unreadable signedTransactionInfo: ${(error as Error).message}`, 'app_store', 200, { cause: error });
    }
    if (transaction.bundleId !== this.options.bundleId) {
      throw new InvalidReceiptError(`transaction ${transactionId} is for ${transaction.bundleId}, not ${this.options.bundleId}`, 'app_store');
    }
    return {
      store: 'app_store',
      storeTransactionId: String(transaction.transactionId),
      productSku: transaction.productId,
      purchasedAt: new Date(transaction.purchaseDate),
      // A revocation with a reason is a refund; without one, e.g. family sharing withdrawn, a revocation.
      status: transaction.revocationDate === undefined ? 'valid' : transaction.revocationReason === undefined ? 'revoked' : 'refunded',
      ...(transaction.expiresDate !== undefined && { expiresAt: new Date(transaction.expiresDate) }),
    };
  }

  /** The JWT App Store Server API wants, reused until a minute before it expires. */
  bearerToken(): string {
    const now = this.now();
    if (this.token && now < this.token.renewAt) return this.token.value;
    const iat = Math.floor(now / 1000);
    const header = { alg: 'ES256', kid: this.options.keyId, typ: 'JWT' };
    const payload = { iss: this.options.issuerId, iat, exp: iat + TOKEN_SECONDS, aud: 'appstoreconnect-v1', bid: this.options.bundleId };
    const input = `${base64urlJson(header)}.${base64urlJson(payload)}`;
    // JWS wants r||s (IEEE P1363), not the DER node:crypto gives by default.
    const signature = sign('sha256', Buffer.from(input), { key: this.key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    this.token = { value: `${input}.${signature}`, renewAt: (iat + TOKEN_SECONDS - 60) * 1000 };
    return this.token.value;
  }
}

/** The app may send the StoreKit 2 JWS (its payload names the transaction) or the bare id. */
function transactionIdOf(signedTransaction: string): string {
  const text = signedTransaction.trim();
  if (TRANSACTION_ID.test(text)) return text;
  let id: unknown;
  try {
    id = decodeJwsPayload<{ transactionId?: unknown }>(text).transactionId;
  } catch {
    throw new InvalidReceiptError('signedTransaction is neither a transaction id nor a JWS', 'app_store');
  }
  if ((typeof id !== 'string' && typeof id !== 'number') || !TRANSACTION_ID.test(String(id))) {
    throw new InvalidReceiptError('the JWS names no transaction id', 'app_store');
  }
  return String(id);
}

/** The payload of a compact JWS, signature not checked (see the class comment). */
export function decodeJwsPayload<T>(jws: string): T {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) throw new SyntaxError('not a compact JWS');
  const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new SyntaxError('JWS payload is not an object');
  return payload as T;
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
