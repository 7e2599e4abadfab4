import { GoogleAccessTokenError } from '@app/google-auth';
import { DEFAULT_STORE_TIMEOUT_MS, getStoreJson } from './store-http.js';
import { InvalidReceiptError, StoreAuthError, StoreUnavailableError, type StoreReceipt, type StoreVerifier, type VerifiedPurchase } from './store-verifier.js';

export const GOOGLE_PLAY_URL = 'https://androidpublisher.googleapis.com';
/** The OAuth2 scope of the Play Developer API. */
export const GOOGLE_PLAY_SCOPE = 'https://www.googleapis.com/auth/androidpublisher';

export interface GooglePlayVerifierOptions {
  /** Default GOOGLE_PLAY_URL. */
  baseUrl?: string;
  /**
   * An OAuth2 access token for the service account (scope
   * https://www.googleapis.com/auth/androidpublisher); called per request, so it
   * may cache and refresh (GoogleAccessTokenSource.get).
   */
  accessToken: () => string | Promise<string>;
  /**
   * Google answered 401 to this token (revoked, or expired early by clock skew):
   * the cache should drop it (GoogleAccessTokenSource.invalidate). The request is
   * then made once more with the next token; without it a 401 stands.
   */
  invalidateAccessToken?: (token: string) => void;
  /** Only purchases of these packages are accepted; any when absent. */
  packageNames?: readonly string[];
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** purchases.products.get: a ProductPurchase, the fields used here. */
export interface GoogleProductPurchase {
  kind?: 'androidpublisher#productPurchase';
  purchaseTimeMillis: string;
  /** 0 purchased, 1 canceled, 2 pending. */
  purchaseState: 0 | 1 | 2;
  /** 0 yet to be consumed, 1 consumed. */
  consumptionState?: 0 | 1;
  orderId?: string;
  /** 0 yet to be acknowledged, 1 acknowledged. */
  acknowledgementState?: 0 | 1;
  purchaseType?: 0 | 1 | 2;
  productId?: string;
  quantity?: number;
  regionCode?: string;
  [field: string]: unknown;
}

export type GoogleSubscriptionState =
  | 'SUBSCRIPTION_STATE_UNSPECIFIED'
  | 'SUBSCRIPTION_STATE_PENDING'
  | 'SUBSCRIPTION_STATE_ACTIVE'
  | 'SUBSCRIPTION_STATE_PAUSED'
  | 'SUBSCRIPTION_STATE_IN_GRACE_PERIOD'
  | 'SUBSCRIPTION_STATE_ON_HOLD'
  | 'SUBSCRIPTION_STATE_CANCELED'
  | 'SUBSCRIPTION_STATE_EXPIRED'
  | 'SUBSCRIPTION_STATE_PENDING_PURCHASE_CANCELED';

/** purchases.subscriptionsv2.get: a SubscriptionPurchaseV2, the fields used here. */
export interface GoogleSubscriptionPurchase {
  kind?: 'androidpublisher#subscriptionPurchaseV2';
  startTime?: string;
  subscriptionState: GoogleSubscriptionState;
  latestOrderId?: string;
  acknowledgementState?: 'ACKNOWLEDGEMENT_STATE_PENDING' | 'ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED';
  lineItems: Array<{ productId: string; expiryTime?: string; [field: string]: unknown }>;
  canceledStateContext?: {
    userInitiatedCancellation?: object;
    systemInitiatedCancellation?: object;
    developerInitiatedCancellation?: object;
    replacementCancellation?: object;
  };
  testPurchase?: object;
  [field: string]: unknown;
}

/**
 * Google Play Developer API: purchases.products.get and
 * purchases.subscriptionsv2.get, with a bearer access token.
 *
 * Gaps: a canceled one-time product (purchaseState 1) is reported 'refunded',
 * as products.get does not say why it was voided (the Voided Purchases API
 * does); a subscription refunded without being revoked still reads as valid.
 * Purchases are not acknowledged here.
 */
export class GooglePlayVerifier implements StoreVerifier {
  private readonly baseUrl: string;

  constructor(private readonly options: GooglePlayVerifierOptions) {
    this.baseUrl = (options.baseUrl ?? GOOGLE_PLAY_URL).replace(/\/+$/, '');
  }

