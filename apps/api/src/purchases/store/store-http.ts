import { StoreAuthError, StoreUnavailableError, InvalidReceiptError, type StoreName } from './store-verifier.js';

export const DEFAULT_STORE_TIMEOUT_MS = 10_000;

/**
 * GET a store's JSON, turning every way it can fail into the typed errors:
 * no answer or 5xx/429 → StoreUnavailableError, 401/403 → StoreAuthError,
 * other 4xx → InvalidReceiptError.
 */
export async function getStoreJson<T>(store: StoreName, url: string, authorization: string, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<T> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { authorization, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const what = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message;
    throw new StoreUnavailableError(`${store}: ${what}`, store, undefined, { cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new StoreUnavailableError(`${store}: response cut off: ${(error as Error).message}`, store, response.status, { cause: error });
  }
  const detail = `${store} answered ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
  if (response.status >= 500 || response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new StoreUnavailableError(detail, store, response.status, Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : undefined);
  }
  if (response.status === 401 || response.status === 403) throw new StoreAuthError(detail, store, response.status);
  if (response.status >= 400) throw new InvalidReceiptError(detail, store, response.status);
  if (response.status !== 200) throw new StoreUnavailableError(`${store}: unexpected status ${response.status}`, store, response.status);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StoreUnavailableError(`${store}: answer is not JSON`, store, response.status, { cause: error });
  }
}
