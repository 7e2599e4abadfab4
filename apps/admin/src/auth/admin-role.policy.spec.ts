import { isAllowed } from './admin-role.policy.js';

describe('admin role policy', () => {
  it('lets editors write live data but not reference or private data', () => {
    expect(isAllowed('editor', 'live', 'write')).toBe(true);
    expect(isAllowed('editor', 'reference', 'write')).toBe(false);
    expect(isAllowed('editor', 'reference', 'images')).toBe(true);
    expect(isAllowed('editor', 'private', 'read')).toBe(false);
  });

  it('keeps viewers read-only', () => {
    for (const group of ['live', 'reference'] as const) {
      expect(isAllowed('viewer', group, 'read')).toBe(true);
      expect(isAllowed('viewer', group, 'write')).toBe(false);
      expect(isAllowed('viewer', group, 'images')).toBe(false);
    }
  });

  it('never lets anyone write the audit log', () => {
    for (const role of ['admin', 'editor', 'viewer'] as const) expect(isAllowed(role, 'audit', 'write')).toBe(false);
    expect(isAllowed('admin', 'audit', 'read')).toBe(true);
  });

  it('refuses a session without a known role', () => {
    expect(isAllowed(undefined, 'live', 'read')).toBe(false);
    expect(isAllowed('root' as never, 'live', 'read')).toBe(false);
  });
});
