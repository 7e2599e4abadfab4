import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@app/bootstrap';
import type { PurchaseStore } from './dto/submit-purchase.dto.js';
import type { PurchaseThrottleName } from './throttle/purchase-throttle.guard.js';

/** This deployment has no credentials for that store (see the README's APP_STORE_* / GOOGLE_PLAY_* settings). */
export class StoreNotConfiguredException extends DomainException {
  constructor(store: PurchaseStore) {
    super('store_not_configured', HttpStatus.SERVICE_UNAVAILABLE, `purchases from ${store} cannot be verified by this server`, { store });
  }
}

/** The store did not answer, or answered 5xx/429: the app should keep the receipt and submit it again later. */
export class StoreUnavailableException extends DomainException {
  constructor(store: PurchaseStore, retryAfterSeconds: number) {
    super('store_unavailable', HttpStatus.SERVICE_UNAVAILABLE, `${store} could not verify the purchase right now: try again later`, { store }, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}

/** The store refused our credentials: our configuration is wrong, not the receipt (logged). */
export class StoreAuthFailedException extends DomainException {
  constructor(store: PurchaseStore) {
    super('store_auth_failed', HttpStatus.BAD_GATEWAY, `${store} refused this server's credentials`, { store });
  }
}

/** The store knows no such purchase, or it is another app's. */
export class ReceiptInvalidException extends DomainException {
  constructor(store: PurchaseStore) {
    super('receipt_invalid', HttpStatus.UNPROCESSABLE_ENTITY, `${store} does not confirm this purchase`, { store });
  }
}

/** The store confirmed a product we do not sell (no active product with that SKU). */
export class ProductUnknownException extends DomainException {
  constructor(productSku: string) {
    super('product_unknown', HttpStatus.UNPROCESSABLE_ENTITY, `no product ${productSku} on sale`, { productSku });
  }
}

/** Paid for later (e.g. cash at a shop): nothing is recorded yet; submit it again once the store says it is paid. */
export class PurchasePendingException extends DomainException {
  constructor() {
    super('purchase_pending', HttpStatus.UNPROCESSABLE_ENTITY, 'the store says this purchase is not paid yet: submit it again once it is');
  }
}

/** The receipt was already claimed by another device: a purchase entitles one device. */
export class PurchaseOwnedByOtherDeviceException extends DomainException {
  constructor() {
    super('purchase_owned_by_other_device', HttpStatus.CONFLICT, 'this purchase belongs to another device');
  }
}

/** Too many purchase attempts from this device or this address (see PURCHASE_ATTEMPTS_PER_*): try again after Retry-After. */
export class PurchaseRateLimitedException extends DomainException {
  constructor(limitedBy: PurchaseThrottleName, retryAfterSeconds: number) {
    super('purchase_rate_limited', HttpStatus.TOO_MANY_REQUESTS, `too many purchase attempts from this ${limitedBy}: try again in ${retryAfterSeconds} s`, { limitedBy, retryAfterSeconds }, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}
