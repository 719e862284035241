// Issue #18 points 4, 5 and 8, by class: text payrail does not accept is a 400 naming its path in
// every input (path ids, filters, bodies, the token endpoint's form, JSON and Basic credentials),
// on both databases; deep JSON is 400 before anything recursive sees it; bodies must be UTF-8.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { createHttpServer } from '../../src/http/server.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

// NUL, C0, DEL and C1 controls (U+0085 NEL, U+009F), lone surrogates, the two non-characters.
const BAD = ['\u0000', '\u0001', '\u001F', '\u007F', '\u0085', '\u009F', '\uD800', '\uDFFF', '\uFFFE', '\uFFFF'];

function assertInvalidCharacters(res: LightMyRequestResponse, path: string) {
  assert.equal(res.statusCode, 400, res.body);
  const body = res.json();
  assert.equal(body.code, 'VALIDATION_FAILED', res.body);
  assert.ok(
    body.errors.some((e: { path: string; code: string }) => e.path === path && e.code === 'INVALID_CHARACTERS'),
    `${path} in ${res.body}`,
  );
}

for (const kind of databaseKinds()) {
  describe(`text payrail does not accept is a 400 naming the path, everywhere (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let sg: string;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW });
      alice = await app.authed();
      sg = await app.createAccount(alice.headers);
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const payment = (changes: Record<string, unknown> = {}, receiver: Record<string, unknown> = {}) => ({
      type: 'FAST',
      amount: 100,
      currency: 'SGD',
      senderAccountId: sg,
      receiver: { name: 'Tan', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789', ...receiver },
      ...changes,
    });
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, headers: { ...alice.headers, ...headers }, payload: payload as object });

    for (const bad of BAD) {
      const name = JSON.stringify(bad);
      it(`${name} in a body field: customerReference, senderAccountId, account name, webhook URL, a batch's proxy`, async () => {
        assertInvalidCharacters(await post('/v1/payments', payment({ customerReference: `R${bad}` })), 'customerReference');
        assertInvalidCharacters(await post('/v1/payments', payment({ senderAccountId: `${sg}${bad}` })), 'senderAccountId');
        assertInvalidCharacters(await post('/v1/accounts', { name: `Ops${bad}`, bank: 'DBSSSGSGXXX', accountNumber: '1', currencies: ['SGD'] }), 'name');
        assertInvalidCharacters(await post('/v1/webhook-endpoints', { url: `http://127.0.0.1/${bad}` }), 'url');
        const items = [0, 1, 2].map((i) => ({
          amount: 100,
          receiver: { name: 'Chan', proxy: { type: 'EMAIL', value: i === 2 ? `a${bad}b@example.com` : 'a@example.com' } },
        }));
        const hk = (await post('/v1/accounts', { name: 'HK', bank: 'HSBCHKHHXXX', accountNumber: '1', currencies: ['HKD'] })).json().id;
        assertInvalidCharacters(
          await post('/v1/payment-batches', { type: 'FPS', currency: 'HKD', senderAccountId: hk, payments: items }),
          'payments[2].receiver.proxy.value',
        );
        assertInvalidCharacters(
          await post('/payment/hk/v1.0/fps', {
            amount: 100,
            currency: 'HKD',
            senderAccountId: hk,
            receiver: { name: `Chan${bad}`, proxy: { type: 'MOBILE', value: '+85291234567' } },
          }),
          'receiver.name',
        );
      });

      it(`${name} in every path id and list filter`, async () => {
        // A lone surrogate has no UTF-8 form: sent as the bytes a careless encoder would write.
        const esc = /[\uD800-\uDFFF]/.test(bad) ? '%ED%A0%80' : encodeURIComponent(bad);
        for (const url of [
          '/v1/payments/X',
          '/v1/payments/X/events',
          '/v1/payment-batches/X',
          '/v1/accounts/X',
          '/v1/events/X',
          '/v1/webhook-endpoints/X',
          '/v1/webhook-endpoints/X/deliveries',
          '/payment/hk/v1.0/fps/X',
        ]) {
          const res = await app.inject({ method: 'GET', url: url.replace('X', `pymt_${esc}`), headers: alice.headers });
          assert.ok(res.statusCode === 400, `${url}: ${res.statusCode} ${res.body}`);
        }
        for (const [url, filter] of [
          ['/v1/payments', 'customerReference'],
          ['/v1/payments', 'batchId'],
          ['/v1/payments', 'startingAfter'],
          ['/v1/events', 'objectId'],
          ['/v1/payment-batches', 'startingAfter'],
          ['/v1/accounts', 'startingAfter'],
        ] as const) {
          const res = await app.inject({ method: 'GET', url: `${url}?${filter}=a${esc}`, headers: alice.headers });
          // The query-string decoder reads bytes that are not UTF-8 as U+FFFD, which is harmless text.
          if (esc === '%ED%A0%80') assert.ok(res.statusCode < 500, `${url}?${filter}: ${res.body}`);
          else assert.equal(res.statusCode, 400, `${url}?${filter}: ${res.body}`);
        }
      });
    }

    it('a path id with a NUL names its path parameter', async () => {
      assertInvalidCharacters(await app.inject({ method: 'GET', url: '/v1/payments/pymt_%00', headers: alice.headers }), 'id');
      assertInvalidCharacters(await app.inject({ method: 'GET', url: '/v1/payments?customerReference=%00', headers: alice.headers }), 'customerReference');
    });

    it('ids and filters are one line (no tab, CR or LF); so is every text that goes into a bank file', async () => {
      assertInvalidCharacters(await app.inject({ method: 'GET', url: '/v1/payments?customerReference=a%09b', headers: alice.headers }), 'customerReference');
      for (const bad of ['\t', '\n', '\r']) {
        assertInvalidCharacters(await post('/v1/accounts', { name: `Ops${bad}SGD`, bank: 'DBSSSGSGXXX', accountNumber: '1', currencies: ['SGD'] }), 'name');
        assertInvalidCharacters(await post('/v1/payments', payment({ paymentDetails: `two${bad}lines` })), 'paymentDetails');
      }
    });

    describe('the token endpoint answers RFC 6749 invalid_request, unauthenticated', () => {
      const token = (payload: string, headers: Record<string, string>) => app.inject({ method: 'POST', url: '/v1.0/auth', headers, payload });
      const assertInvalidRequest = (res: LightMyRequestResponse) => {
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().error, 'invalid_request', res.body);
        assert.match(res.json().error_description, /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
      };
      it('client_id=%00 in a form', async () =>
        assertInvalidRequest(
          await token('grant_type=client_credentials&client_id=%00&client_secret=x', { 'content-type': 'application/x-www-form-urlencoded' }),
        ));
      it('a NUL client_id in JSON', async () =>
        assertInvalidRequest(
          await token(JSON.stringify({ grant_type: 'client_credentials', client_id: '\u0000', client_secret: 'x' }), { 'content-type': 'application/json' }),
        ));
      it('a NUL client id in Basic credentials', async () =>
        assertInvalidRequest(
          await token('grant_type=client_credentials', {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from('%00:secret').toString('base64')}`,
          }),
        ));
      it('a body declaring charset=utf-16', async () =>
        assertInvalidRequest(await token('grant_type=client_credentials', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' })));
      it('a body that is not UTF-8', async () =>
        assertInvalidRequest(
          await app.inject({
            method: 'POST',
            url: '/v1.0/auth',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: Buffer.from([0x67, 0x3d, 0xff, 0xfe]),
          }),
        ));
      it('a 30,000-deep JSON body (within its 64 KB limit)', async () =>
        assertInvalidRequest(await token(`{"grant_type":${'['.repeat(30_000)}${']'.repeat(30_000)}}`, { 'content-type': 'application/json' })));
      it('still issues tokens', async () => {
        const { clientId, secret } = await app.createClient();
        const res = await token(`grant_type=client_credentials&client_id=${clientId}&client_secret=${secret}`, {
          'content-type': 'application/x-www-form-urlencoded; charset="UTF-8"',
        });
        assert.equal(res.statusCode, 200, res.body);
      });
    });

    it('a 100,000-deep body with an Idempotency-Key is 400 NESTING_TOO_DEEP, on every write endpoint', async () => {
      const deep = `{"payments": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      for (const url of ['/v1/payment-batches', '/v1/payments', '/payment/hk/v1.0/ach', '/v1/accounts', '/v1/webhook-endpoints']) {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { ...alice.headers, 'content-type': 'application/json', 'idempotency-key': `deep-${url}` },
          payload: deep,
        });
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.equal(res.json().code, 'NESTING_TOO_DEEP');
      }
      const res = await app.inject({
        method: 'PUT',
        url: '/v1/clients/me/jwks',
        headers: { ...alice.headers, 'content-type': 'application/json' },
        payload: deep,
      });
      assert.ok(res.statusCode === 400 || res.statusCode === 403, res.body);
    });

    it('32 levels are read; 33 are not', async () => {
      const nest = (n: number) => `${'['.repeat(n - 1)}1${']'.repeat(n - 1)}`;
      const at = (n: number) => post('/v1/accounts', `{"name": ${nest(n)}}`, { 'content-type': 'application/json' });
      assert.equal((await at(32)).json().code, 'VALIDATION_FAILED');
      assert.equal((await at(33)).json().code, 'NESTING_TOO_DEEP');
      // Brackets inside strings are text, not nesting.
      assert.equal((await post('/v1/accounts', { name: '['.repeat(100), bank: 'DBSSSGSGXXX', accountNumber: '1', currencies: ['SGD'] })).statusCode, 201);
    });

    describe('bodies are UTF-8', () => {
      const account = JSON.stringify({ name: 'Café 陳', bank: 'DBSSSGSGXXX', accountNumber: '1', currencies: ['SGD'] });
      for (const type of [
        'application/json; charset=utf-16',
        'application/json; charset=UTF-16LE',
        'application/json;charset="iso-8859-1"',
        'application/jose; charset=utf-16',
      ]) {
        it(`${type} is 415 UNSUPPORTED_MEDIA_TYPE`, async () => {
          const res = await post('/v1/accounts', account, { 'content-type': type });
          assert.equal(res.statusCode, 415, res.body);
          assert.equal(res.json().code, 'UNSUPPORTED_MEDIA_TYPE');
        });
      }
      for (const type of [
        'application/json; charset=utf-8',
        'application/json; charset=UTF-8',
        'application/json; charset="utf-8"',
        'application/json;charset=utf8',
        'application/json',
      ]) {
        it(`${type} is read`, async () => assert.equal((await post('/v1/accounts', account, { 'content-type': type })).statusCode, 201));
      }
      for (const [what, bytes] of [
        ['a lone continuation byte', [0x80]],
        ['0xFF', [0xff]],
        ['a truncated sequence at the end', [0xe6, 0x99]],
        ['an overlong NUL', [0xc0, 0x80]],
        ['an encoded surrogate', [0xed, 0xa0, 0x80]],
      ] as const) {
        it(`${what} is 400 INVALID_ENCODING, not U+FFFD`, async () => {
          const raw = Buffer.concat([
            Buffer.from('{"name": "a'),
            Buffer.from(bytes),
            Buffer.from('", "bank": "DBSSSGSGXXX", "accountNumber": "1", "currencies": ["SGD"]}'),
          ]);
          const res = await post('/v1/accounts', raw, { 'content-type': 'application/json' });
          assert.equal(res.statusCode, 400, res.body);
          assert.equal(res.json().code, 'INVALID_ENCODING');
        });
      }
      it('a character split across chunks is still valid', async () => {
        const res = await post('/v1/accounts', Buffer.from(account), { 'content-type': 'application/json' });
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(res.json().name, 'Café 陳');
      });
    });
  });
}

