import { describe, expect, it } from '@jest/globals';
import type { SyncChange } from './local-store.js';
import { MemoryStore } from './memory-store.js';

const person = (id: string, cursor: string, fullName: string, hidden = false): SyncChange => ({
  cursor,
  type: 'person',
  id,
  data: { id, hidden, full_name: fullName },
});

describe('MemoryStore', () => {
  it('upserts by (type, id) with the latest state and remembers the cursor', async () => {
    const store = new MemoryStore();
    await store.apply([person('p1', 'e1-1', 'Jared McCann'), person('p2', 'e1-2', 'Matty Beniers')], 'e1-2');
    await store.apply([person('p1', 'e1-3', 'Jared McCann Jr.')], 'e1-3');

    expect(await store.getCursor()).toBe('e1-3');
    expect(await store.get('person', 'p1')).toMatchObject({ full_name: 'Jared McCann Jr.' });
    expect(await store.all('person')).toHaveLength(2);
  });

  it('keeps hidden records for references but leaves them out of all()', async () => {
    const store = new MemoryStore();
    await store.apply([person('p1', 'e1-1', 'Gone', true), person('p2', 'e1-2', 'Here')], 'e1-2');

    expect(await store.get('person', 'p1')).toMatchObject({ hidden: true });
    expect((await store.all('person')).map((record) => record.id)).toEqual(['p2']);
  });

  it('round-trips through a snapshot and forgets everything on clear()', async () => {
    const store = new MemoryStore();
    await store.apply([person('p1', 'e1-1', 'Jared McCann')], 'e1-1');
    const copy = new MemoryStore();
    copy.restore(JSON.parse(JSON.stringify(store.snapshot())));
    expect(await copy.get('person', 'p1')).toEqual(await store.get('person', 'p1'));
    expect(await copy.getCursor()).toBe('e1-1');

    await store.clear();
    expect(await store.getCursor()).toBeUndefined();
    expect(await store.types()).toEqual([]);
  });
});
