// The console's front door in a real browser (SPEC §11): a set-up link → password → TOTP
// enrolment → sign-in with TOTP, on SQLite and PostgreSQL. The rest (lockout, CSRF, idle expiry,
// roles) runs on SQLite in ./security.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { checkAccessibility, launchBrowser, screenshot } from '../helpers/console.ts';
import type { TestBrowser } from '../helpers/console.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';
import { totpCode } from '../../src/console/auth/totp.ts';

let browser: TestBrowser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const kind of databaseKinds()) {
  describe(`console sign-in (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let base: string;
    before(async () => {
      db = await kind.create();
      const port = await freePort();
      app = await startTestApp(db, { env: { PORT: String(port) } });
      await app.payrail.listen();
      base = `http://127.0.0.1:${port}`;
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it('an approver sets up password and TOTP from the one-time link, then signs in with a code', async () => {
      const { clientId } = await app.createClient();
      const users = app.payrail.services.consoleUsers;
      const { user, setupToken } = await users.create({ email: 'Ann@Example.com', role: 'approver', clientIds: [clientId] }, { kind: 'system', id: 'test' });
      const { context, page } = await browser.newPage();
      try {
        await page.goto(`${base}/console/setup/${setupToken}`);
        if (kind.name === 'sqlite') {
          await checkAccessibility(page);
          await screenshot(page, 'setup');
        }
        const secret = (await page.inputValue('input[name=totp_secret]')).trim();
        assert.match(secret, /^[A-Z2-7]{16,}$/, 'the set-up page shows a TOTP secret');
        assert.match((await page.textContent('#totp-uri')) ?? '', /^otpauth:\/\/totp\/payrail:Ann%40Example\.com\?/, 'and its otpauth URI');
        // A common password is refused, with the reason on the page, and nothing is saved.
        await page.fill('#password', 'Password1234');
        await page.fill('#confirm', 'Password1234');
        await page.fill('#code', await totpCode(secret, Date.now()));
        await page.click('button[type=submit]');
        assert.match((await page.textContent('#form-error')) ?? '', /too common/, 'a common password is refused');
        assert.equal(await page.inputValue('input[name=totp_secret]'), secret, 'the same TOTP secret is kept after an error');
        await page.fill('#password', 'a long passphrase of mine');
        await page.fill('#confirm', 'a long passphrase of mine');
        await page.fill('#code', await totpCode(secret, Date.now()));
        await page.click('button[type=submit]');
        await page.waitForSelector('text=Your account is ready');
        assert.equal((await users.get(user.id))?.status, 'active', 'the user is active after set-up');

        // The link works once.
        const reused = await page.goto(`${base}/console/setup/${setupToken}`);
        assert.equal(reused?.status(), 404, 'a used set-up link is refused');

        // Sign in with email (any case), password and a fresh code (the set-up code is used up:
        // the next time step's code, as a real authenticator shows 30 s later).
        await page.goto(`${base}/console/sign-in`);
        if (kind.name === 'sqlite') {
          await checkAccessibility(page);
          await screenshot(page, 'sign-in');
        }
        await page.fill('#email', 'ann@example.com');
        await page.fill('#password', 'a long passphrase of mine');
        await page.fill('#code', await totpCode(secret, Date.now() + 30_000));
        await page.click('button[type=submit]');
        await page.waitForURL(`${base}/console`);
        const cookies = await context.cookies();
        const session = cookies.find((c) => c.name === 'payrail_session');
        assert.ok(session, 'a session cookie is set');
        assert.equal(session.httpOnly, true, 'HttpOnly');
        assert.equal(session.sameSite, 'Strict', 'SameSite=Strict');
        assert.equal(session.path, '/', 'Path=/: the console and the admin operations under /v1');
        // The browser sends it to GET /v1/audit-log (SPEC §11): a session is recognised there (not 401).
        assert.notEqual((await context.request.get(`${base}/v1/audit-log`)).status(), 401);
        const entries = await app.payrail.services.audit.list({ objectId: user.id });
        assert.ok(
          entries.data.some((e) => e.action === 'console.sign_in' && e.sourceAddress === '127.0.0.1'),
          `the sign-in is audited with its address: ${JSON.stringify(entries.data.map((e) => e.action))}`,
        );
      } finally {
        await context.close();
      }
    });
  });
}
