import { ProviderDataError, ProviderNotFoundError, ProviderRateLimitedError, ProviderUnavailableError, parseProviderJson } from './provider.errors.js';

describe('provider errors', () => {
  it('turn a body that is not JSON into a ProviderDataError naming the path', () => {
    for (const body of ['{"plays": [', '<html>502 Bad Gateway</html>', '']) {
      expect(() => parseProviderJson('/v1/score/now', body)).toThrow(ProviderDataError);
      expect(() => parseProviderJson('/v1/score/now', body)).toThrow(/^\/v1\/score\/now: malformed JSON/);
    }
    expect(parseProviderJson('/v1/score/now', '{"games": []}')).toEqual({ games: [] });
  });

  it('say whether asking again can help', () => {
    expect(new ProviderDataError('/p', 'plays[0]', 'missing').retryable).toBe(false);
    expect(new ProviderUnavailableError('/p', '503').retryable).toBe(true);
    // A 404 is data the provider does not have: handled wherever a ProviderDataError is.
    const missing = new ProviderNotFoundError('/v1/gamecenter/1/boxscore');
    expect([missing instanceof ProviderDataError, missing.retryable, missing.message]).toEqual([true, false, '/v1/gamecenter/1/boxscore: not found (404)']);
    const limited = new ProviderRateLimitedError(1500, '/p');
    expect([limited.retryable, limited.retryAfterMs, limited.name]).toEqual([true, 1500, 'ProviderRateLimitedError']);
  });
});
