import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PurchaseStatus, PurchaseView } from './dto/purchase.view.js';

/** `purchases.store`'s names. */
export type PurchaseStoreColumn = 'apple' | 'google';

export interface VerifiedPurchaseRecord {
  deviceId: string;
  productId: string;
  store: PurchaseStoreColumn;
  storeTransactionId: string;
  /** What the app sent, as it sent it (private). */
  receipt: Record<string, unknown>;
  status: PurchaseStatus;
  purchasedAt: Date;
  expiresAt: Date | null;
}

export type RecordOutcome = { kind: 'created' | 'updated'; purchase: PurchaseView } | { kind: 'owned_by_other_device' };

/** Purchases and the entitlements they grant: private tables, plain SQL, no change feed. */
@Injectable()
export class PurchaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The active product sold under `sku`, or the one an existing purchase of
   * this transaction already points at (so a refund of a product taken off
   * sale still reaches its entitlement).
   */
  async productIdForSku(sku: string, storeTransactionId: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM products p
        WHERE p.sku = $1
          AND (p.active OR EXISTS (SELECT 1 FROM purchases u WHERE u.store_transaction_id = $2 AND u.product_id = p.id))`,
      [sku, storeTransactionId],
    );
    return row?.id ?? null;
  }

  /**
   * Records what the store said, in one transaction: the purchase (inserted,
   * or its status updated when the receipt comes again) and its one
   * entitlement. `entitlements.purchase_id` is not unique, so a
   * transaction-scoped advisory lock on the transaction id serializes
   * concurrent submissions of one receipt: the second sees the first's
   * entitlement instead of granting another.
   */
  async record(purchase: VerifiedPurchaseRecord): Promise<RecordOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`purchase:${purchase.storeTransactionId}`]);
      // The WHERE leaves another device's purchase untouched and returns no row.
      const [row] = await manager.query<{ id: string; productId: string; created: boolean }[]>(
        `INSERT INTO purchases (device_id, product_id, store, store_transaction_id, receipt, status, purchased_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
         ON CONFLICT (store_transaction_id) DO UPDATE
            SET status = EXCLUDED.status,
                updated_at = CASE WHEN purchases.status IS DISTINCT FROM EXCLUDED.status THEN now() ELSE purchases.updated_at END
          WHERE purchases.device_id = EXCLUDED.device_id
        RETURNING id, product_id AS "productId", (xmax = 0) AS created`,
        [
          purchase.deviceId,
          purchase.productId,
          purchase.store,
          purchase.storeTransactionId,
          JSON.stringify(purchase.receipt),
          purchase.status,
          purchase.purchasedAt,
        ],
      );
      if (!row) return { kind: 'owned_by_other_device' };
      const ended = purchase.status !== 'active';
      const [entitlement] = await manager.query<{ id: string }[]>('SELECT id FROM entitlements WHERE purchase_id = $1 ORDER BY created_at, id LIMIT 1', [row.id]);
      if (entitlement) {
        // A refund or revocation ends it for good; a renewal's later expiry moves its end.
        await manager.query(
          `UPDATE entitlements
              SET ends_at    = $2,
                  revoked_at = CASE WHEN $3 THEN COALESCE(revoked_at, now()) ELSE revoked_at END,
                  updated_at = now()
            WHERE id = $1 AND (ends_at IS DISTINCT FROM $2 OR ($3 AND revoked_at IS NULL))`,
          [entitlement.id, purchase.expiresAt, ended],
        );
      } else if (!ended) {
        await manager.query(
          `INSERT INTO entitlements (device_id, product_id, purchase_id, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)`,
          [purchase.deviceId, row.productId, row.id, purchase.purchasedAt, purchase.expiresAt],
        );
      }
      const [view] = await manager.query<ViewRow[]>(
        `SELECT p.id AS "purchaseId", p.status, e.id AS "entitlementId", pr.sku AS "productSku", e.starts_at AS "startsAt", e.ends_at AS "endsAt",
                e.revoked_at IS NULL AND e.starts_at <= now() AND (e.ends_at IS NULL OR e.ends_at > now()) AS active
           FROM purchases p
           LEFT JOIN LATERAL (SELECT * FROM entitlements WHERE purchase_id = p.id ORDER BY created_at, id LIMIT 1) e ON true
           LEFT JOIN products pr ON pr.id = e.product_id
          WHERE p.id = $1`,
        [row.id],
      );
      return { kind: row.created ? 'created' : 'updated', purchase: toView(view) };
    });
  }
}

interface ViewRow {
  purchaseId: string;
  status: PurchaseStatus;
  entitlementId: string | null;
  productSku: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  active: boolean | null;
}

function toView(row: ViewRow): PurchaseView {
  const { purchaseId, status, entitlementId, productSku, startsAt, endsAt, active } = row;
  return {
    purchaseId,
    status,
    entitlement: entitlementId === null ? null : { productSku: productSku!, startsAt: startsAt!, endsAt, active: active === true },
  };
}
