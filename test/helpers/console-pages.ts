// The console pages' tests (test/console/pages-*.test.ts): a listening payrail with a clock the
// test moves, a browser page signed in as a new user, the upload form driven, and two payroll files.
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp } from './app.ts';
import type { TestApp } from './app.ts';
import { consoleSession } from './console.ts';
import type { ConsoleSession, TestBrowser } from './console.ts';
import type { TestDatabase } from './databases.ts';
import { freePort } from './ports.ts';
import { NOW } from '../rails/builders.ts';
import type { ConsoleRole } from '../../src/console/user.ts';

/** The sandbox bank's delay between acknowledgements: a test steps the clock by it. */
export const ACK_DELAY_MS = 1000;

export const BAD_CSV = [
  'name,bank,accountNumber,amount,reference',
  'Ann Lee,OCBCSGSGXXX,123456789,1500.00,SAL-1',
  'Bob Tan,OCBCSGSGXXX,123456789,12.345,SAL-2',
  ',OCBCSGSGXXX,123456789,10.00,SAL-3',
  'Cy Ong,NOTABIC,123456789,10.00,SAL-4',
].join('\n');

export const GOOD_CSV = [
  'name,bank,accountNumber,amount,reference',
  'Ann Lee,OCBCSGSGXXX,123456789,1500.00,PAY-1',
  'Bob Tan,OCBCSGSGXXX,987654321,2.50,PAY-2',
].join('\n');

/** A payrail listening on a free port, with a clock the test moves, for browser tests. */
export async function startConsoleApp(db: TestDatabase): Promise<{ app: TestApp; base: string; clock: { now: number } }> {
  // A fixed time, 10:00 in Singapore on a Tuesday: payment dates and "today" do not depend on when the test runs.
  const clock = { now: NOW };
  const port = await freePort();
  const app = await startTestApp(db, { clock: () => clock.now, env: { PORT: String(port), PAYRAIL_SANDBOX_ACK_DELAY_MS: String(ACK_DELAY_MS) } });
  await app.payrail.listen();
  return { app, base: `http://127.0.0.1:${port}`, clock };
}

/** A browser page signed in as a new user (the session's cookie set directly: sign-in is console-core's test). */
export async function pageAs(
  browser: TestBrowser,
  app: TestApp,
  base: string,
  role: ConsoleRole,
  clientIds: string[],
): Promise<{ session: ConsoleSession; page: Page; context: BrowserContext }> {
  const session = await consoleSession(app.payrail, { role, clientIds });
  const { context, page } = await browser.newPage();
  const [name, value] = session.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: `${base}/console`, httpOnly: true, sameSite: 'Strict' }]);
  return { session, page, context };
}

/** Chooses the upload's settings and file, checks it; resolves once the preview is shown. */
export async function checkFile(page: Page, accountId: string, name: string, content: string): Promise<void> {
  await checkUpload(page, accountId, { name, mimeType: 'text/csv', buffer: Buffer.from(content) });
}

/** checkFile with the file given as Playwright takes it: its content, or its path on disk (a large file written at run time). */
export async function checkUpload(page: Page, accountId: string, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.selectOption('#account', accountId);
  await page.selectOption('#type', 'FAST');
  await page.selectOption('#currency', 'SGD');
  await page.setInputFiles('#file', file);
  await page.click('#upload-form button[type=submit]');
  await page.waitForSelector('#preview .message');
}

/** Creates the checked batch(es); the ids of the batches created, once the progress is done. */
export async function createChecked(page: Page): Promise<string[]> {
  await page.click('#submit-form button');
  await page.waitForSelector('#progress[data-state="done"]');
  return page.$$eval('#progress a', (links) => links.map((a) => a.textContent ?? ''));
}
