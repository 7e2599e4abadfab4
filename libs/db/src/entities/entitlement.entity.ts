import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Device } from './device.entity.js';
import { Product } from './product.entity.js';
import { Purchase } from './purchase.entity.js';
import { PrivateEntity } from './synced.entity.js';

/** What a device may watch. Private. */
@Entity('entitlements')
export class Entitlement extends PrivateEntity {
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

  /** NULL for entitlements granted by hand (complimentary access). */
  @Column({ type: 'uuid', nullable: true })
  purchaseId: string | null;

  @ManyToOne(() => Purchase, { nullable: true })
  @JoinColumn({ name: 'purchase_id' })
  purchase: Relation<Purchase> | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startsAt: Date;

  /** NULL: no end. */
  @Column({ type: 'timestamptz', nullable: true })
  endsAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
