import { changedFields, hasChanges } from './changed-fields.js';

describe('changedFields', () => {
  it('reports only the fields whose values differ', () => {
    const changes = changedFields(
      { name: 'Leafs', city: 'Toronto', hidden: false, updatedAt: '2026-01-01' },
      { name: 'Maple Leafs', city: 'Toronto', hidden: false, updatedAt: '2026-01-02' },
    );
    expect(changes).toEqual({ before: { name: 'Leafs' }, after: { name: 'Maple Leafs' } });
  });

  it('compares dates by instant and treats undefined like null', () => {
    const at = '2026-11-25T18:00:00.000Z';
    expect(hasChanges(changedFields({ startsAt: new Date(at), venue: null }, { startsAt: at, venue: undefined }))).toBe(false);
  });

  it('reports every field of a creation as new', () => {
    expect(changedFields({}, { name: 'Kraken', hidden: false })).toEqual({ before: {}, after: { name: 'Kraken', hidden: false } });
  });
});
