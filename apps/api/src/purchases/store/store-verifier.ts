/**
 * What the app sends after a purchase. App Store: the signed transaction (JWS)
 * StoreKit 2 hands the app, or just its transaction id. Google Play: the
 * purchase token with the package and product it was bought for; `type`
 * picks the product or the subscription API (default 'product').
 */
export type StoreReceipt =
  | { store: 'app_store'; signedTransaction: string }
  | { store: 'google_play'; packageName: string; productId: string; purchaseToken: string; type?: 'product' | 'subscription' };

export type StoreName = StoreReceipt['store'];

/**
 * The store's own word on a purchase. `status` says whether the purchase stands
 * ('pending': paid for later, e.g. cash at a shop); whether a subscription still
 * entitles is `expiresAt` against the clock, as there is no 'expired' status.
 */
export interface VerifiedPurchase {
  store: StoreName;
  storeTransactionId: string;
  productSku: string;
  purchasedAt: Date;
  status: 'valid' | 'refunded' | 'revoked' | 'pending';
  expiresAt?: Date;
}

export interface StoreVerifier {
  verify(receipt: StoreReceipt): Promise<VerifiedPurchase>;
}

export abstract class StoreVerificationError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly store: StoreName,
    /** The store's HTTP status, when it answered. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The store did not answer, answered 5xx or 429: try again later. */
export class StoreUnavailableError extends StoreVerificationError {
  readonly retryable = true;
  /** From the store's Retry-After, when it sent one. */
  readonly retryAfterSeconds?: number;
  constructor(message: string, store: StoreName, status?: number, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super(message, store, status, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** The store knows no such purchase, or it is not for this app or product (4xx): the receipt is no good. */
export class InvalidReceiptError extends StoreVerificationError {
  readonly retryable = false;
}

/** The store refused our credentials (401/403): our configuration, not the user's receipt, is wrong. */
export class StoreAuthError extends StoreVerificationError {
  readonly retryable = false;
}
