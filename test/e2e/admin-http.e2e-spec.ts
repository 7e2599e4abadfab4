import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { insertAdminUser, type TestAdminUser } from '../factories/admin-user.factory.js';
import { insertLiveMatch, type LiveMatch } from '../factories/hockey.factory.js';
import { type AdminResponse, AdminHttpSession, signIn } from '../support/admin-http.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { openStream } from '../support/sse-stream.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface MatchRow {
  home_score: number;
  away_score: number;
  attendance: number | null;
  version: number;
  hidden: boolean;
  updated_at: Date;
}

/**
 * Role enforcement where it matters: at the HTTP boundary, with requests a
 * browser's UI would never send. The CSRF token is valid in every crafted
 * request unless the test is about CSRF, so a 403 is the role's doing.
 */
describe('admin over HTTP: roles, CSRF, audit, live console', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;
  let admin: AppProcess;
  let live: LiveMatch;
  let matchId: string;
  let mediaDir: string;
  const users = {} as Record<'admin' | 'editor' | 'viewer', TestAdminUser>;
  const sessions = {} as Record<'admin' | 'editor' | 'viewer', AdminHttpSession>;

  const matchRow = async (): Promise<MatchRow> =>
    (await db.query('SELECT home_score, away_score, attendance, version, hidden, updated_at FROM matches WHERE id = $1', [matchId]))[0];
  const recordUrl = (action: string, resource = 'Match', id = matchId) => `/admin/api/resources/${resource}/records/${id}/${action}`;
  /** The status, and what AdminJS said if it answered anything but 403. */
  const refusal = (response: AdminResponse) =>
    response.status === 403 ? { status: 403 } : { status: response.status, notice: (response.json as { notice?: unknown } | undefined)?.notice };
  const form = (fields: Record<string, string>) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return body;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    live = await insertLiveMatch(db, { match: { attendance: 15000 } });
    matchId = live.match.id as string;
    for (const role of ['admin', 'editor', 'viewer'] as const) users[role] = await insertAdminUser(db, role);
    api = await startApp('api', { DATABASE_URL: database.url, LIVE_HEARTBEAT_MS: '1000' });
    mediaDir = await mkdtemp(join(tmpdir(), 'faceoff-media-'));
    admin = await startApp('admin', {
      DATABASE_URL: database.url,
      MEDIA_DIR: mediaDir,
      ADMIN_SESSION_SECRET: randomBytes(24).toString('hex'),
      API_PUBLIC_URL: api.baseUrl,
    });
    for (const role of ['admin', 'editor', 'viewer'] as const) sessions[role] = await signIn(admin.baseUrl, users[role].email, users[role].password);
  });

  afterAll(async () => {
    await admin?.stop();
    await api?.stop();
    await database?.drop();
    await rm(mediaDir, { recursive: true, force: true });
  });

  it("refuses a viewer's crafted edit of a match with 403 and leaves the row as it was", async () => {
    const before = await matchRow();
    const response = await sessions.viewer.request(recordUrl('edit'), { method: 'POST', body: form({ homeScore: '9', attendance: '1' }) });
    expect(await matchRow()).toEqual(before);
    expect(refusal(response)).toEqual({ status: 403 });
  });

  it("refuses a viewer's crafted hide of a match with 403", async () => {
    const before = await matchRow();
    const response = await sessions.viewer.request(recordUrl('hide'), { method: 'POST', body: {} });
    expect(await matchRow()).toEqual(before);
    expect(refusal(response)).toEqual({ status: 403 });
  });

  it("refuses an editor's POST without the X-XSRF-TOKEN header with 403 csrf_token_invalid", async () => {
    const before = await matchRow();
    const response = await sessions.editor.request<{ code: string }>(recordUrl('edit'), { method: 'POST', body: form({ attendance: '2' }), xsrf: false });
    expect(response.status).toBe(403);
    expect(response.json?.code).toBe('csrf_token_invalid');
    const wrong = await sessions.editor.request<{ code: string }>(recordUrl('edit'), {
      method: 'POST',
      body: form({ attendance: '3' }),
      xsrf: false,
      headers: { 'X-XSRF-TOKEN': 'not-the-token' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json?.code).toBe('csrf_token_invalid');
    expect(await matchRow()).toEqual(before);
  });

  it("saves an editor's edit of a match and writes the audit trail with before and after", async () => {
    const before = await matchRow();
    const startedAt = new Date();
    // What AdminJS's edit form posts: multipart fields (@adminjs/fastify hands their values on as the payload).
    const response = await sessions.editor.request<{ record: { params: Record<string, unknown> }; notice?: { type: string } }>(recordUrl('edit'), {
      method: 'POST',
      body: form({ attendance: '18123' }),
    });
    expect(response.status).toBe(200);
    expect(response.json.notice?.type).toBe('success');
    expect(response.json.record.params.attendance).toBe(18123);
    const after = await matchRow();
    expect(after).toMatchObject({ attendance: 18123, home_score: before.home_score, version: before.version + 1 });
    const entries: { action: string; changes: { before: Record<string, unknown>; after: Record<string, unknown> } }[] = await db.query(
      `SELECT action, changes FROM audit_log
        WHERE admin_user_id = $1 AND resource = 'matches' AND record_id = $2 AND at >= $3
        ORDER BY at`,
      [users.editor.id, matchId, startedAt],
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].action).toBe('update');
    expect(entries[0].changes.before).toEqual({ attendance: before.attendance });
    expect(entries[0].changes.after).toEqual({ attendance: 18123 });
  });

  it("claims an imported row's edited columns for editors, so that the importer leaves them", async () => {
    await db.query(`UPDATE matches SET source = 'nhl', external_id = $2 WHERE id = $1`, [matchId, `test-${randomBytes(4).toString('hex')}`]);
    const response = await sessions.editor.request(recordUrl('edit'), { method: 'POST', body: form({ venue: 'Scotiabank Arena (rink 2)' }) });
    expect(response.status).toBe(200);
    const owned = await db.query('SELECT field, admin_user_id FROM editor_owned_fields WHERE table_name = $1 AND record_id = $2', ['matches', matchId]);
    expect(owned).toEqual([{ field: 'venue', admin_user_id: users.editor.id }]);
  });

  it("refuses an editor's POST to the CMS accounts (AdminUser) with 403 and creates nothing", async () => {
    const [{ count: accountsBefore }] = await db.query('SELECT count(*)::int AS count FROM admin_users');
    const created = await sessions.editor.request(`/admin/api/resources/AdminUser/actions/new`, {
      method: 'POST',
      body: form({ email: 'intruder@faceoff.test', displayName: 'Intruder', role: 'admin', password: 'correct horse battery' }),
    });
    const promoted = await sessions.editor.request(recordUrl('edit', 'AdminUser', users.editor.id), { method: 'POST', body: form({ role: 'admin' }) });
    expect((await db.query('SELECT count(*)::int AS count FROM admin_users'))[0].count).toBe(accountsBefore);
    expect((await db.query('SELECT role FROM admin_users WHERE id = $1', [users.editor.id]))[0].role).toBe('editor');
    expect(refusal(created)).toEqual({ status: 403 });
    expect(refusal(promoted)).toEqual({ status: 403 });
  });

  it('lets an admin create an account whose password works, hashed, and never copied into the audit log', async () => {
    const email = `new-editor-${randomBytes(3).toString('hex')}@faceoff.test`;
    const password = 'a long enough password';
    const short = await sessions.admin.request<{ record: { errors: Record<string, { message: string }> } }>('/admin/api/resources/AdminUser/actions/new', {
      method: 'POST',
      body: form({ email, displayName: 'New Editor', role: 'editor', password: 'short' }),
    });
    expect(short.json.record.errors.password.message).toMatch(/12 characters/);
    const created = await sessions.admin.request('/admin/api/resources/AdminUser/actions/new', {
      method: 'POST',
      body: form({ email: email.toUpperCase(), displayName: 'New Editor', role: 'editor', password }),
    });
    expect(created.status).toBe(200);
    const [account] = await db.query('SELECT id, email, role, password_hash FROM admin_users WHERE email = $1', [email]);
    expect(account).toMatchObject({ email, role: 'editor' });
    expect(account.password_hash).toMatch(/^\$argon2id\$/);
    await signIn(admin.baseUrl, email, password);
    const [entry] = await db.query(`SELECT admin_user_id, changes FROM audit_log WHERE action = 'create' AND resource = 'admin_users' AND record_id = $1`, [account.id]);
    expect(entry.admin_user_id).toBe(users.admin.id);
    expect(entry.changes.after).toMatchObject({ email, role: 'editor', passwordHash: '[redacted]' });
  });

  it("lets an admin send an announcement (its push planned in the same transaction, French text kept), and refuses an editor's", async () => {
    const sent = await sessions.admin.request('/admin/api/resources/Announcement/actions/new', {
      method: 'POST',
      body: form({ title: 'Playoffs tonight', body: 'Watch the game live from 7 pm', audience: 'team', teamId: live.homeTeam.id as string, 'titleI18n.fr': 'Séries ce soir' }),
    });
    expect(sent.status).toBe(200);
    const [announcement] = await db.query('SELECT id, audience, team_id, title_i18n, created_by FROM announcements WHERE title = $1', ['Playoffs tonight']);
    expect(announcement).toMatchObject({ audience: 'team', team_id: live.homeTeam.id, title_i18n: { fr: 'Séries ce soir' }, created_by: users.admin.id });
    const [push] = await db.query(`SELECT kind, status FROM push_notifications WHERE source_type = 'announcement' AND source_id = $1`, [announcement.id]);
    expect(push).toEqual({ kind: 'announcement', status: 'held' });

    const refused = await sessions.editor.request('/admin/api/resources/Announcement/actions/new', { method: 'POST', body: form({ title: 'Spam', body: 'Spam', audience: 'all' }) });
    expect(refusal(refused)).toEqual({ status: 403 });
    expect(await db.query('SELECT id FROM announcements WHERE title = $1', ['Spam'])).toEqual([]);
    const edit = await sessions.admin.request(recordUrl('edit', 'Announcement', announcement.id), { method: 'POST', body: form({ title: 'Changed' }) });
    expect(refusal(edit)).toEqual({ status: 403 });
  });

  it('gives a new session id at sign-in, and a working CSRF token to the next account signed in on the same browser', async () => {
    const browser = new AdminHttpSession(admin.baseUrl);
    await browser.request('/admin/login', { headers: { Accept: 'text/html' } });
    expect((await browser.login(users.viewer.email, users.viewer.password)).status).toBe(302);
    const viewerSession = browser.cookies.get('faceoff_admin');
    await browser.request('/admin', { headers: { Accept: 'text/html' } });
    const viewerToken = browser.xsrfToken;
    await browser.request('/admin/logout');
    expect((await browser.login(users.editor.email, users.editor.password)).status).toBe(302);
    expect(browser.cookies.get('faceoff_admin')).not.toBe(viewerSession);
    await browser.request('/admin', { headers: { Accept: 'text/html' } });
    expect(browser.xsrfToken).not.toBe(viewerToken);
    const edit = await browser.request(recordUrl('edit'), { method: 'POST', body: form({ attendance: '17001' }) });
    expect(edit.status).toBe(200);
    expect((await matchRow()).attendance).toBe(17001);
  });

  it('signs a disabled account out at its next request', async () => {
    const account = await insertAdminUser(db, 'editor');
    const session = await signIn(admin.baseUrl, account.email, account.password);
    expect((await session.request('/admin/api/resources/Match/actions/list')).status).toBe(200);
    await db.query('UPDATE admin_users SET disabled = true WHERE id = $1', [account.id]);
    const refused = await session.request<{ code: string }>('/admin/api/resources/Match/actions/list');
    expect({ status: refused.status, code: refused.json?.code }).toEqual({ status: 401, code: 'session_ended' });
    expect((await session.request('/admin/api/resources/Match/actions/list')).status).not.toBe(200);
  });

  it('names matches by their teams and date, and finds them by team in reference pickers', async () => {
    const home = live.homeTeam.abbreviation as string;
    const away = live.awayTeam.abbreviation as string;
    const found = await sessions.viewer.request<{ records: { id: string; title: string }[] }>(`/admin/api/resources/Match/search/${encodeURIComponent(home)}`);
    expect(found.status).toBe(200);
    const record = found.json.records.find((candidate) => candidate.id === matchId);
    expect(record?.title).toMatch(new RegExp(`^${away} @ ${home} · \\d{4}-\\d{2}-\\d{2}$`));
    const missing = await sessions.viewer.request<{ records: unknown[] }>('/admin/api/resources/Match/search/no-such-team');
    expect(missing.json.records).toEqual([]);
  });

  it('opens the ops page to admins only', async () => {
    const editor = await sessions.editor.request<{ code: string }>('/admin/ops', { headers: { Accept: 'text/html' } });
    expect(editor.status).toBe(403);
    expect(editor.json?.code).toBe('forbidden');
    const asAdmin = await sessions.admin.request('/admin/ops', { headers: { Accept: 'text/html' } });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it("carries an editor's goal from the live console to /v1/live as a match_event frame and the match's new score", async () => {
    const stream = await openStream(`${api.baseUrl}/v1/live?types=match,match_event`);
    try {
      expect(stream.status).toBe(200);
      const state = await sessions.editor.request<{ console: { match: { version: number; homeScore: number } } }>(recordUrl('liveConsole'));
      expect({ status: state.status, body: state.status === 200 ? undefined : state.json }).toEqual({ status: 200 });
      const { version, homeScore } = state.json.console.match;
      const before = await matchRow();
      expect(homeScore).toBe(before.home_score);
      const [scorer, assist] = live.players.home;
      const goal = await sessions.editor.request<{ console: { match: { homeScore: number }; events: { id: string; type: string }[] } }>(recordUrl('liveConsole'), {
        method: 'POST',
        body: { command: 'goal', expectedVersion: version, teamId: live.homeTeam.id, scorerId: scorer.personId, assistIds: [assist.personId] },
      });
      expect({ status: goal.status, body: goal.status === 200 ? undefined : goal.json }).toEqual({ status: 200 });
      expect(goal.json.console.match.homeScore).toBe(before.home_score + 1);
      expect((await matchRow()).home_score).toBe(before.home_score + 1);
      const [event] = await db.query(`SELECT id FROM match_events WHERE match_id = $1 AND type = 'goal' AND NOT hidden`, [matchId]);
      const arrived = stream.until((s) =>
        s.changes.some((frame) => frame.event === 'match_event' && JSON.parse(frame.data).id === event.id) &&
        s.changes.some((frame) => frame.event === 'match' && JSON.parse(frame.data).id === matchId && JSON.parse(frame.data).home_score === before.home_score + 1),
      10_000);
      await arrived.catch((error: Error) => {
        throw new Error(`${error.message}; frames: ${JSON.stringify(stream.changes.map((frame) => [frame.event, frame.data]))}`);
      });
      const eventFrame = JSON.parse(stream.changes.find((frame) => frame.event === 'match_event')!.data);
      // Frames carry the row as the database has it (to_jsonb: snake_case columns).
      expect(eventFrame).toMatchObject({
        id: event.id,
        match_id: matchId,
        type: 'goal',
        team_id: live.homeTeam.id,
        primary_person_id: scorer.personId,
        assist1_person_id: assist.personId,
        home_score: before.home_score + 1,
        away_score: before.away_score,
        hidden: false,
      });
    } finally {
      stream.close();
    }
  });

  it('lets one of two editors who saw the same version through and answers the other 409 match_version_conflict', async () => {
    const state = await sessions.editor.request<{ console: { match: { version: number } } }>(recordUrl('liveConsole'));
    const { version } = state.json.console.match;
    const timeout = (teamId: string) => ({ command: 'timeout', expectedVersion: version, teamId });
    const [first, second] = await Promise.all([
      sessions.editor.request<{ code?: string; message?: string }>(recordUrl('liveConsole'), { method: 'POST', body: timeout(live.homeTeam.id as string) }),
      sessions.admin.request<{ code?: string; message?: string }>(recordUrl('liveConsole'), { method: 'POST', body: timeout(live.awayTeam.id as string) }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.json.code).toBe('match_version_conflict');
    expect(loser.json.message).toMatch(/another editor changed the match/);
    const timeouts: { team_id: string }[] = await db.query(`SELECT team_id FROM match_events WHERE match_id = $1 AND type = 'timeout'`, [matchId]);
    expect(timeouts.map((row) => row.team_id)).toEqual([first.status === 200 ? live.homeTeam.id : live.awayTeam.id]);
    expect((await matchRow()).version).toBe(version + 1);
  });

  describe('image upload', () => {
    const upload = (session: AdminHttpSession, data: Buffer, filename: string, type: string) => {
      const body = new FormData();
      body.append('image', new Blob([data], { type }), filename);
      return session.request<{ record?: { params: Record<string, unknown> }; code?: string }>(recordUrl('uploadImage', 'Team', live.homeTeam.id as string), {
        method: 'POST',
        body,
      });
    };
    const logoUrl = async (): Promise<string | null> => (await db.query('SELECT logo_url FROM teams WHERE id = $1', [live.homeTeam.id]))[0].logo_url;

    it("stores an editor's logo in every size and serves it with long cache headers", async () => {
      const png = await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 200, g: 16, b: 46 } } }).png().toBuffer();
      const response = await upload(sessions.editor, png, 'logo.png', 'image/png');
      expect(response.status).toBe(200);
      const url = await logoUrl();
      expect(url).toMatch(/^\/media\/team-logo\/[0-9a-f]{32}\/256\.png$/);
      expect(response.json.record?.params.logoUrl).toBe(url);
      const served = await fetch(admin.baseUrl + url);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const metadata = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
      expect({ width: metadata.width, height: metadata.height, format: metadata.format }).toEqual({ width: 256, height: 171, format: 'png' });
      const webp = await fetch(admin.baseUrl + url!.replace('/256.png', '/64.webp'));
      expect(webp.headers.get('content-type')).toBe('image/webp');
    });

    it('refuses a file that is not an image with a clear code, and keeps the logo', async () => {
      const before = await logoUrl();
      const response = await upload(sessions.editor, Buffer.from('name,city\nLeafs,Toronto\n'), 'teams.csv', 'image/png');
      expect(response.status).toBe(400);
      expect(response.json.code).toBe('image_not_an_image');
      expect(await logoUrl()).toBe(before);
    });

    it("refuses a viewer's upload with 403", async () => {
      const before = await logoUrl();
      const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
      const response = await upload(sessions.viewer, png, 'logo.png', 'image/png');
      expect(response.status).toBe(403);
      expect(await logoUrl()).toBe(before);
    });
  });
});
