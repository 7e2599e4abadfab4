import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { ImportableEntity } from './synced.entity.js';
import { Tournament } from './tournament.entity.js';

/** One season of a tournament ("2024-25"). Synced as `season`. */
@Entity('seasons')
export class Season extends ImportableEntity {
  @Column({ type: 'uuid' })
  tournamentId: string;

  @ManyToOne(() => Tournament, { nullable: false })
  @JoinColumn({ name: 'tournament_id' })
  tournament: Relation<Tournament>;

  /** As displayed: "2024-25". Unique per tournament. */
  @Column({ type: 'text' })
  name: string;

  /** `YYYY-MM-DD` (TypeORM returns `date` columns as strings). */
  @Column({ type: 'date', nullable: true })
  startsOn: string | null;

  @Column({ type: 'date', nullable: true })
  endsOn: string | null;

  /** The season apps open on (not enforced unique per tournament). */
  @Column({ type: 'boolean', default: false })
  isCurrent: boolean;
}
