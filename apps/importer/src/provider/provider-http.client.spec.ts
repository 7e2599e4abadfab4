import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '@app/config';
import { type ProviderServer, startProviderServer } from '../../../../tools/provider-server/src/provider-server.js';
import { ImportMetrics } from '../import.metrics.js';
import { FetchProviderHttpClient, endpointOf } from './provider-http.client.js';
import { ProviderDataError, ProviderNotFoundError, ProviderRateLimitedError, ProviderUnavailableError } from './provider.errors.js';

describe('endpointOf', () => {
  it('keeps metric labels bounded: ids, dates and team codes become placeholders', () => {
    expect(endpointOf('/v1/gamecenter/2024020003/play-by-play')).toBe('/v1/gamecenter/:id/play-by-play');
    expect(endpointOf('/v1/schedule/2025-10-07')).toBe('/v1/schedule/:date');
    expect(endpointOf('/v1/roster/SEA/20242025')).toBe('/v1/roster/:team/:id');
    expect(endpointOf('/api/v1/game/2022030236/feed/live?x=1')).toBe('/api/v1/game/:id/feed/live');
  });
});

/** The transport's failures, typed, against the local provider server over real HTTP. */
describe('FetchProviderHttpClient', () => {
  const PATH = '/v1/gamecenter/2023020499/boxscore';
  let provider: ProviderServer;
  let client: FetchProviderHttpClient;

  beforeAll(async () => {
    provider = await startProviderServer();
    const config = loadConfig({ DATABASE_URL: 'postgres://unused/db', PROVIDER_BASE_URL: provider.url, PROVIDER_TIMEOUT_MS: '300' });
    client = new FetchProviderHttpClient(config, new ImportMetrics());
  });

  afterAll(async () => {
    await provider.close();
  });

  it('returns the parsed body', async () => {
    expect(await client.getJson(PATH)).toMatchObject({ id: 2023020499 });
  });

  it('types each failure: 5xx and timeouts retryable, 429 with its wait, 404 and broken bodies not retryable', async () => {
    provider.faults.add([
      { path: PATH, status: 503, times: 1 },
      { path: PATH, delayMs: 2000, times: 1 },
      { path: PATH, retryAfter: 7, times: 1 },
      { path: PATH, malformed: true, times: 1 },
    ]);
    await expect(client.getJson(PATH)).rejects.toBeInstanceOf(ProviderUnavailableError);
    const timeout = await client.getJson(PATH).catch((error: Error) => error);
    expect(timeout).toBeInstanceOf(ProviderUnavailableError);
    expect((timeout as Error).message).toMatch(/no answer within 300 ms/);
    const limited = await client.getJson(PATH).catch((error: Error) => error);
    expect(limited).toBeInstanceOf(ProviderRateLimitedError);
    expect((limited as ProviderRateLimitedError).retryAfterMs).toBe(7000);
    const malformed = await client.getJson(PATH).catch((error: Error) => error);
    expect(malformed).toBeInstanceOf(ProviderDataError);
    expect((malformed as ProviderDataError).retryable).toBe(false);
    await expect(client.getJson('/v1/gamecenter/1999020001/boxscore')).rejects.toBeInstanceOf(ProviderNotFoundError);
    expect(await client.getJson(PATH)).toMatchObject({ id: 2023020499 });
  });
});
