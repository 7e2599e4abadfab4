import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ImportMetrics } from '../import.metrics.js';
import { ProviderDataError, ProviderNotFoundError, ProviderRateLimitedError, ProviderUnavailableError, parseProviderJson } from './provider.errors.js';
import type { ProviderHttpClient } from './stats-provider.js';

/** Retry-After as seconds or an HTTP date; a minute when absent or unreadable. */
function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return 60_000;
}

/**
 * fetch against PROVIDER_BASE_URL with a timeout. 5xx and timeouts are
 * ProviderUnavailableError and 429 is ProviderRateLimitedError (the job
 * retries or waits); 404 is ProviderNotFoundError (the adapter may look
 * elsewhere); other 4xx and bodies that are not JSON are ProviderDataError
 * (retrying would not help).
 */
@Injectable()
export class FetchProviderHttpClient implements ProviderHttpClient {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: ImportMetrics,
  ) {}

  async getJson(path: string): Promise<unknown> {
    const url = new URL(path, this.config.PROVIDER_BASE_URL);
    const stopTimer = this.metrics.providerLatency.startTimer({ endpoint: endpointOf(path) });
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.config.PROVIDER_TIMEOUT_MS) });
    } catch (error) {
      stopTimer({ outcome: 'unreachable' });
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.config.PROVIDER_TIMEOUT_MS} ms` : (error as Error).message;
      throw new ProviderUnavailableError(path, reason, { cause: error });
    }
    stopTimer({ outcome: String(response.status) });
    if (response.status === 429) throw new ProviderRateLimitedError(retryAfterMs(response.headers.get('retry-after')), path);
    if (response.status >= 500) throw new ProviderUnavailableError(path, `${response.status} ${response.statusText}`);
    const body = await response.text();
    if (response.status === 404) throw new ProviderNotFoundError(path);
    if (!response.ok) throw new ProviderDataError(path, undefined, `${response.status} ${response.statusText}`);
    return parseProviderJson(path, body);
  }
}

/** The path with its ids and dates taken out, for metric labels of bounded cardinality. */
export function endpointOf(path: string): string {
  return path
    .split('?')[0]
    .replace(/\/\d{4}-\d{2}-\d{2}(?=\/|$)/g, '/:date')
    .replace(/\/\d+(?=\/|$)/g, '/:id')
    .replace(/\/roster\/[A-Z]{2,3}\//, '/roster/:team/');
}
