import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Person } from './person.entity.js';
import { Season } from './season.entity.js';
import { SyncedEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

export const POSITIONS = ['C', 'LW', 'RW', 'D', 'G'] as const;
export type Position = (typeof POSITIONS)[number];

export const CAPTAINCIES = ['captain', 'alternate'] as const;
export type Captaincy = (typeof CAPTAINCIES)[number];

/** A person on a team's roster for a season; unique (season, team, person). Synced as `roster_entry`. */
@Entity('roster_entries')
export class RosterEntry extends SyncedEntity {
  @Column({ type: 'uuid' })
  seasonId: string;

  @ManyToOne(() => Season, { nullable: false })
  @JoinColumn({ name: 'season_id' })
  season: Relation<Season>;

  @Column({ type: 'uuid' })
  teamId: string;

  @ManyToOne(() => Team, { nullable: false })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team>;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { nullable: false })
  @JoinColumn({ name: 'person_id' })
  person: Relation<Person>;

  /** 0-99 */
  @Column({ type: 'integer', nullable: true })
  jerseyNumber: number | null;

  /** NULL for staff. */
  @Column({ type: 'text', nullable: true })
  position: Position | null;

  @Column({ type: 'text', nullable: true })
  captaincy: Captaincy | null;

  /** false once traded away or released; the entry stays for the record. */
  @Column({ type: 'boolean', default: true })
  active: boolean;
}
