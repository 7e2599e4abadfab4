import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ReconnectBackoff } from './reconnect-backoff.js';

describe('ReconnectBackoff', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('doubles the ceiling with each failure up to maxMs, and starts over after reset()', () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const backoff = new ReconnectBackoff({ minMs: 100, maxMs: 1000 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('draws each delay anywhere below the ceiling (full jitter), after what the server asked for', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.25);
    const backoff = new ReconnectBackoff({ minMs: 100, maxMs: 1000 });
    expect(backoff.next()).toBe(25);
    expect(backoff.next(2000)).toBe(2050);
  });
});
