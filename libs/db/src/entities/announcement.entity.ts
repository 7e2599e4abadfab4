import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { AdminUser } from './admin-user.entity.js';
import { Match } from './match.entity.js';
import { PrivateEntity } from './synced.entity.js';
import { Team } from './team.entity.js';

export const ANNOUNCEMENT_AUDIENCES = ['all', 'team', 'match'] as const;
export type AnnouncementAudience = (typeof ANNOUNCEMENT_AUDIENCES)[number];

/**
 * An editor's push message to an audience: every device, a team's followers,
 * a match's. Inserting one plans its push (a trigger, see
 * migrations/*-push-notifications.ts); the pusher sends it. Private.
 */
@Entity('announcements')
export class Announcement extends PrivateEntity {
  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  /** Other locales' titles, `{"fr": "…"}`; the title above is the fallback. */
  @Column({ type: 'jsonb', default: {} })
  titleI18n: Record<string, string>;

  @Column({ type: 'jsonb', default: {} })
  bodyI18n: Record<string, string>;

  @Column({ type: 'text' })
  audience: AnnouncementAudience;

  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @ManyToOne(() => Team, { nullable: true })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team> | null;

  @Column({ type: 'uuid', nullable: true })
  matchId: string | null;

  @ManyToOne(() => Match, { nullable: true })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match> | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => AdminUser, { nullable: true })
  @JoinColumn({ name: 'created_by' })
  creator: Relation<AdminUser> | null;
}
