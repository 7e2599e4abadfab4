import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { MatchEvent } from './match-event.entity.js';
import { Match } from './match.entity.js';
import { ImportableEntity } from './synced.entity.js';

export const VIDEO_MOMENT_KINDS = ['goal', 'fight', 'save', 'shootout', 'highlight'] as const;
export type VideoMomentKind = (typeof VIDEO_MOMENT_KINDS)[number];

/** A video clip of a match, optionally tied to an event. Synced as `video_moment`. */
@Entity('video_moments')
export class VideoMoment extends ImportableEntity {
  @Column({ type: 'uuid' })
  matchId: string;

  @ManyToOne(() => Match, { nullable: false })
  @JoinColumn({ name: 'match_id' })
  match: Relation<Match>;

  @Column({ type: 'uuid', nullable: true })
  eventId: string | null;

  @ManyToOne(() => MatchEvent, { nullable: true })
  @JoinColumn({ name: 'event_id' })
  event: Relation<MatchEvent> | null;

  @Column({ type: 'text' })
  kind: VideoMomentKind;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  clipUrl: string;

  @Column({ type: 'text', nullable: true })
  thumbnailUrl: string | null;

  @Column({ type: 'integer', nullable: true })
  durationSeconds: number | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  publishedAt: Date;
}
