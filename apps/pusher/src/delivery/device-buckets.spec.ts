import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { deviceRange } from './device-buckets.js';

describe('deviceRange', () => {
  it('cuts the uuid space into adjacent slices that cover it', () => {
    const ranges = Array.from({ length: 7 }, (_, bucket) => deviceRange(bucket, 7));
    expect(ranges[0].from).toBe('00000000-0000-0000-0000-000000000000');
    expect(ranges[6].to).toBeNull();
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].from).toBe(ranges[i - 1].to);
  });

  it('puts every uuid in exactly one slice, about evenly', () => {
    const buckets = 8;
    const ranges = Array.from({ length: buckets }, (_, bucket) => deviceRange(bucket, buckets));
    const counts = new Array<number>(buckets).fill(0);
    for (let i = 0; i < 8000; i++) {
      const id = randomUUID();
      const owners = ranges.filter((range) => id >= range.from && (range.to === null || id < range.to));
      expect(owners).toHaveLength(1);
      counts[ranges.indexOf(owners[0])]++;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});
