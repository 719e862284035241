// Rate limits through the real app (in memory, with a clock the test moves): the RateLimit
// fields on allowed and refused answers, the 429 problem, the token endpoint, overrides.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const sqlite = databaseKinds().find((k) => k.name === 'sqlite')!;
const PROBLEM = 'application/problem+json; charset=utf-8';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

for (const algorithm of ['sliding', 'fixed'] as const) {
  describe(`rate limits over HTTP (${algorithm}, in memory)`, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = Date.now();
    /** Moves the clock to half a second into the next minute: every test starts on fresh windows. */
    const nextMinute = () => (now = (Math.floor(now / 60_000) + 1) * 60_000 + 500);

    before(async () => {
      db = await sqlite.create();
      app = await startTestApp(db, { clock: () => now, env: { PAYRAIL_RATE_LIMIT_ALGORITHM: algorithm } });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const limited = async () => {
      nextMinute();
      return app.authed({ unlimited: false });
    };
    const listPayments = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v1/payments', headers });

    it('allowed answers carry RateLimit-Policy and RateLimit for every window of the policy', async () => {
      const { headers } = await limited();
      const first = await listPayments(headers);
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers['ratelimit-policy'], '"payment-enquiry-minute";q=90;w=60, "payment-enquiry-second";q=2;w=1');
      assert.equal(first.headers['ratelimit'], '"payment-enquiry-minute";r=89;t=60, "payment-enquiry-second";r=1;t=1');
      const second = await listPayments(headers);
      assert.equal(second.statusCode, 200);
      assert.equal(second.headers['ratelimit'], '"payment-enquiry-minute";r=88;t=60, "payment-enquiry-second";r=0;t=1');
      assert.equal(second.headers['retry-after'], undefined);
    });

    it('over the limit: 429 RATE_LIMITED naming the policy and window, Retry-After, and the fields', async () => {
      const { headers } = await limited();
      await listPayments(headers);
      await listPayments(headers);
      const refused = await listPayments(headers);
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.headers['content-type'], PROBLEM);
      const body = refused.json();
      assert.equal(body.code, 'RATE_LIMITED');
      assert.equal(body.status, 429);
      assert.match(body.detail, /'payment-enquiry' policy/);
      assert.match(body.detail, /'payment-enquiry-second' \(2 per second\)/);
      assert.doesNotMatch(body.detail, /payment-enquiry-minute/);
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(refused.headers['ratelimit-policy'], '"payment-enquiry-minute";q=90;w=60, "payment-enquiry-second";q=2;w=1');
      // The refused request consumed nothing: the minute still has 88 left.
      assert.equal(refused.headers['ratelimit'], '"payment-enquiry-minute";r=88;t=60, "payment-enquiry-second";r=0;t=1');
      now += 1000;
      assert.equal((await listPayments(headers)).statusCode, 200, 'allowed again after Retry-After');
    });

    it('a 2-per-second client gets exactly 2 of 3 simultaneous requests', async () => {
      const { headers } = await limited();
      const answers = await Promise.all([listPayments(headers), listPayments(headers), listPayments(headers)]);
      assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 200, 429]);
    });

    it('per-second and per-minute windows together: a client allowed 3 a minute is stopped by the minute', async () => {
      const { clientId, headers } = await limited();
      await app.payrail.services.clients.setRateLimits(clientId, { rateLimits: { 'payment-enquiry': { minute: 3 } } });
      assert.equal((await listPayments(headers)).statusCode, 200);
      assert.equal((await listPayments(headers)).statusCode, 200);
      const bySecond = await listPayments(headers);
      assert.equal(bySecond.statusCode, 429);
      assert.match(bySecond.json().detail, /'payment-enquiry-second'/);
      now += 2000;
      const last = await listPayments(headers);
      assert.equal(last.statusCode, 200);
      assert.equal(last.headers['ratelimit-policy'], '"payment-enquiry-minute";q=3;w=60, "payment-enquiry-second";q=2;w=1');
      assert.match(String(last.headers['ratelimit']), /^"payment-enquiry-minute";r=0;t=58, "payment-enquiry-second";r=1;t=1$/);
      const byMinute = await listPayments(headers);
      assert.equal(byMinute.statusCode, 429);
      assert.match(byMinute.json().detail, /'payment-enquiry-minute' \(3 per minute\)/);
      assert.equal(byMinute.headers['retry-after'], algorithm === 'fixed' ? '58' : '78');
    });

    it('setting up (accounts, webhook endpoints) is counted under `management`, never the budget for payments', async () => {
      const { headers } = await limited();
      const account = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers,
        payload: { name: 'Ops', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
      });
      assert.equal(account.statusCode, 201, account.body);
      assert.equal(account.headers['ratelimit-policy'], '"management-minute";q=120;w=60, "management-second";q=10;w=1');
      const endpoint = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, payload: { url: 'http://127.0.0.1:9/hook' } });
      assert.equal(endpoint.statusCode, 201, endpoint.body);
      assert.match(String(endpoint.headers['ratelimit']), /^"management-minute";r=118;t=\d+, "management-second";r=8;t=1$/);
      assert.match(String((await app.inject({ method: 'GET', url: '/v1/accounts', headers })).headers['ratelimit-policy']), /^"management-minute"/);
      // In the same second, a payment still has the whole `payments` budget: 2 per second.
      const pay = () =>
        app.inject({
          method: 'POST',
          url: '/v1/payments',
          headers,
          payload: {
            type: 'FAST',
            paymentDate: todayIn('Asia/Singapore', now),
            senderAccountId: account.json().id,
            currency: 'SGD',
            amount: 100,
            receiver: { name: 'Bob', bank: 'OCBCSGSGXXX', bankAccountNumber: '1234567' },
          },
        });
      const first = await pay();
      assert.equal(first.statusCode, 202, first.body);
      assert.equal(first.headers['ratelimit'], '"payments-minute";r=29;t=60, "payments-second";r=1;t=1');
      assert.equal((await pay()).statusCode, 202);
      assert.equal((await pay()).statusCode, 429, 'the third payment in the second is over `payments`');
    });

    it('unlimited clients are not limited and get no RateLimit fields', async () => {
      nextMinute();
      const { headers } = await app.authed({ unlimited: true });
      for (let i = 0; i < 5; i++) {
        const res = await listPayments(headers);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['ratelimit'], undefined);
      }
    });

    it('requests that fail authentication consume nothing', async () => {
      const { headers } = await limited();
      for (let i = 0; i < 5; i++) assert.equal((await listPayments({ authorization: 'Bearer nope' })).statusCode, 401);
      assert.equal((await listPayments(headers)).statusCode, 200);
    });

    describe('the token endpoint (`authorisation`: 10 per hour, 2 per second)', () => {
      const token = (headers: Record<string, string>, payload: object = { grant_type: 'client_credentials' }) =>
        app.inject({ method: 'POST', url: '/v1.0/auth', headers, payload });

      it('counts the presented client: the third request in a second is a 429 problem', async () => {
        nextMinute();
        const c = await app.createClient({ unlimited: false });
        const auth = { authorization: basic(c.clientId, c.secret) };
        const first = await token(auth);
        assert.equal(first.statusCode, 200);
        assert.match(String(first.headers['ratelimit-policy']), /^"authorisation-hour";q=10;w=3600, "authorisation-second";q=2;w=1$/);
        assert.match(String(first.headers['ratelimit']), /^"authorisation-hour";r=9;t=\d+, "authorisation-second";r=1;t=1$/);
        assert.equal((await token(auth)).statusCode, 200);
        // client_secret_post names the same client: same budget.
        const refused = await token({}, { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret });
        assert.equal(refused.statusCode, 429);
        // RFC 6749 defines no error for this: it is a problem, like every other 429.
        assert.equal(refused.headers['content-type'], PROBLEM);
        assert.equal(refused.json().code, 'RATE_LIMITED');
        assert.match(refused.json().detail, /'authorisation-second'/);
        assert.equal(refused.headers['retry-after'], '1');
      });

      it('10 per hour: the eleventh token request in an hour is refused', async () => {
        nextMinute();
        const c = await app.createClient({ unlimited: false });
        const auth = { authorization: basic(c.clientId, c.secret) };
        for (let i = 0; i < 10; i++) {
          assert.equal((await token(auth)).statusCode, 200, `request ${i + 1}`);
          now += 1000;
        }
        const refused = await token(auth);
        assert.equal(refused.statusCode, 429);
        assert.match(refused.json().detail, /'authorisation-hour' \(10 per hour\)/);
        // Fixed: the next hour. Sliding: 10 requests weigh 10 x (1 − elapsed/hour) in the next hour,
        // so one more fits 6 minutes into it.
        const hourEnd = (Math.floor(now / 3_600_000) + 1) * 3_600_000;
        const expected = algorithm === 'fixed' ? hourEnd - now : hourEnd + 360_000 - now;
        assert.equal(refused.headers['retry-after'], String(Math.ceil(expected / 1000)));
      });

      it("wrong secrets do not spend the client's budget (failures are limited apart: auth-failures.test.ts)", async () => {
        nextMinute();
        const c = await app.createClient({ unlimited: false });
        for (let i = 0; i < 12; i++) {
          assert.equal((await token({ authorization: basic(c.clientId, 'wrong') })).statusCode, 401);
          now += 1000;
        }
        const ok = await token({ authorization: basic(c.clientId, c.secret) });
        assert.equal(ok.statusCode, 200);
        assert.match(String(ok.headers['ratelimit']), /^"authorisation-hour";r=9;/);
      });
    });
  });
}
