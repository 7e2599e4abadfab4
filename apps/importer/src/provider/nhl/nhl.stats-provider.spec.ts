import { type Json, NHL_FILES, readNhlFile } from '../../../../../test/factories/nhl-data.factory.js';
import { ProviderDataError, ProviderNotFoundError, ProviderUnavailableError } from '../provider.errors.js';
import type { ProviderHttpClient } from '../stats-provider.js';
import { NhlStatsProvider } from './nhl.stats-provider.js';

/** A transport that serves data/nhl/ files by path (404 for others) and records what it was asked. */
class FileClient implements ProviderHttpClient {
  readonly requested: string[] = [];
  constructor(
    private readonly files: Record<string, Json>,
    private readonly unavailable: string[] = [],
  ) {}

  async getJson(path: string): Promise<unknown> {
    this.requested.push(path);
    if (this.unavailable.includes(path)) throw new ProviderUnavailableError(path, '503 in this test');
    const body = this.files[path];
    if (body === undefined) throw new ProviderNotFoundError(path);
    return body;
  }
}

const NOW = new Date('2026-02-03T04:05:06.000Z');

describe('NhlStatsProvider', () => {
  it('asks the NHL web API’s paths and parses what they return', async () => {
    const client = new FileClient({
      '/v1/gamecenter/2024020003/play-by-play': readNhlFile(NHL_FILES.playByPlay2024[0]),
      '/v1/schedule/2025-10-07': readNhlFile('schedule-2025-10-07.json'),
      '/v1/standings/2023-11-09': readNhlFile('standings-2023-11-09.json'),
      '/v1/score/now': readNhlFile(NHL_FILES.scoreNow[0]),
      '/v1/gamecenter/2023020207/landing': readNhlFile('landing-2023020207.json'),
      '/api/v1/game/2022030236/feed/live': readNhlFile(NHL_FILES.statsapiGame),
    });
    const provider = new NhlStatsProvider(client, () => NOW);
    expect(provider.source).toBe('nhl');
    expect((await provider.game('2024020003')).header).toMatchObject({ externalId: '2024020003', clock: { readAt: NOW.toISOString() } });
    expect((await provider.schedule('2025-10-07')).games.length).toBeGreaterThan(0);
    expect((await provider.standings('2023-11-09')).rows.length).toBeGreaterThan(0);
    expect((await provider.scoreboard()).games.length).toBeGreaterThan(0);
    expect((await provider.landing('2023020207')).games[0].externalId).toBe('2023020207');
    expect((await provider.legacyGame('2022030236')).game.header.externalId).toBe('2022030236');
    expect(client.requested).toEqual([
      '/v1/gamecenter/2024020003/play-by-play',
      '/v1/schedule/2025-10-07',
      '/v1/standings/2023-11-09',
      '/v1/score/now',
      '/v1/gamecenter/2023020207/landing',
      '/api/v1/game/2022030236/feed/live',
    ]);
  });

  it('reads the right rail only for a boxscore whose teams lack their figures', async () => {
    const box = readNhlFile(NHL_FILES.boxscore2023[0]);
    const client = new FileClient({ [`/v1/gamecenter/${box.id}/boxscore`]: box });
    await new NhlStatsProvider(client).boxscore(String(box.id));
    expect(client.requested).toEqual([`/v1/gamecenter/${box.id}/boxscore`]);

    // The newer shape: player figures at the top level, teams without figures.
    const { boxscore, ...newer } = readNhlFile(NHL_FILES.boxscore2023[0]);
    const bare = (team: Json) => ({ id: team.id, abbrev: team.abbrev, score: team.score, name: team.name });
    // Another game's right rail: only where the figures come from matters here.
    const rail = readNhlFile(NHL_FILES.rightRail[0]);
    const newerClient = new FileClient({
      [`/v1/gamecenter/${box.id}/boxscore`]: { ...newer, playerByGameStats: boxscore.playerByGameStats, homeTeam: bare(box.homeTeam), awayTeam: bare(box.awayTeam) },
      [`/v1/gamecenter/${box.id}/right-rail`]: rail,
    });
    const snapshot = await new NhlStatsProvider(newerClient).boxscore(String(box.id));
    expect(newerClient.requested).toEqual([`/v1/gamecenter/${box.id}/boxscore`, `/v1/gamecenter/${box.id}/right-rail`]);
    const hits = rail.teamGameStats.find((stat: Json) => stat.category === 'hits');
    expect(snapshot.teamStats.find((team) => team.teamExternalId === box.homeTeam.abbrev)?.hits).toBe(hits.homeValue);
  });

  it('lets no malformed id, date or code into a path', async () => {
    const client = new FileClient({});
    const provider = new NhlStatsProvider(client);
    await expect(provider.game('2024020003/../../x')).rejects.toThrow(RangeError);
    await expect(provider.schedule('yesterday')).rejects.toThrow(RangeError);
    await expect(provider.roster('sea', '20242025')).rejects.toThrow(RangeError);
    await expect(provider.roster('SEA', '2024')).rejects.toThrow(RangeError);
    expect(client.requested).toEqual([]);
  });

  it('reads a game the web API does not have (404) from the statsapi feed, play-by-play and boxscore', async () => {
    const client = new FileClient({ '/api/v1/game/2022030236/feed/live': readNhlFile(NHL_FILES.statsapiGame) });
    const provider = new NhlStatsProvider(client);
    expect((await provider.game('2022030236')).events.length).toBe(readNhlFile(NHL_FILES.statsapiGame).liveData.plays.allPlays.length);
    expect((await provider.boxscore('2022030236')).teamStats).toHaveLength(2);
    expect(client.requested).toEqual([
      '/v1/gamecenter/2022030236/play-by-play',
      '/api/v1/game/2022030236/feed/live',
      '/v1/gamecenter/2022030236/boxscore',
      '/api/v1/game/2022030236/feed/live',
    ]);
  });

  it('passes the transport’s other errors on, and turns an unusable body into a ProviderDataError naming the path', async () => {
    const provider = new NhlStatsProvider(
      new FileClient({ '/v1/roster/SEA/20242025': { forwards: [] } }, ['/v1/gamecenter/2024020003/boxscore']),
    );
    await expect(provider.boxscore('2024020003')).rejects.toThrow(ProviderUnavailableError);
    await expect(provider.game('2024020099')).rejects.toThrow(ProviderNotFoundError);
    await expect(provider.roster('SEA', '20242025')).rejects.toThrow(ProviderDataError);
    await expect(provider.roster('SEA', '20242025')).rejects.toThrow('/v1/roster/SEA/20242025: defensemen:');
  });
});
