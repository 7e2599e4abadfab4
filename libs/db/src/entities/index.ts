import { AdminUser } from './admin-user.entity.js';
import { Announcement } from './announcement.entity.js';
import { Arena } from './arena.entity.js';
import { AuditLogEntry } from './audit-log-entry.entity.js';
import { CommentaryLine } from './commentary-line.entity.js';
import { DeviceSubscription } from './device-subscription.entity.js';
import { Device } from './device.entity.js';
import { EditorOwnedField } from './editor-owned-field.entity.js';
import { MinimumAppVersion } from './minimum-app-version.entity.js';
import { Entitlement } from './entitlement.entity.js';
import { Lineup } from './lineup.entity.js';
import { MatchEvent } from './match-event.entity.js';
import { Match } from './match.entity.js';
import { Person } from './person.entity.js';
import { PlayerMatchStats } from './player-match-stats.entity.js';
import { PlayerSeasonStats } from './player-season-stats.entity.js';
import { Product } from './product.entity.js';
import { Purchase } from './purchase.entity.js';
import { PushDelivery } from './push-delivery.entity.js';
import { PushNotification } from './push-notification.entity.js';
import { RosterEntry } from './roster-entry.entity.js';
import { Season } from './season.entity.js';
import { Stage } from './stage.entity.js';
import { Standing } from './standing.entity.js';
import { Stream } from './stream.entity.js';
import { TeamMatchStats } from './team-match-stats.entity.js';
import { TeamSeasonStats } from './team-season-stats.entity.js';
import { Team } from './team.entity.js';
import { Tournament } from './tournament.entity.js';
import { VideoMoment } from './video-moment.entity.js';

export { ImportableEntity, PrivateEntity, SyncedEntity } from './synced.entity.js';

export * from './admin-user.entity.js';
export * from './announcement.entity.js';
export * from './arena.entity.js';
export * from './audit-log-entry.entity.js';
export * from './commentary-line.entity.js';
export * from './device-subscription.entity.js';
export * from './device.entity.js';
export * from './editor-owned-field.entity.js';
export * from './minimum-app-version.entity.js';
export * from './entitlement.entity.js';
export * from './lineup.entity.js';
export * from './match-event.entity.js';
export * from './match.entity.js';
export * from './person.entity.js';
export * from './player-match-stats.entity.js';
export * from './player-season-stats.entity.js';
export * from './product.entity.js';
export * from './purchase.entity.js';
export * from './push-delivery.entity.js';
export * from './push-notification.entity.js';
export * from './roster-entry.entity.js';
export * from './season.entity.js';
export * from './stage.entity.js';
export * from './standing.entity.js';
export * from './stream.entity.js';
export * from './team-match-stats.entity.js';
export * from './team-season-stats.entity.js';
export * from './team.entity.js';
export * from './tournament.entity.js';
export * from './video-moment.entity.js';

/** Every entity class, for the DataSource (and AdminJS resources). */
export const entities = [
  // Synced
  Tournament,
  Season,
  Stage,
  Arena,
  Team,
  Person,
  RosterEntry,
  Match,
  MatchEvent,
  Lineup,
  CommentaryLine,
  VideoMoment,
  Stream,
  Standing,
  TeamSeasonStats,
  TeamMatchStats,
  PlayerSeasonStats,
  PlayerMatchStats,
  // Private
  Device,
  DeviceSubscription,
  Product,
  Purchase,
  Entitlement,
  AdminUser,
  AuditLogEntry,
  EditorOwnedField,
  MinimumAppVersion,
  Announcement,
  PushNotification,
  PushDelivery,
];
