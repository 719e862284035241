// No request, however malformed, gets a 5xx or a stack trace (SPEC §4).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const [sqlite] = databaseKinds();

describe('malformed requests get clear 4xx problems, never a 5xx', () => {
  let db: TestDatabase;
  let app: TestApp;
  let headers: Record<string, string>;

  before(async () => {
    db = await sqlite!.create();
    app = await startTestApp(db, { env: { PAYRAIL_BODY_LIMIT_BYTES: String(10 * 1024 * 1024) } });
    ({ headers } = await app.authed());
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  function assertProblem(res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, code: string) {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const body = JSON.parse(res.body);
    assert.equal(body.code, code);
    assert.equal(body.status, status);
    assert.ok(!/at .*\.ts:\d+/.test(res.body), 'no stack trace');
  }

  it('bad JSON is 400 INVALID_JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    assertProblem(res, 400, 'INVALID_JSON');
  });

  it('an empty JSON body is 400', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...headers, 'content-type': 'application/json' }, payload: '' });
    assert.equal(res.statusCode, 400);
  });

  it('a JSON array or scalar body is 400 VALIDATION_FAILED', async () => {
    for (const payload of ['[]', '42', '"x"', 'null']) {
      const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...headers, 'content-type': 'application/json' }, payload });
      assertProblem(res, 400, 'VALIDATION_FAILED');
    }
  });

  it('a wrong content type is 415', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...headers, 'content-type': type }, payload: 'name=x' });
      assertProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('a 20 MB body is 413', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(20 * 1024 * 1024) });
    const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...headers, 'content-type': 'application/json' }, payload: big });
    assertProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a 20 MB body to the token endpoint is 413, not a 5xx', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1.0/auth',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=${'x'.repeat(20 * 1024 * 1024)}`,
    });
    assert.equal(res.statusCode, 413);
  });

  it('deeply nested JSON is 400 NESTING_TOO_DEEP (more in input-safety.test.ts)', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...headers, 'content-type': 'application/json' }, payload: deep });
    assertProblem(res, 400, 'NESTING_TOO_DEEP');
  });

  it('prototype pollution keys are refused as unknown fields', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"__proto__": {"x": 1}, "name": "a", "bank": "DBSSSGSGXXX", "accountNumber": "123456", "currencies": ["SGD"]}',
    });
    assert.equal(res.statusCode, 400);
  });

  it('a malformed URL or an over-long path parameter is a problem, not a bare framework error', async () => {
    assertProblem(await app.inject({ method: 'GET', url: '/v1/payments/%ZZ', headers }), 400, 'BAD_REQUEST');
    assertProblem(await app.inject({ method: 'GET', url: `/v1/payments/${'x'.repeat(300)}`, headers }), 414, 'URI_TOO_LONG');
  });

  it('a leap-second createdFrom is read, not a 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/payments?createdFrom=2026-06-30T23:59:60Z', headers });
    assert.equal(res.statusCode, 200, res.body);
  });

  it('unknown routes are 404 problems', async () => {
    assertProblem(await app.inject({ method: 'GET', url: '/v2/nothing' }), 404, 'ROUTE_NOT_FOUND');
    assertProblem(await app.inject({ method: 'DELETE', url: '/v1/accounts' }), 404, 'ROUTE_NOT_FOUND');
  });

  it('random JSON bodies never produce a 5xx (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.constantFrom('/v1/accounts', '/v1.0/auth'), async (value, url) => {
        const res = await app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(value) });
        return res.statusCode < 500;
      }),
      { numRuns: 300 },
    );
  });

  it('random account-shaped bodies never produce a 5xx (property)', async () => {
    const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()));
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            name: anything,
            bank: fc.oneof(anything, fc.constantFrom('DBSSSGSGXXX', '004', 'HSBCHKHHHKH')),
            accountNumber: anything,
            currencies: fc.oneof(anything, fc.array(fc.constantFrom('SGD', 'HKD', 'XXX', ''))),
          },
          { requiredKeys: [] },
        ),
        async (body) => {
          const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers, payload: body });
          return res.statusCode < 500;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random raw bytes with a JSON content type never produce a 5xx (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (raw) => {
        const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...headers, 'content-type': 'application/json' }, payload: raw });
        return res.statusCode < 500;
      }),
      { numRuns: 200 },
    );
  });
});
