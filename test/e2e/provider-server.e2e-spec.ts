import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NhlDataCatalog, type GameKind } from '../../tools/provider-server/src/nhl-data.catalog.js';
import type { StatsFeedLive, WebPlayByPlay } from '../../tools/provider-server/src/nhl-response.types.js';
import { startProviderServer, type ProviderServer } from '../../tools/provider-server/src/provider-server.js';

// What the server should serve is read here from data/nhl/ on its own.
const catalog = NhlDataCatalog.load();
const FEED_LIVE_GAME = 2022030236;

interface Answer {
  status: number;
  type: string;
  retryAfter: string | null;
  text: string;
}

async function get(url: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  return { status: response.status, type: response.headers.get('content-type') ?? '', retryAfter: response.headers.get('retry-after'), text: await response.text() };
}

describe('the provider server over HTTP', () => {
  let server: ProviderServer;
  const at = (path: string, init?: RequestInit) => get(server.url + path, init);
  const json = async <T>(path: string) => {
    const answer = await at(path);
    expect(answer).toMatchObject({ status: 200, type: expect.stringMatching(/^application\/json/) });
    return JSON.parse(answer.text) as T;
  };

  beforeAll(async () => {
    server = await startProviderServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    server.faults.clear();
    for (const replay of server.replay.list()) server.replay.stop(replay.gameId);
  });

  const gamePaths: Array<[GameKind, (id: number | string) => string]> = [
    ['playByPlay', (id) => `/v1/gamecenter/${id}/play-by-play`],
    ['boxscore', (id) => `/v1/gamecenter/${id}/boxscore`],
    ['landing', (id) => `/v1/gamecenter/${id}/landing`],
    ['rightRail', (id) => `/v1/gamecenter/${id}/right-rail`],
    ['feedLive', (id) => `/api/v1/game/${id}/feed/live`],
  ];

  it('serves each saved game response, as saved, on the NHL API path of its kind; 404 JSON for other games', async () => {
    expect(catalog.gameIds('playByPlay').length).toBeGreaterThan(0);
    for (const [kind, path] of gamePaths) {
      for (const id of catalog.gameIds(kind)) {
        expect(await at(path(id))).toMatchObject({ status: 200, type: expect.stringMatching(/^application\/json/), text: catalog.game(kind, id)!.text });
      }
      for (const unknown of [1, 'abc']) {
        const answer = await at(path(unknown));
        expect(answer).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/json/) });
        expect(JSON.parse(answer.text)).toMatchObject({ status: 404 });
      }
    }
  });

  it('serves the schedule whose week holds the day, else an empty week from that day', async () => {
    const saved = catalog.schedule('2025-10-07');
    expect(saved).toBeDefined();
    for (const day of saved!.json.gameWeek) expect((await at(`/v1/schedule/${day.date}`)).text).toBe(saved!.text);
    const empty = await json<{ gameWeek: Array<{ date: string; games: unknown[] }>; nextStartDate: string }>('/v1/schedule/1999-02-27');
    expect(empty.gameWeek.map((day) => [day.date, day.games.length])).toEqual(
      ['1999-02-27', '1999-02-28', '1999-03-01', '1999-03-02', '1999-03-03', '1999-03-04', '1999-03-05'].map((date) => [date, 0]),
    );
    expect(empty.nextStartDate).toBe('1999-03-06');
    expect((await at('/v1/schedule/now')).status).toBe(200);
    expect((await at('/v1/schedule/yesterday')).status).toBe(400);
  });

  it('serves the standings nearest the day, rosters only when saved, and the scoreboard', async () => {
    const standings = catalog.standings('2025-12-25')!;
    expect((await at('/v1/standings/2025-12-25')).text).toBe(standings.text);
    expect((await at('/v1/standings/now')).status).toBe(200);
    expect((await at('/v1/roster/XXX/20242025')).status).toBe(404);
    const scoreboard = await at('/v1/score/now');
    expect(scoreboard.status).toBe(200);
    if (catalog.scoreNow()) expect(scoreboard.text).toBe(catalog.scoreNow()!.text);
    else expect(JSON.parse(scoreboard.text)).toMatchObject({ games: [] });
  });

  it('replays a game: its play-by-play grows between two fetches, and shows on the scoreboard', async () => {
    const gameId = catalog.gameIds('playByPlay')[0];
    const started = await fetch(`${server.url}/__replay/${gameId}/start?speed=600`, { method: 'POST' });
    expect(await started.json()).toMatchObject({ gameId, source: 'play-by-play', speed: 600, state: 'LIVE' });

    const first = await json<WebPlayByPlay>(`/v1/gamecenter/${gameId}/play-by-play`);
    await sleep(600);
    const second = await json<WebPlayByPlay>(`/v1/gamecenter/${gameId}/play-by-play`);
    expect(first.gameState).toBe('LIVE');
    expect(second.plays.length).toBeGreaterThan(first.plays.length);
    expect(second.plays.slice(0, first.plays.length)).toEqual(first.plays);
    expect(second.plays.length).toBeLessThan(catalog.playByPlay(gameId)!.json.plays.length);

    const board = await json<{ games: Array<{ id: number; gameState: string }> }>('/v1/score/now');
    expect(board.games.find((game) => game.id === gameId)).toMatchObject({ gameState: expect.stringMatching(/^(LIVE|CRIT)$/) });

    const sought = await fetch(`${server.url}/__replay/${gameId}/seek?plays=200`, { method: 'POST' });
    expect((await sought.json()) as { plays: number }).toMatchObject({ plays: expect.any(Number) });
    expect((await json<WebPlayByPlay>(`/v1/gamecenter/${gameId}/play-by-play`)).plays.length).toBeGreaterThanOrEqual(200);
    expect(await json(`/__replay/${gameId}`)).toMatchObject({ gameId, finished: false });

    expect(await (await fetch(`${server.url}/__replay/${gameId}/stop`, { method: 'POST' })).json()).toEqual({ stopped: true });
    expect((await at(`/v1/gamecenter/${gameId}/play-by-play`)).text).toBe(catalog.playByPlay(gameId)!.text);
    expect((await fetch(`${server.url}/__replay/1/start`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}/__replay/${gameId}/start?speed=0`, { method: 'POST' })).status).toBe(400);
  });

  it(`replays the statsapi feed/live of ${FEED_LIVE_GAME}: allPlays grows`, async () => {
    server.replay.start(FEED_LIVE_GAME, { speed: 600 });
    const path = `/api/v1/game/${FEED_LIVE_GAME}/feed/live`;
    const first = await json<StatsFeedLive>(path);
    await sleep(600);
    const second = await json<StatsFeedLive>(path);
    expect(first.gameData.status.abstractGameState).toBe('Live');
    expect(second.liveData.plays.allPlays.length).toBeGreaterThan(first.liveData.plays.allPlays.length);
    expect(second.liveData.linescore.currentPeriod).toBe(second.liveData.plays.allPlays.at(-1)!.about.period);
  });

  describe('faults', () => {
    const standingsPath = '/v1/standings/2025-10-07';

    it('answers 503 `times` times, then as usual', async () => {
      const added = await fetch(`${server.url}/__faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: '^/v1/standings/', status: 503, times: 2 }),
      });
      expect(added.status).toBe(201);
      expect(await json('/__faults')).toMatchObject({ faults: [{ path: '^/v1/standings/', status: 503, remaining: 2 }] });
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const failed = await at(standingsPath);
        expect(failed).toMatchObject({ status: 503, type: expect.stringMatching(/^application\/json/) });
      }
      expect(await at(standingsPath)).toMatchObject({ status: 200, text: catalog.standings('2025-10-07')!.text });
      expect(await json('/__faults')).toEqual({ faults: [] });
    });

    it('answers 429 with a Retry-After', async () => {
      server.faults.add({ path: 'play-by-play', retryAfter: 7, times: 1 });
      const path = `/v1/gamecenter/${catalog.gameIds('playByPlay')[0]}/play-by-play`;
      expect(await at(path)).toMatchObject({ status: 429, retryAfter: '7' });
      expect((await at(path)).status).toBe(200);
    });

    it('delays answers: past a client time-out, and within one', async () => {
      server.faults.add([
        { path: '^/v1/schedule/', delayMs: 5_000, times: 1 },
        { path: '^/v1/schedule/', delayMs: 300, times: 1 },
      ]);
      const started = Date.now();
      await expect(at('/v1/schedule/2025-10-07', { signal: AbortSignal.timeout(200) })).rejects.toThrow(/abort|timeout/i);
      expect(Date.now() - started).toBeLessThan(2_000);
      const slowStart = Date.now();
      expect((await at('/v1/schedule/2025-10-07')).status).toBe(200);
      expect(Date.now() - slowStart).toBeGreaterThanOrEqual(290);
    });

    it('cuts a body short, still 200 and application/json', async () => {
      server.faults.add({ path: 'standings', malformed: true, times: 1 });
      const cut = await at(standingsPath);
      expect(cut).toMatchObject({ status: 200, type: expect.stringMatching(/^application\/json/) });
      expect(() => JSON.parse(cut.text)).toThrow(SyntaxError);
      expect(catalog.standings('2025-10-07')!.text.startsWith(cut.text)).toBe(true);
      expect(JSON.parse((await at(standingsPath)).text)).toEqual(catalog.standings('2025-10-07')!.json);
    });

    it('refuses a fault that does nothing, and clears them all on DELETE', async () => {
      const refused = await fetch(`${server.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '(' }) });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toMatch(/regular expression/);
      server.faults.add({ path: '.', status: 500 });
      expect((await fetch(`${server.url}/__faults`, { method: 'DELETE' })).status).toBe(200);
      expect((await at(standingsPath)).status).toBe(200);
    });
  });

  it('takes faults at start', async () => {
    const faulty = await startProviderServer({ faults: [{ path: '.', status: 500, times: 1 }] });
    try {
      expect((await get(`${faulty.url}/v1/score/now`)).status).toBe(500);
      expect((await get(`${faulty.url}/v1/score/now`)).status).toBe(200);
    } finally {
      await faulty.close();
    }
  });
});

describe('npm run provider-server', () => {
  it('prints its URL, replays the game asked, logs a JSON line per request and stops on SIGTERM', async () => {
    const gameId = catalog.gameIds('playByPlay')[0];
    const child = spawn(process.execPath, [resolve('dist/tools/provider-server/src/main.js'), '--port', '0', '--replay', String(gameId), '--speed', '600'], {
      env: { PATH: process.env.PATH },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      const deadline = Date.now() + 15_000;
      while (!/replaying/.test(stderr)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the provider server did not come up:\n${stderr}`);
        await sleep(50);
      }
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1];
      const answer = await get(`${url}/v1/gamecenter/${gameId}/play-by-play`);
      expect(JSON.parse(answer.text)).toMatchObject({ id: gameId, gameState: 'LIVE' });
      await sleep(100);
      const logged = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { url?: string; status?: number });
      expect(logged).toContainEqual(expect.objectContaining({ url: `/v1/gamecenter/${gameId}/play-by-play`, status: 200 }));
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    }
  });
});
