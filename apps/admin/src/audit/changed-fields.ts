export interface FieldChanges {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** Bookkeeping columns that change on every save and say nothing about the edit. */
const IGNORED = new Set(['updatedAt', 'version']);

function comparable(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? null);
}

/**
 * The fields whose values differ between two flat records (AdminJS params).
 * `before` empty means a creation: every non-empty field is reported as new.
 */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = { before: {}, after: {} };
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (IGNORED.has(key)) continue;
    if (comparable(before[key]) === comparable(after[key])) continue;
    if (key in before) changes.before[key] = before[key] ?? null;
    if (key in after) changes.after[key] = after[key] ?? null;
  }
  return changes;
}

export function hasChanges(changes: FieldChanges): boolean {
  return Object.keys(changes.before).length > 0 || Object.keys(changes.after).length > 0;
}
