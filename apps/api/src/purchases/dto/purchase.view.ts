/** `purchases.status`: what the store last said of the purchase. */
export type PurchaseStatus = 'active' | 'refunded' | 'revoked';

export interface EntitlementView {
  productSku: string;
  startsAt: Date;
  /** null: no end. */
  endsAt: Date | null;
  /** Not revoked and within its window now. */
  active: boolean;
}

/** What POST /v1/purchases answers; the receipt is private and never part of it. */
export interface PurchaseView {
  purchaseId: string;
  status: PurchaseStatus;
  /** null when the purchase was never valid while we saw it (refunded or revoked on first submission). */
  entitlement: EntitlementView | null;
}
