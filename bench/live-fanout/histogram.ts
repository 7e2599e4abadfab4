/**
 * Latency histogram in microseconds with ~1% relative precision: exact up to
 * 100 µs, then logarithmic buckets. Small enough (about 1,700 counters) to
 * ship from every generator to the orchestrator and merge there.
 */
const LINEAR = 100;
const GROWTH = Math.log(1.01);
const BUCKETS = LINEAR + Math.ceil(Math.log(3.6e9 / LINEAR) / GROWTH) + 1;

function bucketOf(micros: number): number {
  if (micros < LINEAR) return Math.max(0, Math.floor(micros));
  return Math.min(BUCKETS - 1, LINEAR + Math.floor(Math.log(micros / LINEAR) / GROWTH));
}

/** The upper bound of a bucket, which is what a percentile reports (conservative). */
function upperBoundOf(bucket: number): number {
  if (bucket < LINEAR) return bucket + 1;
  return LINEAR * Math.exp((bucket - LINEAR + 1) * GROWTH);
}

/** What crosses the IPC channel: only the buckets that were hit. */
export interface HistogramSnapshot {
  buckets: [index: number, count: number][];
  count: number;
  max: number;
}

export class LatencyHistogram {
  private counts = new Float64Array(BUCKETS);
  count = 0;
  max = 0;

  record(micros: number): void {
    // A stamp a few µs in the future is clock rounding, not time travel.
    const value = micros < 0 ? 0 : micros;
    this.counts[bucketOf(value)]++;
    this.count++;
    if (value > this.max) this.max = value;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
  }

  snapshot(): HistogramSnapshot {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]) buckets.push([i, this.counts[i]]);
    return { buckets, count: this.count, max: this.max };
  }

  merge(snapshot: HistogramSnapshot): void {
    for (const [index, count] of snapshot.buckets) this.counts[index] += count;
    this.count += snapshot.count;
    this.max = Math.max(this.max, snapshot.max);
  }

  /** The value below which `fraction` of the samples lie (bucket upper bound, capped at the max). */
  percentile(fraction: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.ceil(fraction * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(upperBoundOf(i), this.max);
    }
    return this.max;
  }
}
