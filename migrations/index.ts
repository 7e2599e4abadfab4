import { ChangeFeed1764000000000 } from './1764000000000-change-feed.js';
import { HockeySchema1764000001000 } from './1764000001000-hockey-schema.js';
import { MatchVersion1764000002000 } from './1764000002000-match-version.js';
import { AdminSessions1764000003000 } from './1764000003000-admin-sessions.js';
import { EditorOwnedFields1764000004000 } from './1764000004000-editor-owned-fields.js';
import { MinimumAppVersions1764000005000 } from './1764000005000-minimum-app-versions.js';
import { OneEntitlementPerPurchase1764000006000 } from './1764000006000-one-entitlement-per-purchase.js';
import { ThrottleCounters1764000007000 } from './1764000007000-throttle-counters.js';
import { PushNotifications1764000008000 } from './1764000008000-push-notifications.js';

/** Every migration, oldest first. Listed explicitly: ESM has no require-by-glob. */
export const migrations = [
  ChangeFeed1764000000000,
  HockeySchema1764000001000,
  MatchVersion1764000002000,
  AdminSessions1764000003000,
  EditorOwnedFields1764000004000,
  MinimumAppVersions1764000005000,
  OneEntitlementPerPurchase1764000006000,
  ThrottleCounters1764000007000,
  PushNotifications1764000008000,
];
