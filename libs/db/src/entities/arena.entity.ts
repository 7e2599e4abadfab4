import { Column, Entity } from 'typeorm';
import { ImportableEntity } from './synced.entity.js';

/** Synced as `arena`. */
@Entity('arenas')
export class Arena extends ImportableEntity {
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  nameI18n: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  /** ISO 3166-1 alpha-3, as the NHL API gives it ("CAN", "USA"). */
  @Column({ type: 'text', nullable: true })
  country: string | null;

  @Column({ type: 'integer', nullable: true })
  capacity: number | null;

  /** IANA time zone ("America/Los_Angeles"), for local start times. */
  @Column({ type: 'text', nullable: true })
  timeZone: string | null;
}