  async verify(receipt: StoreReceipt): Promise<VerifiedPurchase> {
    if (receipt.store !== 'google_play') throw new InvalidReceiptError(`not a Google Play receipt: ${receipt.store}`, receipt.store);
    const { packageName, productId, purchaseToken } = receipt;
    if (!packageName || !productId || !purchaseToken) throw new InvalidReceiptError('packageName, productId and purchaseToken are required', 'google_play');
    if (this.options.packageNames && !this.options.packageNames.includes(packageName)) {
      throw new InvalidReceiptError(`not one of our packages: ${packageName}`, 'google_play');
    }
    const app = `${this.baseUrl}/androidpublisher/v3/applications/${encodeURIComponent(packageName)}/purchases`;
    return receipt.type === 'subscription'
      ? this.subscription(await this.get<GoogleSubscriptionPurchase>(`${app}/subscriptionsv2/tokens/${encodeURIComponent(purchaseToken)}`), productId, purchaseToken)
      : this.product(
          await this.get<GoogleProductPurchase>(`${app}/products/${encodeURIComponent(productId)}/tokens/${encodeURIComponent(purchaseToken)}`),
          productId,
          purchaseToken,
        );
  }

  private async get<T>(url: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      try {
        return await getStoreJson<T>('google_play', url, `Bearer ${token}`, this.options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, this.options.fetch);
      } catch (error) {
        // A token revoked or expired early (clock skew) gets one fresh one; a second 401 stands.
        if (!(attempt === 0 && this.options.invalidateAccessToken && error instanceof StoreAuthError && error.status === 401)) throw error;
        this.options.invalidateAccessToken(token);
      }
    }
  }

  private async accessToken(): Promise<string> {
    try {
      return await this.options.accessToken();
    } catch (error) {
      // Google refusing the service account itself is our configuration's fault, as a 401 from the API would be.
      if (error instanceof GoogleAccessTokenError && !error.retryable) {
        throw new StoreAuthError(`google_play: service account refused: ${error.message}`, 'google_play', undefined, { cause: error });
      }
      throw new StoreUnavailableError(`google_play: no access token: ${(error as Error).message}`, 'google_play', undefined, { cause: error });
    }
  }

  private product(purchase: GoogleProductPurchase, productId: string, purchaseToken: string): VerifiedPurchase {
    const purchasedAt = Number(purchase.purchaseTimeMillis);
    if (!Number.isFinite(purchasedAt) || ![0, 1, 2].includes(purchase.purchaseState)) {
      throw new StoreUnavailableError('google_play: unreadable ProductPurchase', 'google_play', 200);
    }
    return {
      store: 'google_play',
      // Test purchases have no order id; the token is unique too.
      storeTransactionId: purchase.orderId || purchaseToken,
      productSku: productId,
      purchasedAt: new Date(purchasedAt),
      status: purchase.purchaseState === 0 ? 'valid' : purchase.purchaseState === 2 ? 'pending' : 'refunded',
    };
  }

  private subscription(purchase: GoogleSubscriptionPurchase, productId: string, purchaseToken: string): VerifiedPurchase {
    const item = purchase.lineItems?.find((line) => line.productId === productId);
    if (!item) throw new InvalidReceiptError(`subscription ${purchaseToken.slice(0, 12)}… is not for ${productId}`, 'google_play');
    const purchasedAt = Date.parse(purchase.startTime ?? '');
    if (Number.isNaN(purchasedAt)) throw new StoreUnavailableError('google_play: unreadable SubscriptionPurchaseV2', 'google_play', 200);
    const expiresAt = item.expiryTime === undefined ? undefined : new Date(item.expiryTime);
    return {
      store: 'google_play',
      storeTransactionId: purchase.latestOrderId || purchaseToken,
      productSku: productId,
      purchasedAt: new Date(purchasedAt),
      status: subscriptionStatus(purchase),
      ...(expiresAt && !Number.isNaN(expiresAt.getTime()) && { expiresAt }),
    };
  }
}

/** Ended by us (subscriptions.revoke) is revoked; otherwise whether it entitles is expiresAt's to say. */
function subscriptionStatus(purchase: GoogleSubscriptionPurchase): VerifiedPurchase['status'] {
  switch (purchase.subscriptionState) {
    case 'SUBSCRIPTION_STATE_PENDING':
      return 'pending';
    case 'SUBSCRIPTION_STATE_PENDING_PURCHASE_CANCELED':
      return 'revoked';
    case 'SUBSCRIPTION_STATE_EXPIRED':
      return purchase.canceledStateContext?.developerInitiatedCancellation ? 'revoked' : 'valid';
    default:
      return 'valid';
  }
}
