import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The fanout counts in plain numbers on its hot path; these metrics read
 * them at scrape time instead of being touched once per connection per frame.
 */
export class LiveCounters {
  framesWritten = 0;
  bytesWritten = 0;
  slowClientCutoffs = 0;
  ringHits = 0;
  ringMisses = 0;
}

function countedFrom(counters: LiveCounters, key: keyof LiveCounters, name: string, help: string): Counter {
  let reported = 0;
  return new Counter({
    name,
    help,
    collect() {
      this.inc(counters[key] - reported);
      reported = counters[key];
    },
  });
}

const LIVE_METRICS = [
  'faceoff_live_frames_sent_total',
  'faceoff_live_bytes_sent_total',
  'faceoff_live_slow_client_cutoffs_total',
  'faceoff_live_ring_hits_total',
  'faceoff_live_ring_misses_total',
  'faceoff_live_connections',
  'faceoff_live_commit_to_write_seconds',
];

/** Registers the live metrics for this fanout (replacing an earlier fanout's, e.g. in tests). */
export function registerLiveMetrics(counters: LiveCounters, openConnections: () => number) {
  for (const name of LIVE_METRICS) register.removeSingleMetric(name);
  countedFrom(counters, 'framesWritten', 'faceoff_live_frames_sent_total', 'SSE frames written to connections (pings included)');
  countedFrom(counters, 'bytesWritten', 'faceoff_live_bytes_sent_total', 'Bytes written to SSE connections');
  countedFrom(counters, 'slowClientCutoffs', 'faceoff_live_slow_client_cutoffs_total', 'Connections closed because their unsent backlog passed its bound');
  countedFrom(counters, 'ringHits', 'faceoff_live_ring_hits_total', 'Resumes served from the in-memory ring');
  countedFrom(counters, 'ringMisses', 'faceoff_live_ring_misses_total', 'Resumes that had to read the database');
  new Gauge({
    name: 'faceoff_live_connections',
    help: 'Open SSE connections',
    collect() {
      this.set(openConnections());
    },
  });
  return {
    commitToWrite: new Histogram({
      name: 'faceoff_live_commit_to_write_seconds',
      help: 'From a change committing in PostgreSQL to its frame being written to every live connection',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
  };
}
