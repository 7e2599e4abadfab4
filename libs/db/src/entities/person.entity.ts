import { Column, Entity } from 'typeorm';
import { ImportableEntity } from './synced.entity.js';

export const PERSON_ROLES = ['player', 'coach', 'official'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export const HANDEDNESS = ['L', 'R'] as const;
export type Handedness = (typeof HANDEDNESS)[number];

/** A player, coach or official. Synced as `person`. */
@Entity('persons')
export class Person extends ImportableEntity {
  /** NULL when only a full name is known (officials in the NHL API). */
  @Column({ type: 'text', nullable: true })
  firstName: string | null;

  @Column({ type: 'text', nullable: true })
  lastName: string | null;

  @Column({ type: 'text' })
  fullName: string;

  /** Localized full names by locale. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  nameI18n: Record<string, string>;

  /** `YYYY-MM-DD` */
  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  /** ISO 3166-1 alpha-3 */
  @Column({ type: 'text', nullable: true })
  nationality: string | null;

  @Column({ type: 'integer', nullable: true })
  heightCm: number | null;

  @Column({ type: 'integer', nullable: true })
  weightKg: number | null;

  @Column({ type: 'text', nullable: true })
  shootsCatches: Handedness | null;

  @Column({ type: 'text', nullable: true })
  photoUrl: string | null;

  @Column({ type: 'text', default: 'player' })
  role: PersonRole;
}
