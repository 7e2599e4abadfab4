import { ChangeFeed1764000000000 } from './1764000000000-change-feed.js';
import { HockeySchema1764000001000 } from './1764000001000-hockey-schema.js';

/** Every migration, oldest first. Listed explicitly: ESM has no require-by-glob. */
export const migrations = [ChangeFeed1764000000000, HockeySchema1764000001000];
