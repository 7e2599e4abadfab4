import type { HistogramSnapshot } from './histogram.js';

/** IPC between the orchestrator and its load generators. */

export interface GeneratorSetup {
  type: 'setup';
  index: number;
  port: number;
  /** The request path, e.g. `/v1/live?since=<cursor>`; resumes add Last-Event-ID. */
  path: string;
  /** Source addresses the sockets are spread over (ephemeral ports are per address). */
  addresses: string[];
  connections: number;
  /** This generator's share of the connect rate, per second. */
  connectRate: number;
  /** Connects in flight (sent, no response head yet) at most. */
  maxPending: number;
  /** The client library's reconnect backoff: first delay uniform in [0, min], doubling up to max. */
  backoffMinMs: number;
  backoffMaxMs: number;
}

export interface PhaseCommand {
  type: 'phase';
  /** Events with a sequence number at or above this count for the phase. */
  seqFrom: number;
  /** Frames stamped before this (µs, monotonic) are left out of the phase's latencies. */
  sinceMicros: number;
}

export interface StatsRequest {
  type: 'stats';
  requestId: number;
  /** Events each client should have received this phase (for loss); omitted while connecting. */
  expectedEvents?: number;
}

export interface StormCommand {
  type: 'storm';
  requestId: number;
  connections: number;
  timeoutMs: number;
}

export interface StopCommand {
  type: 'stop';
}

export type GeneratorCommand = GeneratorSetup | PhaseCommand | StatsRequest | StormCommand | StopCommand;

export interface GeneratorStats {
  clients: number;
  /** Streams with a 200 head that are still open. */
  open: number;
  /** Cumulative since the generator started: */
  reads: number;
  frames: number;
  pings: number;
  bytes: number;
  /** Streams that closed without being asked to (the server cut them, or failed). */
  drops: number;
  /** Responses other than 200 (429, 503...). */
  refused: number;
  connectErrors: Record<string, number>;
  /** Frames whose position was not above the previous one on the same stream (duplicates, reordering). */
  disorder: number;
  /** Change frames without a stamp the generator could read. */
  unstamped: number;
  /** This phase: */
  phaseEvents: number;
  missing: number;
  clientsMissing: number;
  extra: number;
  latency: HistogramSnapshot;
}

export interface StatsReply {
  type: 'stats';
  requestId: number;
  stats: GeneratorStats;
}

export interface StormReply {
  type: 'storm';
  requestId: number;
  stormed: number;
  resumed: number;
  /** From the disconnect to the 200 head of the new stream, per client (µs). */
  resumeLatency: HistogramSnapshot;
}

export type GeneratorReply = StatsReply | StormReply | { type: 'ready' } | { type: 'fatal'; message: string };
