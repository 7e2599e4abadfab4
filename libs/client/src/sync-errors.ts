/** A non-2xx answer of the API, with the `code` of its JSON error body. */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From `Retry-After` (seconds on the wire). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }

  static async fromResponse(response: Response): Promise<SyncHttpError> {
    const body = await response.text();
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      error = (JSON.parse(body) as { error?: typeof error }).error;
    } catch {
      // A proxy's HTML error page: the status alone has to do.
    }
    const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
    const message = typeof error?.message === 'string' ? error.message : `${response.status} ${response.statusText}`;
    const retryAfterSeconds = Number(response.headers.get('retry-after') ?? Number.NaN);
    return new SyncHttpError(response.status, code, message, Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : undefined);
  }

  /** The local copy belongs to another epoch of the feed: drop it and sync from the beginning. */
  get resyncRequired(): boolean {
    return this.status === 409 && this.code === 'resync_required';
  }

  /** Too many streams, or the server cannot serve now: the same request can succeed later. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The server answered something that is not the sync protocol. */
export class SyncProtocolError extends Error {
  override name = 'SyncProtocolError';
}

/** A request that carried nothing, not even a ping, for twice the heartbeat interval: a half-open connection. */
export class SilentConnectionError extends Error {
  override name = 'SilentConnectionError';

  constructor(silentMs: number) {
    super(`nothing received for ${silentMs} ms`);
  }
}
