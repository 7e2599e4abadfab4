import { Column, Entity } from 'typeorm';
import { ImportableEntity } from './synced.entity.js';

/** A competition (the NHL, a national league, an international event). Synced as `tournament`. */
@Entity('tournaments')
export class Tournament extends ImportableEntity {
  @Column({ type: 'text' })
  name: string;

  /** Localized names by locale: `{ "fr": "..." }`; `name` is the default. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  nameI18n: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  shortName: string | null;

  @Column({ type: 'text', nullable: true })
  logoUrl: string | null;
}
