import { describe, expect, it } from '@jest/globals';
import { formatCursor, parseCursor } from './feed-cursor.js';

describe('feed cursors', () => {
  it('round-trips epoch and position', () => {
    const cursor = { epoch: 'k3f9a1b2', position: 1234 };
    expect(formatCursor(cursor)).toBe('k3f9a1b2-1234');
    expect(parseCursor('k3f9a1b2-1234', 'other')).toEqual(cursor);
  });

  it('reads nothing, "" and "0" as the beginning of the current epoch', () => {
    for (const text of [undefined, '', '0']) expect(parseCursor(text, 'e1')).toEqual({ epoch: 'e1', position: 0 });
  });

  it('keeps a foreign epoch so the caller can answer resync_required', () => {
    expect(parseCursor('old-5', 'new')).toEqual({ epoch: 'old', position: 5 });
  });

  it.each(['12', 'abc', 'e1-', 'e1--1', 'e1-01', 'e1-1.5', 'E1-1', 'e1-99999999999999999', ' e1-1'])('rejects %j', (text) => {
    expect(parseCursor(text, 'e1')).toBeUndefined();
  });
});
