import { endpointOf } from './provider-http.client.js';

describe('endpointOf', () => {
  it('keeps metric labels bounded: ids, dates and team codes become placeholders', () => {
    expect(endpointOf('/v1/gamecenter/2024020003/play-by-play')).toBe('/v1/gamecenter/:id/play-by-play');
    expect(endpointOf('/v1/schedule/2025-10-07')).toBe('/v1/schedule/:date');
    expect(endpointOf('/v1/roster/SEA/20242025')).toBe('/v1/roster/:team/:id');
    expect(endpointOf('/api/v1/game/2022030236/feed/live?x=1')).toBe('/api/v1/game/:id/feed/live');
  });
});
