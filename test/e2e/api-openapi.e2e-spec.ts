import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { DataSource } from 'typeorm';
import {
  AWAY_TEAM_EXAMPLE,
  GOAL_EVENT_EXAMPLE,
  MATCH_EXAMPLE,
  ROSTER_ENTRY_EXAMPLE,
  SCORER_EXAMPLE,
  SEASON_EXAMPLE,
  STANDING_EXAMPLE,
  SYNC_TYPES_EXAMPLE,
  TEAM_EXAMPLE,
  TOURNAMENT_EXAMPLE,
} from '../../apps/api/src/openapi/openapi.examples.js';
import { seedDemoData } from '../../tools/stack/src/demo-seed.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

type Operation = {
  parameters?: { $ref?: string; name?: string; in?: string }[];
  responses: Record<string, { $ref?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
  tags?: string[];
  requestBody?: unknown;
};
type Document = { openapi: string; tags: { name: string }[]; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> } };

/** Not part of the API's contract, and not in the comparison with the router. */
const OPERATIONAL = ['/healthz', '/readyz', '/metrics', '/docs'];

/** Namespaces of the inline SVG icons: identifiers, never fetched. */
const XML_NAMESPACES = ['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink'];

/** Fields a seed makes anew every time (ids, references, timestamps): the rest of an example must be the seed's. */
const generated = (key: string) => key === 'id' || key.endsWith('_id') || key.endsWith('_at');
const stable = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([key]) => !generated(key)));

