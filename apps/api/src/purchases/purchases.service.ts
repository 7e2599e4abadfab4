import { Injectable, Logger } from '@nestjs/common';
import { ValidationFailedException } from '@app/bootstrap';
import type { PurchaseStatus, PurchaseView } from './dto/purchase.view.js';
import type { PurchaseStore, SubmitPurchaseDto } from './dto/submit-purchase.dto.js';
import { type PurchaseStoreColumn, PurchaseRepository } from './purchase.repository.js';
import {
  ProductUnknownException,
  PurchaseOwnedByOtherDeviceException,
  PurchasePendingException,
  ReceiptInvalidException,
  StoreAuthFailedException,
  StoreNotConfiguredException,
  StoreUnavailableException,
} from './purchases.exceptions.js';
import { StoreVerifiers } from './store-verifiers.js';
import { InvalidReceiptError, StoreAuthError, type StoreReceipt, StoreUnavailableError, type VerifiedPurchase } from './store/store-verifier.js';

/** Retry-After when the store sent none, and the most we pass on. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;
const MAX_RETRY_AFTER_SECONDS = 3600;

const STORE_COLUMN: Record<PurchaseStore, PurchaseStoreColumn> = { app_store: 'apple', google_play: 'google' };
const FIELDS_OF: Record<PurchaseStore, readonly string[]> = {
  app_store: ['store', 'signedTransaction'],
  google_play: ['store', 'productId', 'purchaseToken', 'type'],
};
const STATUS: Record<Exclude<VerifiedPurchase['status'], 'pending'>, PurchaseStatus> = { valid: 'active', refunded: 'refunded', revoked: 'revoked' };

export interface SubmittedPurchase {
  /** First time this receipt was recorded. */
  created: boolean;
  purchase: PurchaseView;
}

@Injectable()
export class PurchasesService {
  private readonly logger = new Logger(PurchasesService.name);

  constructor(
    private readonly verifiers: StoreVerifiers,
    private readonly purchases: PurchaseRepository,
  ) {}

  /**
   * Asks the store about the receipt and records its answer: the first valid
   * submission grants the entitlement, later ones (retries, re-verification
   * after a refund) update the same purchase and entitlement.
   */
  async submit(deviceId: string, body: SubmitPurchaseDto): Promise<SubmittedPurchase> {
    const foreign = Object.keys(body).filter((field) => body[field as keyof SubmitPurchaseDto] !== undefined && !FIELDS_OF[body.store].includes(field));
    if (foreign.length) throw new ValidationFailedException(foreign.map((field) => `${field}: not a field of a ${body.store} purchase`));
    const verifier = this.verifiers.for(body.store);
    if (!verifier) throw new StoreNotConfiguredException(body.store);
    const verified = await this.verify(body.store, () => verifier.verify(this.receipt(body)));
    if (verified.status === 'pending') throw new PurchasePendingException();
    // A store answer ending before it starts entitles to nothing (and the entitlements table refuses it).
    if (verified.expiresAt && verified.expiresAt <= verified.purchasedAt) throw new ReceiptInvalidException(body.store);
    const productId = await this.purchases.productIdForSku(verified.productSku, verified.storeTransactionId);
    if (!productId) throw new ProductUnknownException(verified.productSku);
    const outcome = await this.purchases.record({
      deviceId,
      productId,
      store: STORE_COLUMN[body.store],
      storeTransactionId: verified.storeTransactionId,
      receipt: { ...body },
      status: STATUS[verified.status],
      purchasedAt: verified.purchasedAt,
      expiresAt: verified.expiresAt ?? null,
    });
    if (outcome.kind === 'owned_by_other_device') throw new PurchaseOwnedByOtherDeviceException();
    return { created: outcome.kind === 'created', purchase: outcome.purchase };
  }

  private receipt(body: SubmitPurchaseDto): StoreReceipt {
    return body.store === 'app_store'
      ? { store: 'app_store', signedTransaction: body.signedTransaction! }
      : {
          store: 'google_play',
          packageName: this.verifiers.googlePackageName!,
          productId: body.productId!,
          purchaseToken: body.purchaseToken!,
          ...(body.type && { type: body.type }),
        };
  }

  private async verify(store: PurchaseStore, call: () => Promise<VerifiedPurchase>): Promise<VerifiedPurchase> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        this.logger.warn(`${store} unavailable: ${error.message}`);
        const seconds = Math.min(Math.ceil(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS), MAX_RETRY_AFTER_SECONDS);
        throw new StoreUnavailableException(store, seconds);
      }
      if (error instanceof StoreAuthError) {
        this.logger.error(`${store} refused our credentials (check the ${store === 'app_store' ? 'APP_STORE_*' : 'GOOGLE_PLAY_*'} settings): ${error.message}`);
        throw new StoreAuthFailedException(store);
      }
      if (error instanceof InvalidReceiptError) throw new ReceiptInvalidException(store);
      throw error;
    }
  }
}
