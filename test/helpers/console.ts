// Console users and sessions for tests, and Chromium (playwright-core driving Debian's
// /usr/bin/chromium): one browser per test file, a fresh profile each, axe-core on a page, and
// screenshots under test-results/console/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Payrail } from '../../src/app.ts';
import { totpCode } from '../../src/console/auth/totp.ts';
import type { ConsoleRole, ConsoleUser } from '../../src/console/user.ts';

export interface ConsoleSession {
  user: ConsoleUser;
  /** `Cookie` header value of a signed-in session (TOTP already passed). */
  cookie: string;
  csrfToken: string;
  /** The password the user signs in with (the real form, signIn()). */
  password: string;
  /** The user's TOTP secret (approvers and admins), for totpCode(). */
  totpSecret?: string;
}

export const TEST_PASSWORD = 'correct horse battery staple 7';
// A fixed TOTP secret (base32, 20 bytes) so tests can compute codes.
const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** A user with `role` on `clientIds`, signed in (created directly through the users service). */
export async function consoleSession(
  payrail: Payrail,
  o: { role: ConsoleRole; clientIds: string[]; email?: string; password?: string },
): Promise<ConsoleSession> {
  const users = payrail.services.consoleUsers;
  const email = o.email ?? `${o.role}-${randomBytes(4).toString('hex')}@example.com`;
  const password = o.password ?? TEST_PASSWORD;
  const { user } = await users.create({ email, role: o.role, clientIds: o.clientIds }, { kind: 'system', id: 'test' });
  const totpSecret = o.role === 'approver' || o.role === 'admin' ? TEST_TOTP_SECRET : undefined;
  await users.activate(user.id, { password, totpSecret });
  const { token, csrfToken } = await users.startSession(user.id);
  return {
    user: { id: user.id, email, role: o.role, clientIds: user.clients },
    cookie: `payrail_session=${token}`,
    csrfToken,
    password,
    ...(totpSecret && { totpSecret }),
  };
}

/** The current TOTP code of a test user (by the payrail's clock, `nowMs`). */
export function currentTotp(session: Pick<ConsoleSession, 'totpSecret'>, nowMs: number = Date.now()): Promise<string> {
  if (!session.totpSecret) throw new Error('this user has no TOTP secret');
  return totpCode(session.totpSecret, nowMs);
}

export interface TestBrowser {
  browser: Browser;
  /** A new context (its own cookies) and page. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** Chromium for one test file: launch in before(), close in after(). */
export async function launchBrowser(): Promise<TestBrowser> {
  // A fresh user-data-dir: playwright gives every launch a new temporary profile (and refuses a
  // --user-data-dir argument), deleted when the browser closes.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async newPage() {
      const context = await browser.newContext();
      return { context, page: await context.newPage() };
    },
    async close() {
      await browser.close();
    },
  };
}

/** Signs in through the real form at `baseUrl`/console/sign-in; resolves once the next page loaded. */
export async function signIn(page: Page, baseUrl: string, o: { email: string; password: string; code?: string }): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.fill('#email', o.email);
  await page.fill('#password', o.password);
  if (o.code !== undefined) await page.fill('#code', o.code);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}

const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page; throws listing every serious or critical violation. */
export async function checkAccessibility(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) does not apply.
  await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  })) as AxeViolation[];
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const list = bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`).join('\n');
    throw new Error(`accessibility violations on ${page.url()}:\n${list}`);
  }
}

/** Saves a full-page screenshot to test-results/console/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(process.cwd(), 'test-results', 'console');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
