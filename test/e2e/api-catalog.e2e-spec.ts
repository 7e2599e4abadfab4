import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { insertLiveMatch, insertMatch, insertMatchEvent, insertTeam, type LiveMatch } from '../factories/hockey.factory.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface MatchBody {
  match: { id: string };
  events: { id: string; description: string | null }[];
  homeTeam: { name: string };
}

/** The read endpoints: hidden rows never shown, strong ETags that change exactly when the answer does. */
describe('read endpoints with ETag revalidation', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;
  let live: LiveMatch;
  let matchId: string;
  let hiddenMatchId: string;
  const events: string[] = [];

  const get = (path: string, etag?: string) => fetch(api.baseUrl + path, { headers: etag ? { 'If-None-Match': etag } : {} });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    live = await insertLiveMatch(db, { match: { starts_at: '2026-01-17T19:00:00Z' } });
    matchId = live.match.id as string;
    for (const description of ['wrist shot', 'slap shot', 'hidden one']) events.push((await insertMatchEvent(db, { match_id: matchId, description })).id as string);
    await db.query('UPDATE match_events SET hidden = true WHERE id = $1', [events[2]]);
    hiddenMatchId = (await insertMatch(db, { season_id: live.match.season_id, starts_at: '2026-01-17T22:00:00Z', hidden: true })).id as string;
    await insertMatch(db, { season_id: live.match.season_id, starts_at: '2026-01-17T23:30:00Z' });
    api = await startApp('api', { DATABASE_URL: database.url });
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('answers a match with a strong ETag, and 304 with no body while nothing in it changes', async () => {
    const first = await get(`/v1/matches/${matchId}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const body = (await first.json()) as MatchBody;
    expect(body.match.id).toBe(matchId);
    expect(body.events.map((event) => event.id).sort()).toEqual(events.slice(0, 2).sort());

    const again = await get(`/v1/matches/${matchId}`, etag);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // A change elsewhere leaves this answer's ETag alone.
    await insertTeam(db);
    await db.query('UPDATE teams SET city = $2 WHERE id = (SELECT id FROM teams WHERE id NOT IN ($1, $3) LIMIT 1)', [live.homeTeam.id, 'Elsewhere', live.awayTeam.id]);
    expect((await get(`/v1/matches/${matchId}`, etag)).status).toBe(304);
  });

  it('changes the ETag when an editor changes the match, one of its events, or hides one', async () => {
    let etag = (await get(`/v1/matches/${matchId}`)).headers.get('etag')!;
    for (const edit of [
      () => db.query('UPDATE match_events SET description = $2 WHERE id = $1', [events[0], 'snap shot']),
      () => db.query('UPDATE matches SET home_score = home_score + 1 WHERE id = $1', [matchId]),
      () => db.query('UPDATE teams SET name = $2 WHERE id = $1', [live.homeTeam.id, 'Renamed']),
      () => db.query('UPDATE match_events SET hidden = true WHERE id = $1', [events[1]]),
    ]) {
      await edit();
      const response = await get(`/v1/matches/${matchId}`, etag);
      expect(response.status).toBe(200);
      const next = response.headers.get('etag')!;
      expect(next).not.toBe(etag);
      etag = next;
    }
    const body = (await (await get(`/v1/matches/${matchId}`)).json()) as MatchBody;
    expect(body.events.map((event) => [event.id, event.description])).toEqual([[events[0], 'snap shot']]);
    expect(body.homeTeam.name).toBe('Renamed');
  });

  it('lists matches by day without hidden ones, in pages', async () => {
    const day = (await (await get('/v1/matches?date=2026-01-17&limit=1')).json()) as { items: { id: string }[]; next: string | null };
    expect(day.items.map((item) => item.id)).toEqual([matchId]);
    expect(day.next).not.toBeNull();
    const second = (await (await get(`/v1/matches?date=2026-01-17&limit=1&cursor=${day.next}`)).json()) as { items: { id: string }[]; next: string | null };
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(hiddenMatchId);
    expect(second.next).toBeNull();
    expect((await get(`/v1/matches/${hiddenMatchId}`)).status).toBe(404);
  });

  it('refuses bad input with a JSON error and a stable code', async () => {
    for (const [path, status, code] of [
      ['/v1/matches?limit=500', 400, 'validation_failed'],
      ['/v1/matches?date=2026-13-45', 400, 'validation_failed'],
      ['/v1/matches?status=paused', 400, 'validation_failed'],
      ['/v1/matches?unknown=1', 400, 'validation_failed'],
      ['/v1/matches?cursor=bm90LWEtY3Vyc29y', 400, 'page_cursor_invalid'],
      ['/v1/matches/not-a-uuid', 400, undefined],
      ['/v1/standings', 400, 'validation_failed'],
    ] as const) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status });
      const body = (await response.json()) as { error?: { code: string }; stack?: unknown };
      if (code) expect(body.error?.code).toBe(code);
      expect(JSON.stringify(body)).not.toMatch(/\bat .*\.js:\d+/);
    }
  });

  it('serves tournaments, seasons, stages, standings, a roster and statistics', async () => {
    const seasonId = live.match.season_id as string;
    const [{ tournament_id: tournamentId }] = await db.query('SELECT tournament_id FROM seasons WHERE id = $1', [seasonId]);
    for (const path of [
      '/v1/tournaments',
      `/v1/tournaments/${tournamentId}/seasons`,
      `/v1/seasons/${seasonId}/stages`,
      `/v1/standings?seasonId=${seasonId}`,
      `/v1/teams/${live.homeTeam.id}/roster?seasonId=${seasonId}`,
      `/v1/teams/${live.homeTeam.id}/stats?seasonId=${seasonId}`,
      `/v1/players/${live.players.home[0].personId}/stats`,
    ]) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('etag')).toBeTruthy();
    }
    const roster = (await (await get(`/v1/teams/${live.homeTeam.id}/roster?seasonId=${seasonId}`)).json()) as { person: { id: string } }[];
    expect(roster.map((entry) => entry.person.id).sort()).toEqual(live.players.home.map((player) => player.personId).sort());
  });
});
