import type { FeedChange } from '@app/change-feed';
import type { PushKind, PushSourceType } from '@app/db';

/** A change worth a push, before the database decides (is the match followed live? planned already?). */
export interface PlannedNotification {
  sourceType: PushSourceType;
  sourceId: string;
  kind: PushKind;
  matchId: string;
  committedAt: Date;
}

const EVENT_KINDS: ReadonlySet<string> = new Set(['goal', 'penalty', 'period_start', 'period_end']);

/**
 * Which feed changes are push-worthy. The feed carries each record's latest
 * state, so a goal hidden before the pusher read it plans nothing, and a
 * correction of a planned goal plans nothing new (the source is unique):
 * the text is rendered from the source's state when the hold-back ends.
 */
export function planNotifications(changes: readonly FeedChange[]): PlannedNotification[] {
  const planned: PlannedNotification[] = [];
  for (const change of changes) {
    const data = change.data;
    const committedAt = new Date(change.committedAt);
    if (change.type === 'match_event' && !data.hidden && EVENT_KINDS.has(data.type as string)) {
      planned.push({ sourceType: 'match_event', sourceId: change.id, kind: data.type as PushKind, matchId: data.match_id as string, committedAt });
    } else if (change.type === 'match' && !data.hidden && data.status === 'finished') {
      planned.push({ sourceType: 'match', sourceId: change.id, kind: 'final', matchId: change.id, committedAt });
    } else if (change.type === 'video_moment' && !data.hidden) {
      planned.push({ sourceType: 'video_moment', sourceId: change.id, kind: 'video', matchId: data.match_id as string, committedAt });
    }
  }
  return planned;
}

