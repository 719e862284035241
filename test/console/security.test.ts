// The console's guards in a real browser (SPEC §11), on SQLite (sign-in.test.ts runs the core flow
// on PostgreSQL too): wrong TOTP, lockout after 10 failures (unknown emails alike), CSRF refusal,
// idle expiry on the injectable clock, sign-out ending the session server-side, a viewer kept out
// of admin pages, the security headers, and the admin pages (users, audit log, approval policy)
// with axe-core and a screenshot each. Also the admin's two /v1 operations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { checkAccessibility, consoleSession, currentTotp, launchBrowser, screenshot, signIn } from '../helpers/console.ts';
import type { ConsoleSession, TestBrowser } from '../helpers/console.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';

const [sqlite] = databaseKinds();
const MINUTE = 60_000;

describe('console security (sqlite)', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: TestBrowser;
  let base: string;
  let now = Date.parse('2026-12-07T09:00:00Z');
  let clientId: string;
  let otherClientId: string;
  let admin: ConsoleSession;
  const contexts: BrowserContext[] = [];

  before(async () => {
    db = await sqlite!.create();
    const port = await freePort();
    app = await startTestApp(db, { env: { PORT: String(port) }, clock: () => now });
    await app.payrail.listen();
    base = `http://127.0.0.1:${port}`;
    browser = await launchBrowser();
    clientId = (await app.createClient()).clientId;
    otherClientId = (await app.createClient()).clientId;
    admin = await consoleSession(app.payrail, { role: 'admin', clientIds: [clientId] });
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  /** A page whose context carries `session`'s cookie (or none). */
  async function pageAs(session?: ConsoleSession): Promise<Page> {
    const { context, page } = await browser.newPage();
    contexts.push(context);
    if (session) {
      const [name, value] = session.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/console', httpOnly: true, sameSite: 'Strict' }]);
    }
    return page;
  }

  it('a wrong TOTP code is refused, a right one signs in; the code cannot be used twice', async () => {
    const approver = await consoleSession(app.payrail, { role: 'approver', clientIds: [clientId] });
    const page = await pageAs();
    await signIn(page, base, { email: approver.user.email, password: approver.password, code: '000000' });
    assert.match((await page.textContent('#form-error')) ?? '', /email, password or authenticator code is not right/);
    await signIn(page, base, { email: approver.user.email, password: approver.password });
    assert.match((await page.textContent('#form-error')) ?? '', /not right/, 'no code at all is refused too');
    const code = await currentTotp(approver, now);
    await signIn(page, base, { email: approver.user.email, password: approver.password, code });
    assert.equal(new URL(page.url()).pathname, '/console', 'signed in');
    const other = await pageAs();
    await signIn(other, base, { email: approver.user.email, password: approver.password, code });
    assert.match((await other.textContent('#form-error')) ?? '', /not right/, 'the same code a second time is refused');
  });

  /** A sign-in through the form's POST without a browser (its pre-session CSRF cookie and field). */
  async function postSignIn(email: string, password: string): Promise<number> {
    const pre = 'p'.repeat(43);
    const res = await app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { cookie: `payrail_csrf=${pre}` },
      payload: { _csrf: pre, email, password },
    });
    return res.statusCode;
  }

  it('ten failed sign-ins lock the account for 15 minutes, unknown emails alike', async () => {
    const maker = await consoleSession(app.payrail, { role: 'maker', clientIds: [clientId] });
    // Nine failures without the browser (the same form POST), the tenth in it.
    for (let i = 1; i <= 9; i++) assert.equal(await postSignIn(maker.user.email, `wrong password ${i}`), 401, `failure ${i} is not yet a lock`);
    const page = await pageAs();
    await signIn(page, base, { email: maker.user.email, password: 'wrong password 10' });
    assert.match((await page.textContent('#form-error')) ?? '', /locked for 15 minutes/, 'the tenth failure locks');
    await signIn(page, base, { email: maker.user.email, password: maker.password });
    assert.match((await page.textContent('#form-error')) ?? '', /locked/, 'locked even with the right password');
    await screenshot(page, 'sign-in-locked');
    // An email without an account answers the same way.
    for (let i = 1; i <= 9; i++) assert.equal(await postSignIn('nobody@example.com', `guess ${i}`), 401);
    await signIn(page, base, { email: 'nobody@example.com', password: 'guess 10' });
    assert.match((await page.textContent('#form-error')) ?? '', /locked for 15 minutes/, 'unknown emails lock alike');
    now += 15 * MINUTE + 1000;
    await signIn(page, base, { email: maker.user.email, password: maker.password });
    assert.equal(new URL(page.url()).pathname, '/console', 'after 15 minutes the right password works');
    const failures = await app.payrail.services.audit.list({ objectId: maker.user.id, action: 'console.sign_in_failed', limit: 100 });
    assert.equal(failures.data.length, 11, 'every failure is audited');
    assert.equal(failures.data[0]!.sourceAddress, '127.0.0.1', 'with its source address');
  });

  it('a POST without the CSRF token, or with another session’s, is refused with the 403 page and changes nothing', async () => {
    const page = await pageAs(admin);
    const other = await consoleSession(app.payrail, { role: 'admin', clientIds: [clientId] });
    const before = (await app.payrail.services.consoleUsers.list()).length;
    const form = { email: 'csrf-victim@example.com', role: 'maker', clients: clientId };
    const none = await page.request.post(`${base}/console/users`, { form });
    assert.equal(none.status(), 403, 'no token');
    assert.match(await none.text(), /did not come from this console/);
    const foreign = await page.request.post(`${base}/console/users`, { form: { ...form, _csrf: other.csrfToken } });
    assert.equal(foreign.status(), 403, "another session's token");
    const header = await page.request.post(`${base}/console/users`, { form, headers: { 'x-csrf-token': other.csrfToken } });
    assert.equal(header.status(), 403, "another session's token in the header");
    assert.equal((await app.payrail.services.consoleUsers.list()).length, before, 'no user was created');
    const signedOut = await (await pageAs()).request.post(`${base}/console/sign-in`, { form: { email: admin.user.email, password: admin.password } });
    assert.equal(signedOut.status(), 403, 'the sign-in form needs its token too');
    const own = await page.request.post(`${base}/console/users`, { form: { ...form, _csrf: admin.csrfToken } });
    assert.equal(own.status(), 200, 'with its own token it works');
  });

  it('a session idle for 30 minutes ends; activity keeps it alive', async () => {
    const viewer = await consoleSession(app.payrail, { role: 'viewer', clientIds: [clientId] });
    const page = await pageAs(admin);
    const adminPage = await page.goto(`${base}/console/users`);
    assert.equal(adminPage?.status(), 200);
    const viewerPage = await pageAs(viewer);
    now += 29 * MINUTE;
    assert.equal((await page.goto(`${base}/console/users`))?.status(), 200, 'active within 30 minutes');
    now += 29 * MINUTE;
    assert.equal((await page.goto(`${base}/console/users`))?.status(), 200, 'each request restarts the idle clock');
    await viewerPage.goto(`${base}/console/users`);
    assert.equal(new URL(viewerPage.url()).pathname, '/console/sign-in', 'the idle session sends to sign-in');
    assert.equal(new URL(viewerPage.url()).searchParams.get('next'), '/console/users', 'and back afterwards');
    const rows = await app.payrail.database.db.selectFrom('console_sessions').select('id').where('user_id', '=', viewer.user.id).execute();
    assert.equal(rows.length, 0, 'the expired session is deleted');
  });

  it('sign-out ends the session on the server: the old cookie signs nobody in', async () => {
    const maker = await consoleSession(app.payrail, { role: 'maker', clientIds: [clientId] });
    const page = await pageAs(maker);
    await page.goto(`${base}/console/sign-in`);
    assert.equal(new URL(page.url()).pathname, '/console', 'signed in: sign-in sends on');
    await page.goto(`${base}/console/approval-policy`); // a page with the frame (403 for a maker, with the nav)
    await Promise.all([page.waitForURL(/sign-in/), page.click('text=Sign out')]);
    assert.match((await page.textContent('main')) ?? '', /You are signed out/);
    const replay = await (await pageAs(maker)).goto(`${base}/console/users`);
    assert.equal(new URL(replay!.url()).pathname, '/console/sign-in', 'the old cookie is refused');
  });

  it('a viewer sees no admin entry and gets the 403 page on admin pages', async () => {
    const viewer = await consoleSession(app.payrail, { role: 'viewer', clientIds: [clientId] });
    const page = await pageAs(viewer);
    for (const path of ['/console/users', '/console/audit-log', '/console/approval-policy']) {
      const res = await page.goto(`${base}${path}`);
      assert.equal(res?.status(), 403, path);
    }
    assert.equal(await page.locator('nav a', { hasText: 'Users' }).count(), 0, 'no Users link for a viewer');
    await checkAccessibility(page);
    await screenshot(page, 'forbidden');
  });

  it('every console response has the CSP; assets are cached for a year under a content hash', async () => {
    const page = await pageAs(admin);
    const res = await page.goto(`${base}/console/users`);
    const headers = res!.headers();
    assert.equal(
      headers['content-security-policy'],
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    assert.equal(headers['cache-control'], 'no-store');
    const css = await page.getAttribute('link[rel=stylesheet]', 'href');
    assert.match(css ?? '', /^\/console\/assets\/[0-9a-f]{12}\/console\.css$/);
    const asset = await page.request.get(`${base}${css}`);
    assert.equal(asset.headers()['cache-control'], 'public, max-age=31536000, immutable');
    const htmx = await page.getAttribute('script[src*=htmx]', 'src');
    assert.equal((await page.request.get(`${base}${htmx}`)).status(), 200, 'htmx is served');
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.reload();
    assert.deepEqual(errors, [], 'no CSP violation or script error on the page');
  });

  it('admin pages: users (create → set-up link, disable, reset), audit log with filters, approval policy', async () => {
    const page = await pageAs(admin);
    await page.goto(`${base}/console/users`);
    const roles = await page.$$eval('#role option', (options) => options.map((o) => o.getAttribute('value')));
    assert.deepEqual(roles, ['viewer', 'maker'], 'approvers and admins are set up with the CLI (maker-checker.test.ts)');
    await page.fill('#email', 'new.maker@example.com');
    await page.selectOption('#role', 'maker');
    await page.click('button:has-text("Create user")');
    const link = (await page.textContent('#setup-link')) ?? '';
    assert.match(link, /^http:\/\/payrail\.test\/console\/setup\/[A-Za-z0-9_-]{43}$/, 'the set-up link is shown');
    await checkAccessibility(page);
    await screenshot(page, 'users');
    const created = (await app.payrail.services.consoleUsers.list()).find((u) => u.email === 'new.maker@example.com')!;
    assert.deepEqual(created.clients, [clientId]);
    await page.click(`button[aria-label="Disable new.maker@example.com"]`);
    assert.equal((await app.payrail.services.consoleUsers.get(created.id))?.status, 'disabled');
    await page.click(`button[aria-label="Reset new.maker@example.com"]`);
    assert.notEqual((await page.textContent('#setup-link')) ?? '', link, 'reset gives a new link');
    assert.equal((await app.payrail.services.consoleUsers.get(created.id))?.status, 'pending');

    // A user of another client is not listed and cannot be disabled.
    const stranger = await consoleSession(app.payrail, { role: 'maker', clientIds: [otherClientId] });
    assert.equal(await page.locator(`text=${stranger.user.email}`).count(), 0, "another client's user is not listed");
    const res = await page.request.post(`${base}/console/users/${stranger.user.id}/disable`, { form: { _csrf: admin.csrfToken } });
    assert.equal(res.status(), 404);
    assert.equal((await app.payrail.services.consoleUsers.get(stranger.user.id))?.status, 'active');

    await page.goto(`${base}/console/approval-policy`);
    await page.fill('#above', '100000');
    await page.selectOption('#approvers', '2');
    await page.click('button:has-text("Save policy")');
    assert.match((await page.textContent('main')) ?? '', /The policy is saved/);
    await checkAccessibility(page);
    await screenshot(page, 'approval-policy');
    const [policy] = await app.payrail.services.approvalPolicies.list(clientId);
    assert.equal(policy?.above, 100000);
    assert.equal(policy?.approvers, 2);

    await page.goto(`${base}/console/audit-log?action=console_user.disable`);
    const rows = await page.locator('tbody tr').count();
    assert.equal(rows, 1, 'filtered by action: one disable');
    assert.match((await page.textContent('tbody')) ?? '', new RegExp(created.id));
    await page.goto(`${base}/console/audit-log`);
    const all = (await page.textContent('tbody')) ?? '';
    assert.match(all, /approval_policy\.set/);
    assert.doesNotMatch(all, new RegExp(stranger.user.id), "entries about another client's user are not shown");
    await checkAccessibility(page);
    await screenshot(page, 'audit-log');
  });

  it('PUT /v1/approval-policy and GET /v1/audit-log take an admin’s session (and X-CSRF-Token on PUT)', async () => {
    const viewer = await consoleSession(app.payrail, { role: 'viewer', clientIds: [clientId] });
    const body = { clientId, above: 5000, approvers: 1 };
    const put = (headers: Record<string, string>, payload: object = body) => app.inject({ method: 'PUT', url: '/v1/approval-policy', headers, payload });
    assert.equal((await put({})).statusCode, 401, 'no session');
    assert.equal((await put({ cookie: viewer.cookie, 'x-csrf-token': viewer.csrfToken })).json().code, 'FORBIDDEN', 'a viewer');
    assert.equal((await put({ cookie: admin.cookie })).json().code, 'FORBIDDEN', 'no CSRF token');
    const { token } = await app.authed({ scopes: ['payments:approve'] });
    assert.equal((await put({ authorization: `Bearer ${token}` })).statusCode, 401, 'an API client cannot');
    assert.equal(
      (await put({ cookie: admin.cookie, 'x-csrf-token': admin.csrfToken }, { ...body, clientId: otherClientId })).statusCode,
      404,
      'another client',
    );
    const bad = await put({ cookie: admin.cookie, 'x-csrf-token': admin.csrfToken }, { ...body, approvers: 3 });
    assert.equal(bad.statusCode, 400, bad.body);
    const ok = await put({ cookie: admin.cookie, 'x-csrf-token': admin.csrfToken });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().above, 5000);
    const log = await app.inject({ method: 'GET', url: '/v1/audit-log?action=approval_policy.set&limit=1', headers: { cookie: admin.cookie } });
    assert.equal(log.statusCode, 200, log.body);
    const entry = log.json().data[0];
    assert.deepEqual(entry.actor, { kind: 'user', id: admin.user.id });
    assert.equal(entry.details.above, 5000);
    assert.equal(log.json().hasMore, true, 'paginated');
    assert.equal((await app.inject({ method: 'GET', url: '/v1/audit-log', headers: { cookie: viewer.cookie } })).statusCode, 403);
  });
});