describe('a route added without thinking about it is covered', () => {
  it('its params, query and body are checked before its handler runs; its JSON is depth-checked', async () => {
    let calls = 0;
    const app = await createHttpServer({
      logger: pino({ level: 'silent' }),
      bodyLimitBytes: 1024 * 1024,
      publicUrl: 'http://payrail.test',
      metrics: createMetrics(),
      routes: async (root) => {
        // No schema, registered inside a plugin of its own: nothing here mentions the check.
        await root.register(async (scoped) => {
          scoped.post('/new/:id', async () => ({ calls: ++calls }));
        });
      },
    });
    await app.ready();
    const send = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
    assert.equal((await send('/new/a', { x: 'fine\ttext\r\n' })).statusCode, 200);
    assertInvalidCharacters(await send('/new/a', { x: 'NEL\u0085' }), 'x');
    assertInvalidCharacters(await send('/new/a', { x: 'DEL\u007F' }), 'x');
    assertInvalidCharacters(await send('/new/a?q=%C2%9F', { x: 1 }), 'q');
    assertInvalidCharacters(await send('/new/a%7F', { x: 1 }), 'id');
    assertInvalidCharacters(await send('/new/a', { ['k\u0085']: 1 }), 'k\u0085');
    assertInvalidCharacters(await send('/new/a', { ['k\t']: 1 }), 'k\t');
    assertInvalidCharacters(await send('/new/a%00', { x: 1 }), 'id');
    assertInvalidCharacters(await send('/new/a?q=%01', { x: 1 }), 'q');
    assertInvalidCharacters(await send('/new/a', { x: [{ y: 'a\uFFFE' }] }), 'x[0].y');
    assertInvalidCharacters(await send('/new/a', { ['k\u0000']: 1 }), 'k\u0000');
    const deep = await app.inject({
      method: 'POST',
      url: '/new/a',
      headers: { 'content-type': 'application/json' },
      payload: `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    });
    assert.equal(deep.json().code, 'NESTING_TOO_DEEP');
    assert.equal(calls, 1, 'the handler ran only for the acceptable request');
    await app.close();
  });
});
