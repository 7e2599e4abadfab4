export interface BackoffOptions {
  /** Upper bound of the first delay; each failure in a row doubles it... */
  minMs: number;
  /** ...up to this. */
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: the n-th delay in a row is uniform in
 * [0, min(maxMs, minMs × 2^n)], so clients dropped together (a server
 * restart) do not all come back at the same moment.
 */
export class ReconnectBackoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The next delay; a server's own demand (`Retry-After`, SSE `retry`) is waited for first. */
  next(serverDelayMs = 0): number {
    const ceiling = Math.min(this.options.maxMs, this.options.minMs * 2 ** this.failures);
    this.failures += 1;
    return serverDelayMs + Math.round(Math.random() * ceiling);
  }

  /** After progress: the next failure starts from `minMs` again. */
  reset(): void {
    this.failures = 0;
  }
}
