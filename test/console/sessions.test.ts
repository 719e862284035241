// Sessions and secrets at rest, without a browser (SQLite): the cookie's attributes (Secure behind
// https), only the token's SHA-256 stored, a new session at every sign-in, and the TOTP secret
// sealed with PAYRAIL_MASTER_KEY.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { consoleSession, currentTotp } from '../helpers/console.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

const [sqlite] = databaseKinds();
const PRE = 'p'.repeat(43);

describe('console sessions at rest (sqlite)', () => {
  let db: TestDatabase;
  let app: TestApp;
  let clientId: string;
  before(async () => {
    db = await sqlite!.create();
    app = await startTestApp(db, { env: { PAYRAIL_PUBLIC_URL: 'https://pay.example.com', PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64') } });
    clientId = (await app.createClient()).clientId;
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  const signIn = (email: string, password: string, cookie = `payrail_csrf=${PRE}`, csrf = PRE) =>
    app.inject({ method: 'POST', url: '/console/sign-in', headers: { cookie }, payload: { _csrf: csrf, email, password } });

  it('behind https the cookie is Secure; the database keeps only the SHA-256 of its token; each sign-in is a new session', async () => {
    const maker = await consoleSession(app.payrail, { role: 'maker', clientIds: [clientId] });
    const res = await signIn(maker.user.email, maker.password);
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]).find((c) => c.startsWith('payrail_session='))!;
    assert.match(setCookie, /^payrail_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/, setCookie);
    const token = setCookie.split(';')[0]!.split('=')[1]!;
    const rows = await app.payrail.database.db.selectFrom('console_sessions').selectAll().where('user_id', '=', maker.user.id).execute();
    const hash = createHash('sha256').update(token).digest('hex');
    assert.ok(
      rows.some((r) => r.id === hash),
      'the session is stored under the hash',
    );
    assert.ok(!JSON.stringify(rows).includes(token), 'the token itself is nowhere in the table');

    // Signing in again with that cookie (and, signed in, its session's CSRF token): a new token,
    // and the old session is gone.
    const csrf = rows.find((r) => r.id === hash)!.csrf_token;
    const again = await signIn(maker.user.email, maker.password, `payrail_session=${token}`, csrf);
    assert.equal(again.statusCode, 303);
    const after = await app.payrail.database.db.selectFrom('console_sessions').select('id').where('id', '=', hash).execute();
    assert.equal(after.length, 0, 'the old session ended');
  });

  it('the TOTP secret is sealed with PAYRAIL_MASTER_KEY; the password is an Argon2id hash', async () => {
    const approver = await consoleSession(app.payrail, { role: 'approver', clientIds: [clientId] });
    const row = await app.payrail.database.db.selectFrom('console_users').selectAll().where('id', '=', approver.user.id).executeTakeFirstOrThrow();
    assert.match(row.totp_secret ?? '', /^aes-256-gcm\$v1\$/, 'sealed');
    assert.ok(!(row.totp_secret ?? '').includes(approver.totpSecret!), 'not in clear');
    assert.match(row.password_hash ?? '', /^\$argon2id\$/, 'Argon2id');
  });

  // Review finding: each sign-in read the failure count, then wrote it back plus one, so wrong
  // passwords sent at the same moment counted once; and one TOTP code could open two sessions.
  it('wrong passwords sent at the same moment each count: ten lock the account', async () => {
    const maker = await consoleSession(app.payrail, { role: 'maker', clientIds: [clientId] });
    const users = app.payrail.services.consoleUsers;
    const tries = Array.from({ length: 10 }, (_, i) =>
      users.signIn({ email: maker.user.email, password: `wrong password ${i}`, code: '', sourceAddress: null }),
    );
    const results = await Promise.all(tries);
    assert.ok(
      results.some((r) => !r.ok && r.reason === 'locked'),
      `the tenth concurrent failure locks: ${JSON.stringify(results.map((r) => (r.ok ? 'ok' : r.reason)))}`,
    );
    const right = await users.signIn({ email: maker.user.email, password: maker.password, code: '', sourceAddress: null });
    assert.equal(right.ok, false, 'locked: even the right password is refused');
  });

  it('one TOTP code sent twice at the same moment opens one session', async () => {
    const approver = await consoleSession(app.payrail, { role: 'approver', clientIds: [clientId] });
    const users = app.payrail.services.consoleUsers;
    const code = await currentTotp(approver);
    const both = await Promise.all([0, 1].map(() => users.signIn({ email: approver.user.email, password: approver.password, code, sourceAddress: null })));
    assert.equal(both.filter((r) => r.ok).length, 1, `one of the two sign-ins passes: ${JSON.stringify(both.map((r) => (r.ok ? 'ok' : r.reason)))}`);
  });
});
