/**
 * What can go wrong between the importer and a statistics provider. The
 * transport (provider-http.client.ts) throws the unavailable and rate-limited
 * errors; the parsers throw ProviderDataError. `retryable` tells a job whether
 * asking again later can give another answer.
 */
export abstract class ProviderError extends Error {
  abstract readonly retryable: boolean;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A response that is not what the parser needs: not JSON, or a required
 * field missing or of the wrong type. `path` is the request path, `field` the
 * place in the body (`plays[12].periodDescriptor.number`). Not retryable: the
 * provider keeps serving the same body until someone fixes the data or the parser.
 */
export class ProviderDataError extends ProviderError {
  readonly retryable = false;

  constructor(
    readonly path: string,
    readonly field: string | undefined,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${field ? `${field}: ` : ''}${problem}`, options);
  }
}

/**
 * HTTP 404: the provider has nothing at this path (a game it does not know,
 * or one it serves in another format). A ProviderDataError: asking again
 * gives the same answer.
 */
export class ProviderNotFoundError extends ProviderDataError {
  constructor(path: string) {
    super(path, undefined, 'not found (404)');
  }
}

/** A 5xx, a timeout, a refused or dropped connection. */
export class ProviderUnavailableError extends ProviderError {
  readonly retryable = true;

  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: provider unavailable: ${reason}`, options);
  }
}

/** The provider said "slow down" (HTTP 429); `retryAfterMs` is how long it asked us to wait. */
export class ProviderRateLimitedError extends ProviderError {
  readonly retryable = true;

  constructor(
    readonly retryAfterMs: number,
    readonly path?: string,
  ) {
    super(`${path ? `${path}: ` : ''}rate limited by the provider, retry in ${retryAfterMs} ms`);
  }
}

/** Parses a response body, so that a truncated or non-JSON body is a ProviderDataError naming its path. */
export function parseProviderJson(path: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new ProviderDataError(path, undefined, `malformed JSON (${(error as Error).message})`, { cause: error });
  }
}
