import type { AdminRole } from '@app/db';

/**
 * What each CMS role may do, by resource group. AdminJS asks this for every
 * action before it runs it (pages and API calls alike), so a hidden button is
 * never the only guard.
 *
 * - `live`: what editors enter during a broadcast (matches, events, lineups,
 *   commentary, video moments, streams).
 * - `reference`: teams, players, seasons, tournaments... (editors may replace
 *   their images, not edit them).
 * - `private`: devices, purchases, products, CMS users: admins only.
 * - `audit`: the audit log: admins only, read-only for everyone.
 */
export type ResourceGroup = 'live' | 'reference' | 'private' | 'audit';

/** `read`: list, show, search, export. `write`: new, edit, hide, unhide. `images`: upload an image. */
export type Permission = 'read' | 'write' | 'images';

const POLICY: Record<AdminRole, Record<ResourceGroup, readonly Permission[]>> = {
  admin: {
    live: ['read', 'write', 'images'],
    reference: ['read', 'write', 'images'],
    private: ['read', 'write'],
    audit: ['read'],
  },
  editor: {
    live: ['read', 'write', 'images'],
    reference: ['read', 'images'],
    private: [],
    audit: [],
  },
  viewer: {
    live: ['read'],
    reference: ['read'],
    private: [],
    audit: [],
  },
};

export function isAllowed(role: AdminRole | undefined, group: ResourceGroup, permission: Permission): boolean {
  return role !== undefined && (POLICY[role]?.[group]?.includes(permission) ?? false);
}
