import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Match } from './match.entity.js';
import { Person } from './person.entity.js';
import type { Position } from './roster-entry.entity.js';
import { SyncedEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

/** A person dressed (or scratched) for a match; unique (match, person). Synced as `lineup`. */
@Entity('lineups')
export class Lineup extends SyncedEntity {
  @Column({ type: 'uuid' })
  matchId: string;

  @ManyToOne(() => Match, { nullable: false })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match>;

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

  @Column({ type: 'integer', nullable: true })
  jerseyNumber: number | null;

  @Column({ type: 'text', nullable: true })
  position: Position | null;

  /** "L1".."L4", "D1".."D3", "G" */
  @Column({ type: 'text', nullable: true })
  line: string | null;

  @Column({ type: 'boolean', default: false })
  starter: boolean;

  @Column({ type: 'boolean', default: false })
  scratched: boolean;
}
