import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { insertAdminUser, type TestAdminUser } from '../factories/admin-user.factory.js';
import { insertLiveMatch, type LiveMatch } from '../factories/hockey.factory.js';
import { type AppProcess, freePort, startApp } from '../support/app-process.js';
import { launchBrowser, outsideRequests, type TestBrowser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SCREENSHOT = resolve('docs', 'admin-live-console.png');
/** The login form's answer to a wrong password and to a locked account alike (admin-panel.module.ts). */
const LOGIN_REFUSED = /Wrong email or password/;

/**
 * The CMS in a real browser, as editors use it: the built admin (and the API
 * the live console follows) as processes, Debian's chromium through
 * playwright-core. Tests run in order and share the browser; each signs in as
 * whom it needs.
 */
describe('admin in the browser', () => {
  let database: TestDatabase;
  let db: DataSource;
  let api: AppProcess;
  let admin: AppProcess;
  let browser: TestBrowser;
  let page: Page;
  let live: LiveMatch;
  let matchId: string;
  let editor: TestAdminUser;
  let viewer: TestAdminUser;
  let lockable: TestAdminUser;
  /** Requests of the page answered with an error status, for failure messages. */
  const failedCalls: string[] = [];

  const matchRow = async (): Promise<{ home_score: number; away_score: number; version: number; updated_at: Date; attendance: number | null }> =>
    (await db.query('SELECT home_score, away_score, version, updated_at, attendance FROM matches WHERE id = $1', [matchId]))[0];
  const url = (path: string) => admin.baseUrl + path;
  const consoleUrl = () => url(`/admin/resources/Match/records/${matchId}/liveConsole`);

  /** Signs in from a fresh start: no cookies, the login page. */
  async function signIn(email: string, password: string): Promise<void> {
    await browser.context.clearCookies();
    await page.goto(url('/admin/login'));
    await submitLogin(email, password);
  }

  /** Fills and sends the login form shown on the page. */
  async function submitLogin(email: string, password: string): Promise<void> {
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    // The form posts and the browser loads what comes back (the CMS, or the form again).
    const loaded = page.waitForEvent('domcontentloaded');
    await page.click('form button');
    await loaded;
  }

  /** Waits for `expected` on the console page; fails at once with the console's error message if it shows one. */
  async function consoleShows(expected: Locator): Promise<void> {
    const error = page.getByTestId('console-error');
    await Promise.race([expected.waitFor(), error.waitFor()]).catch(() => undefined);
    if (await error.count()) throw new Error(`the console says: ${await error.textContent()}; failed calls: ${JSON.stringify(failedCalls)}`);
    if (!(await expected.count())) throw new Error(`not shown: ${expected}; failed calls: ${JSON.stringify(failedCalls)}`);
  }

  /** Whether the browser's cookies open the CMS (asked without rendering a page: AdminJS sends the rest to its login). */
  async function signedIn(): Promise<boolean> {
    const response = await page.request.get(url('/admin'), { maxRedirects: 0 });
    if (response.status() === 302) {
      expect(response.headers().location).toBe('/admin/login');
      return false;
    }
    expect(response.status()).toBe(200);
    return true;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await database.dataSource();
    // Fixed names and kick-off: the screenshot looks the same on every run.
    live = await insertLiveMatch(db, {
      match: { starts_at: '2026-01-17T19:00:00Z', attendance: 18_800 },
      homeTeam: { name: 'Toronto Maple Leafs', abbreviation: 'TOR' },
      awayTeam: { name: 'Montréal Canadiens', abbreviation: 'MTL' },
      homePlayers: ['Auston Matthews', 'Mitch Marner', 'William Nylander', 'Morgan Rielly'],
      awayPlayers: ['Nick Suzuki', 'Cole Caufield', 'Juraj Slafkovský', 'Lane Hutson'],
    });
    matchId = live.match.id as string;
    editor = await insertAdminUser(db, 'editor', { email: 'eddie@faceoff.test', displayName: 'Eddie Editor' });
    viewer = await insertAdminUser(db, 'viewer', { displayName: 'Vera Viewer' });
    lockable = await insertAdminUser(db, 'editor', { displayName: 'Lou Lockable' });
    // The API, the admin and the browser start side by side; the admin only needs to know the API's address.
    const apiPort = await freePort();
    const [startedApi, startedAdmin, launched] = await Promise.allSettled([
      startApp('api', { DATABASE_URL: database.url, LIVE_HEARTBEAT_MS: '1000' }, apiPort),
      startApp('admin', {
        DATABASE_URL: database.url,
        ADMIN_SESSION_SECRET: randomBytes(24).toString('hex'),
        API_PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
        // The lockout, not the per-address throttle, is what (e) is about.
        ADMIN_LOGIN_ATTEMPTS_PER_MINUTE: '100',
      }),
      launchBrowser({ viewport: { width: 1400, height: 1000 } }),
    ]);
    // What did start is stopped in afterAll even when something else did not.
    if (startedApi.status === 'fulfilled') api = startedApi.value;
    if (startedAdmin.status === 'fulfilled') admin = startedAdmin.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const outcome of [startedApi, startedAdmin, launched]) if (outcome.status === 'rejected') throw outcome.reason;
    page = browser.page;
    page.setDefaultTimeout(10_000);
    page.on('response', (response) => {
      if (response.status() < 400) return;
      const call = `${response.request().method()} ${new URL(response.url()).pathname} → ${response.status()}`;
      response.text().then(
        (body) => failedCalls.push(`${call} ${body.slice(0, 300)}`),
        () => failedCalls.push(call),
      );
    });
  });

  afterAll(async () => {
    await browser?.close();
    await admin?.stop();
    await api?.stop();
    await database?.drop();
  });

  it('(a) signs an editor in and shows the dashboard with the live match', async () => {
    await signIn(editor.email, editor.password);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.getByText('Live now').waitFor();
    const row = page.getByTestId(`dashboard-match-${matchId}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('MTL @ TOR');
    expect(await row.getByText('Live console').count()).toBe(1);
  });

  it('(b, f) records a goal in the live console: the page, the database and the phones all see it', async () => {
    const before = await matchRow();
    await page.goto(consoleUrl());
    await page.getByTestId('live-console').waitFor();
    expect(Number(await page.getByTestId('home-score').textContent())).toBe(before.home_score);
    // Following /v1/live before saving: the ✓ must come from the stream, not from the page's own answer.
    await page.getByTestId('phones').filter({ hasText: 'connected' }).waitFor();

    await page.keyboard.press('g');
    await page.getByTestId('form-goal').waitFor();
    await page.getByTestId('side-home').click();
    const [scorer, assist] = live.players.home;
    await page.getByTestId('scorerId').selectOption(scorer.personId);
    await page.getByTestId('assist1Id').selectOption(assist.personId);
    await page.getByTestId('submit-form').click();

    await consoleShows(page.getByTestId('home-score').filter({ hasText: String(before.home_score + 1) }));
    expect(Number(await page.getByTestId('away-score').textContent())).toBe(before.away_score);
    expect((await matchRow()).home_score).toBe(before.home_score + 1);
    const rows = page.getByTestId('event-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-type')).toBe('goal');
    const [event] = await db.query(`SELECT id, primary_person_id, assist1_person_id FROM match_events WHERE match_id = $1 AND NOT hidden`, [matchId]);
    expect(event).toMatchObject({ primary_person_id: scorer.personId, assist1_person_id: assist.personId });
    expect(await rows.first().getAttribute('data-event-id')).toBe(event.id);
    expect(await rows.first().textContent()).toContain(scorer.fullName);

    // Back from /v1/live through the API process within a few seconds.
    await rows.first().getByTestId('on-air').filter({ hasText: 'on phones' }).waitFor({ timeout: 5_000 });
    await page.getByTestId('phones').filter({ hasText: `score on phones ${before.away_score} – ${before.home_score + 1}` }).waitFor({ timeout: 5_000 });

    mkdirSync(resolve('docs'), { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT, animations: 'disabled', caret: 'hide' });
  });

  it('(c) hides the last event: the score goes back, the row leaves the page and is hidden, not deleted', async () => {
    const before = await matchRow();
    const [event] = await db.query(`SELECT id FROM match_events WHERE match_id = $1 AND NOT hidden`, [matchId]);
    await page.getByTestId('hide-last').click();
    await consoleShows(page.getByTestId('home-score').filter({ hasText: String(before.home_score - 1) }));
    await page.getByTestId('event-row').first().waitFor({ state: 'detached' });
    expect(await page.getByTestId('event-row').count()).toBe(0);
    expect((await matchRow()).home_score).toBe(before.home_score - 1);
    const rows = await db.query('SELECT hidden FROM match_events WHERE id = $1', [event.id]);
    expect(rows).toEqual([{ hidden: true }]);
    expect(await page.getByTestId('console-error').count()).toBe(0);
  });

  it('runs the rest of a period from the keyboard: penalty, commentary, period end and the next start', async () => {
    const events = async (): Promise<{ type: string; period: number; infraction: string | null; primary_person_id: string | null }[]> =>
      db.query(`SELECT type, period, infraction, primary_person_id FROM match_events WHERE match_id = $1 AND NOT hidden ORDER BY sort_order`, [matchId]);
    const [, , , penalized] = live.players.away;

    await page.keyboard.press('p');
    await page.getByTestId('form-penalty').waitFor();
    await page.getByTestId('side-away').click();
    await page.getByTestId('personId').selectOption(penalized.personId);
    await page.getByTestId('infraction').fill('tripping');
    await page.getByTestId('infraction').press('Enter');
    await consoleShows(page.locator('[data-testid="event-row"][data-type="penalty"]'));

    await page.keyboard.press('c');
    await page.getByTestId('commentary-body').fill('Suzuki goes off for tripping.');
    await page.getByTestId('commentary-body').press('Enter');
    await consoleShows(page.getByTestId('commentary-line').filter({ hasText: 'Suzuki goes off' }));

    await page.getByTestId('period-end').click();
    await consoleShows(page.locator('[data-testid="event-row"][data-type="period_end"]'));
    await page.getByTestId('period-start').click();
    await consoleShows(page.getByTestId('period').filter({ hasText: '2' }));

    expect((await events()).map((event) => [event.type, event.period])).toEqual([
      ['penalty', 1],
      ['period_end', 1],
      ['period_start', 2],
    ]);
    expect((await events())[0]).toMatchObject({ infraction: 'tripping', primary_person_id: penalized.personId });
    const [line] = await db.query('SELECT body FROM commentary_lines WHERE match_id = $1 AND NOT hidden', [matchId]);
    expect(line.body).toBe('Suzuki goes off for tripping.');
  });

  it('tells the editor when another editor changed the match first, and saves nothing of the stale entry', async () => {
    // Another editor's save, as the database sees it: the version moves on under the open console.
    await db.query('UPDATE matches SET version = version + 1 WHERE id = $1', [matchId]);
    const before = await matchRow();
    await page.keyboard.press('t');
    await page.getByTestId('form-timeout').waitFor();
    await page.getByTestId('side-home').click();
    await page.getByTestId('submit-form').click();
    const error = page.getByTestId('console-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/another editor changed the match/);
    expect(await db.query(`SELECT 1 FROM match_events WHERE match_id = $1 AND type = 'timeout'`, [matchId])).toEqual([]);
    expect((await matchRow()).version).toBe(before.version);
    // The console reloaded the match: the same entry now goes through.
    await page.getByTestId('submit-form').click();
    await error.waitFor({ state: 'detached' });
    await consoleShows(page.locator('[data-testid="event-row"][data-type="timeout"]'));
  });

  it("(d) refuses a viewer the edit page of a match, and the viewer's attempt changes nothing", async () => {
    await signIn(viewer.email, viewer.password);
    expect(await signedIn()).toBe(true);
    const before = await matchRow();

    // The record's page offers no edit, hide or console to a viewer.
    await page.goto(url(`/admin/resources/Match/records/${matchId}/show`));
    await page.getByTestId('property-show-homeScore').waitFor();
    for (const action of ['edit', 'hide', 'liveConsole']) expect(await page.getByTestId(`action-${action}`).count()).toBe(0);

    // Typed in by hand: AdminJS shows a refusal and no form.
    await page.goto(url(`/admin/resources/Match/records/${matchId}/edit`));
    await page.getByText(/not authorized|cannot perform|forbidden/i).first().waitFor();
    expect(await page.getByTestId('button-save').count()).toBe(0);

    // What the edit form would post, sent from the viewer's page with its session and XSRF token
    // (the header AdminJS's axios copies from the XSRF-TOKEN cookie).
    const token = (await browser.context.cookies(admin.baseUrl)).find((cookie) => cookie.name === 'XSRF-TOKEN')?.value;
    expect(token).toBeDefined();
    const attempt = await page.evaluate(
      async ({ path, token }) => {
        const body = new FormData();
        body.append('homeScore', '42');
        body.append('attendance', '1');
        const response = await fetch(path, { method: 'POST', body, headers: { 'X-XSRF-TOKEN': token } });
        return { status: response.status, body: await response.text() };
      },
      { path: `/admin/api/resources/Match/records/${matchId}/edit`, token: decodeURIComponent(token!) },
    );
    expect(await matchRow()).toEqual(before);
    expect(attempt.status === 403 || JSON.parse(attempt.body).notice?.type === 'error').toBe(true);

    // And the console's own command, as the console page would send it.
    const command = await page.evaluate(
      async ({ path, token, teamId, scorerId, version }) => {
        const response = await fetch(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': token },
          body: JSON.stringify({ command: 'goal', expectedVersion: version, teamId, scorerId }),
        });
        return { status: response.status, body: await response.text() };
      },
      { path: `/admin/api/resources/Match/records/${matchId}/liveConsole`, token: decodeURIComponent(token!), teamId: live.homeTeam.id as string, scorerId: live.players.home[0].personId, version: before.version },
    );
    expect(await matchRow()).toEqual(before);
    expect(command.status === 403 || JSON.parse(command.body).notice?.type === 'error').toBe(true);
  });

  it('(e) refuses a wrong password without a session, and after 5 wrong ones the right password too', async () => {
    await signIn(lockable.email, 'not the password');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.getByText(LOGIN_REFUSED).waitFor();
    expect(await signedIn()).toBe(false);

    // Again and again from the form the refusal shows, as someone guessing would.
    for (let attempt = 2; attempt <= 5; attempt++) {
      await submitLogin(lockable.email, `wrong ${attempt}`);
      await page.getByText(LOGIN_REFUSED).waitFor();
    }
    await submitLogin(lockable.email, lockable.password);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.getByText(LOGIN_REFUSED).waitFor();
    expect(await signedIn()).toBe(false);

    const failures: { reason: string; locked?: boolean }[] = (
      await db.query(`SELECT changes FROM audit_log WHERE admin_user_id = $1 AND action = 'login_failed' ORDER BY at`, [lockable.id])
    ).map((row: { changes: { reason: string; locked?: boolean } }) => row.changes);
    expect(failures.map((failure) => failure.reason)).toEqual([...Array(5).fill('wrong_password'), 'locked']);
    expect(await db.query(`SELECT action FROM audit_log WHERE admin_user_id = $1 AND action = 'login'`, [lockable.id])).toEqual([]);
    const [{ locked }] = await db.query('SELECT locked_until > now() AS locked FROM admin_users WHERE id = $1', [lockable.id]);
    expect(locked).toBe(true);
    // The failure that locked the account says so.
    expect(failures[4].locked).toBe(true);
  });

  it('made no request outside this machine (the Google font link is stripped)', () => {
    expect(browser.requests.length).toBeGreaterThan(0);
    expect(outsideRequests(browser.requests)).toEqual([]);
  });
});
