import { describe, expect, it } from '@jest/globals';
import { type Frame, FrameRing } from './frame-ring.js';

const frame = (position: number, typeBit = 1): Frame => ({ position, typeBit, bytes: Buffer.from(`id: e-${position}\n\n`) });

describe('FrameRing', () => {
  it('covers nothing before it knows where the feed starts', () => {
    expect(new FrameRing(10).covers(0)).toBe(false);
  });

  it('serves every frame after a covered position, oldest first', () => {
    const ring = new FrameRing(10);
    ring.reset(100);
    [101, 103, 107].forEach((position) => ring.push(frame(position)));
    expect(ring.covers(100)).toBe(true);
    expect(ring.covers(99)).toBe(false);
    expect(ring.since(100, 1).map((f) => f.position)).toEqual([101, 103, 107]);
    expect(ring.since(102, 1).map((f) => f.position)).toEqual([103, 107]);
    expect(ring.since(107, 1)).toEqual([]);
  });

  it('raises its floor as it evicts, so an evicted range is never claimed', () => {
    const ring = new FrameRing(3);
    ring.reset(0);
    for (let position = 1; position <= 5; position++) ring.push(frame(position));
    expect(ring.covers(1)).toBe(false);
    expect(ring.covers(2)).toBe(true);
    expect(ring.since(2, 1).map((f) => f.position)).toEqual([3, 4, 5]);
  });

  it('filters by type bit', () => {
    const ring = new FrameRing(8);
    ring.reset(0);
    ring.push(frame(1, 0b01));
    ring.push(frame(2, 0b10));
    ring.push(frame(3, 0b01));
    expect(ring.since(0, 0b10).map((f) => f.position)).toEqual([2]);
    expect(ring.since(0, 0b11).map((f) => f.position)).toEqual([1, 2, 3]);
  });

  it('starts over on reset', () => {
    const ring = new FrameRing(4);
    ring.reset(0);
    ring.push(frame(1));
    ring.reset(50);
    expect(ring.since(0, 1)).toEqual([]);
    expect(ring.covers(10)).toBe(false);
  });
});