describe('API documentation (OpenAPI)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;
  let document: Document;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    await seedDemoData(db);
    api = await startApp('api', { DATABASE_URL: database.url });
    const response = await fetch(`${api.baseUrl}/docs/json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    document = (await response.json()) as Document;
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('serves the interactive UI at /docs from its own assets, with no external URL', async () => {
    const response = await fetch(`${api.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const external = (html.match(/(https?:)?\/\/[^\s"'<>)]+/g) ?? []).filter((url) => !XML_NAMESPACES.includes(url));
    expect(external).toEqual([]);

    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map(([, url]) => new URL(url, `${api.baseUrl}/docs`));
    expect(assets.map((url) => url.pathname)).toEqual(expect.arrayContaining(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui-init.js']));
    for (const url of assets) {
      expect(url.origin).toBe(api.baseUrl);
      const asset = await fetch(url);
      expect({ url: url.pathname, status: asset.status }).toEqual({ url: url.pathname, status: 200 });
      const body = await asset.text();
      expect(body.length).toBeGreaterThan(0);
      if (url.pathname.endsWith('swagger-ui-init.js')) {
        // The document is inline (no URL to fetch it from) and the public validator is off.
        expect(body).toMatch(/"validatorUrl":\s*null/);
        expect(body).toMatch(/"swaggerDoc":/);
        // No spec to fetch from elsewhere in the UI's options (the inline document's examples may hold URLs).
        const options = body.slice(body.indexOf('"customOptions"'));
        expect(options).not.toMatch(/"url":\s*"https?:/);
      }
    }
  });

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as unknown as Parameters<typeof SwaggerParser.validate>[0])).resolves.toBeDefined();
  });

  it('lists every route the app serves, and no other', () => {
    // Nest logs each route it mounts: "Mapped {/v1/sync, GET} route".
    const served = [...api.output().matchAll(/Mapped \{([^,}]+), ([A-Z]+)\} route/g)]
      .map(([, path, method]) => `${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
      .filter((route) => !OPERATIONAL.some((path) => route.split(' ')[1].startsWith(path)));
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .filter((route) => !OPERATIONAL.some((path) => route.split(' ')[1].startsWith(path)));
    expect(served.length).toBeGreaterThanOrEqual(15);
    expect(new Set(served).size).toBe(served.length);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('groups every operation under a tag the document declares', () => {
    const declared = new Set(document.tags.map((tag) => tag.name));
    const used = Object.values(document.paths).flatMap((item) => Object.values(item).flatMap((operation) => operation.tags ?? ['(none)']));
    expect([...new Set(used)].filter((tag) => !declared.has(tag))).toEqual([]);
  });

  it('describes the app-version check, errors and device authentication on every /v1 route', () => {
    const errorBody = { $ref: '#/components/schemas/ErrorBody' };
    for (const [path, item] of Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/'))) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const headers = (operation.parameters ?? []).map((parameter) => parameter.$ref ?? parameter.name);
        expect({ where, headers }).toEqual({ where, headers: expect.arrayContaining(['#/components/parameters/XAppPlatform', '#/components/parameters/XAppVersion']) });
        expect({ where, status: operation.responses['426']?.$ref }).toEqual({ where, status: '#/components/responses/UpgradeRequired' });
        expect(Object.keys(operation.responses).some((status) => /^2/.test(status))).toBe(true);
        if (path.startsWith('/v1/devices/me')) {
          expect({ where, security: operation.security }).toEqual({ where, security: [{ Device: [] }] });
          expect({ where, status: operation.responses['401']?.$ref }).toEqual({ where, status: '#/components/responses/DeviceAuthFailed' });
        }
        if (/^\/v1\/(sync|live|tournaments|seasons|matches|standings|teams|players)\b/.test(path) || where === 'POST /v1/devices') {
          expect({ where, security: operation.security }).toEqual({ where, security: undefined });
        }
      }
    }
    expect(document.components.securitySchemes.Device).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    const components = document.components as unknown as { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
    expect(components.responses.UpgradeRequired.content['application/json'].schema).toEqual(errorBody);
  });

  it('describes /v1/live as an event stream, and the catalog revalidation', () => {
    const live = document.paths['/v1/live'].get;
    const stream = live.responses['200'].content?.['text/event-stream'] as { example: string };
    expect(stream.example).toMatch(/^id: [0-9a-z]+-\d+\nevent: match_event\ndata: \{.*\}\n\n/);
    expect(stream.example).toContain('event: ping\ndata: ');
    expect(stream.example).toContain('event: shutdown\ndata: {}\n\n');
    expect(live.parameters?.map((parameter) => parameter.name ?? parameter.$ref)).toEqual(expect.arrayContaining(['since', 'types', 'Last-Event-ID']));
    expect(Object.keys(live.responses)).toEqual(expect.arrayContaining(['200', '400', '409', '426', '429', '503']));
    expect(Object.keys(document.paths['/v1/sync'].get.responses)).toEqual(expect.arrayContaining(['200', '400', '409', '426']));

    const catalog = Object.entries(document.paths).filter(([, item]) => item.get?.tags?.includes('Catalog'));
    expect(catalog.map(([path]) => path).sort()).toEqual(
      [
        '/v1/tournaments',
        '/v1/tournaments/{id}/seasons',
        '/v1/seasons/{id}/stages',
        '/v1/matches',
        '/v1/matches/{id}',
        '/v1/standings',
        '/v1/teams/{id}/roster',
        '/v1/teams/{id}/stats',
        '/v1/players/{id}/stats',
      ].sort(),
    );
    for (const [path, item] of catalog) {
      const operation = item.get;
      expect({ path, statuses: Object.keys(operation.responses) }).toEqual({ path, statuses: expect.arrayContaining(['200', '304']) });
      expect(Object.keys(operation.responses['200'].headers ?? {})).toEqual(['ETag', 'Cache-Control']);
      expect(operation.parameters?.map((parameter) => parameter.$ref)).toContain('#/components/parameters/IfNoneMatch');
    }
  });

  it('documents the catalog headers the API sends', async () => {
    const headers = (document as unknown as { components: { headers: Record<string, { schema: { example: string } }> } }).components.headers;
    const answer = await fetch(`${api.baseUrl}/v1/tournaments`);
    expect(answer.status).toBe(200);
    const etag = answer.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-z]+-[0-9a-f]{32}"$/);
    expect(headers.ETag.schema.example).toMatch(/^"[0-9a-z]+-[0-9a-f]{32}"$/);
    expect(answer.headers.get('cache-control')).toBe(headers.CatalogCacheControl.schema.example);
    const revalidated = await fetch(`${api.baseUrl}/v1/tournaments`, { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
  });

  it('takes its examples from the demo data as the seed stores it', async () => {
    const row = async (sql: string, ...params: unknown[]) => ((await db.query(`SELECT to_jsonb(t) AS row FROM (${sql}) t`, params)) as { row: Record<string, unknown> }[])[0]?.row;
    const game = `SELECT id FROM matches WHERE external_id = '2024020003'`;
    const firstGoal = `SELECT * FROM match_events WHERE match_id = (${game}) AND type = 'goal' ORDER BY period, clock_seconds LIMIT 1`;
    const expected: [string, Record<string, unknown>, Record<string, unknown> | undefined][] = [
      ['team', TEAM_EXAMPLE, await row(`SELECT * FROM teams WHERE abbreviation = 'SEA'`)],
      ['away team', AWAY_TEAM_EXAMPLE, await row(`SELECT * FROM teams WHERE id = (SELECT away_team_id FROM matches WHERE id = (${game}))`)],
      ['match', MATCH_EXAMPLE, await row(`SELECT * FROM matches WHERE id = (${game})`)],
      ['goal', GOAL_EVENT_EXAMPLE, await row(firstGoal)],
      ['scorer', SCORER_EXAMPLE, await row(`SELECT * FROM persons WHERE id = (SELECT primary_person_id FROM (${firstGoal}) g)`)],
      ['tournament', TOURNAMENT_EXAMPLE, await row(`SELECT * FROM tournaments WHERE external_id = 'NHL'`)],
      ['season', SEASON_EXAMPLE, await row(`SELECT * FROM seasons WHERE is_current`)],
      ['standing', STANDING_EXAMPLE, await row(`SELECT s.* FROM standings s JOIN teams t ON t.id = s.team_id WHERE t.abbreviation = 'SEA' AND s.season_id = (SELECT id FROM seasons WHERE is_current) AND s.stage_id IS NULL`)],
      ['roster entry', ROSTER_ENTRY_EXAMPLE, await row(`SELECT * FROM roster_entries WHERE person_id = (SELECT primary_person_id FROM (${firstGoal}) g) AND season_id = (SELECT season_id FROM matches WHERE id = (${game}))`)],
    ];
    for (const [name, example, seeded] of expected) {
      expect({ name, row: stable(example) }).toEqual({ name, row: stable(seeded ?? {}) });
    }
    expect(TEAM_EXAMPLE).toMatchObject({ name: 'Seattle Kraken', abbreviation: 'SEA' });
    expect(SCORER_EXAMPLE.full_name).toBe('Vince Dunn');
    expect(MATCH_EXAMPLE.home_team_id).toBe(TEAM_EXAMPLE.id);
    expect(GOAL_EVENT_EXAMPLE.primary_person_id).toBe(SCORER_EXAMPLE.id);
    const types = ((await db.query('SELECT DISTINCT type FROM sync_change ORDER BY type')) as { type: string }[]).map(({ type }) => type);
    expect(types).toEqual([...SYNC_TYPES_EXAMPLE]);

    // The example frame is what /v1/live sends for that goal, up to the generated ids.
    const example = (document.paths['/v1/live'].get.responses['200'].content?.['text/event-stream'] as { example: string }).example;
    const data = JSON.parse(/^data: (.*)$/m.exec(example)![1]) as Record<string, unknown>;
    expect(stable(data)).toEqual(stable((await row(firstGoal))!));
  });
});
