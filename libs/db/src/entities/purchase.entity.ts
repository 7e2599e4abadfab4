import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Device } from './device.entity.js';
import { Product } from './product.entity.js';
import { PrivateEntity } from './synced.entity.js';

export const STORES = ['apple', 'google'] as const;
export type Store = (typeof STORES)[number];

export const PURCHASE_STATUSES = ['active', 'refunded', 'revoked'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

/** A store transaction. Private; not deleted with its device (financial record). */
@Entity('purchases')
export class Purchase extends PrivateEntity {
  @Column({ type: 'uuid' })
  deviceId: string;

  @ManyToOne(() => Device, { nullable: false })
  @JoinColumn({ name: 'device_id' })
  device: Relation<Device>;

  @Column({ type: 'uuid' })
  productId: string;

  @ManyToOne(() => Product, { nullable: false })
  @JoinColumn({ name: 'product_id' })
  product: Relation<Product>;

  @Column({ type: 'text' })
  store: Store;

  /** Unique: a store's retried notification must not buy twice. */
  @Column({ type: 'text' })
  storeTransactionId: string;

  /** The verified receipt / transaction payload (a JSON object). */
  @Column({ type: 'jsonb' })
  receipt: Record<string, unknown>;

  @Column({ type: 'text', default: 'active' })
  status: PurchaseStatus;

  @Column({ type: 'timestamptz' })
  purchasedAt: Date;
}
