import { describe, expect, it } from '@jest/globals';
import { ZodError } from 'zod';
import { FaultInjector } from './fault.injector.js';

describe('FaultInjector', () => {
  it('affects `times` requests, then lets them through', () => {
    const faults = new FaultInjector();
    const [added] = faults.add({ path: '^/v1/schedule/', status: 503, times: 2 });
    expect(faults.take('GET', '/v1/schedule/2025-10-07')).toMatchObject({ id: added.id, status: 503, remaining: 1, hits: 1 });
    expect(faults.take('GET', '/v1/standings/now')).toBeUndefined();
    expect(faults.take('GET', '/v1/schedule/2025-10-08')).toMatchObject({ remaining: 0, hits: 2 });
    expect(faults.take('GET', '/v1/schedule/2025-10-09')).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('applies the first matching fault in the order added, for its method only', () => {
    const faults = new FaultInjector();
    const [onlyPosts, delays, everything] = faults.add([
      { path: 'play-by-play', method: 'post', status: 500 },
      { path: /play-by-play/g, delayMs: 250 },
      { path: '.', malformed: true },
    ]);
    expect(faults.take('GET', '/v1/gamecenter/2024020003/play-by-play')?.id).toBe(delays.id);
    // A g flag would make RegExp.test skip every other match.
    expect(faults.take('GET', '/v1/gamecenter/2024020003/play-by-play')?.id).toBe(delays.id);
    expect(faults.take('POST', '/v1/gamecenter/2024020003/play-by-play')?.id).toBe(onlyPosts.id);
    expect(faults.take('GET', '/v1/score/now')?.id).toBe(everything.id);
    expect(faults.list().map((fault) => fault.hits)).toEqual([1, 2, 1]);
    faults.clear();
    expect(faults.take('GET', '/v1/score/now')).toBeUndefined();
  });

  it('answers 429 when a Retry-After is given without a status', () => {
    expect(new FaultInjector().add({ path: 'standings', retryAfter: 30 })[0]).toMatchObject({ status: 429, retryAfter: 30 });
  });

  it('refuses faults that do nothing or cannot match, and adds none of a list with one of them', () => {
    const faults = new FaultInjector();
    expect(() => faults.add({ path: 'x' })).toThrow(ZodError);
    expect(() => faults.add({ path: '(', status: 500 })).toThrow(ZodError);
    expect(() => faults.add({ path: 'x', status: 200 })).toThrow(ZodError);
    expect(() => faults.add([{ path: 'x', status: 500 }, { path: 'y', times: 0, status: 500 }])).toThrow(ZodError);
    expect(faults.list()).toEqual([]);
  });
});
