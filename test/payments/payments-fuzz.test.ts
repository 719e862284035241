// Property: no body sent to a payment endpoint, however odd, gets a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

const [sqlite] = databaseKinds();

describe('payment endpoints never answer 5xx to random bodies', () => {
  let db: TestDatabase;
  let app: TestApp;
  let headers: Record<string, string>;
  let account: string;

  before(async () => {
    db = await sqlite!.create();
    app = await startTestApp(db, { clock: () => NOW });
    ({ headers } = await app.authed());
    account = (
      await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers,
        payload: { name: 'SG', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD', 'USD'] },
      })
    ).json().id;
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  const weird = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(Number.MAX_SAFE_INTEGER + 2),
    fc.constant('2026-02-30'),
    fc.constant(''),
    fc.constant('__proto__'),
  );
  const receiver = fc.record(
    {
      name: fc.oneof(fc.string(), weird),
      bank: fc.oneof(fc.constantFrom('DBSSSGSGXXX', '004', 'OCBCSGSG', 'BARCGB22'), weird),
      branchCode: fc.oneof(fc.constantFrom('123', '99'), weird),
      bankAccountNumber: fc.oneof(fc.constantFrom('0123456789', '000000000', 'GB29NWBK60161331926819'), weird),
      proxy: fc.oneof(fc.record({ type: fc.constantFrom('MOBILE', 'UEN', 'EMAIL', 'X'), value: fc.string() }), weird),
      country: fc.oneof(fc.constantFrom('SG', 'GB', 'ZZ'), weird),
      address: fc.oneof(fc.record({ line1: fc.string(), line2: fc.string(), line3: fc.string() }, { requiredKeys: [] }), weird),
    },
    { requiredKeys: [] },
  );
  const payment = fc.record(
    {
      type: fc.oneof(fc.constantFrom('ACH', 'FPS', 'RTGS', 'CBFT', 'MEPS', 'FAST', 'PAYNOW', 'ACT', 'TT'), weird),
      amount: fc.oneof(fc.integer({ min: -10, max: 30_000_000 }), weird),
      currency: fc.oneof(fc.constantFrom('SGD', 'HKD', 'USD', 'JPY', 'XXX'), weird),
      senderAccountId: fc.oneof(fc.constant('ACCOUNT'), weird),
      senderAccountCurrency: fc.oneof(fc.constantFrom('SGD', 'USD'), weird),
      paymentDate: fc.oneof(fc.constantFrom('2026-03-10', '2026-03-14', '2026-12-31', '2025-01-01'), weird),
      customerReference: fc.oneof(fc.string({ maxLength: 40 }), weird),
      paymentDetails: fc.oneof(fc.string({ maxLength: 200 }), weird),
      bankChargeBearer: fc.oneof(fc.constantFrom('SENDER', 'RECEIVER', 'SHARED', 'OUR'), weird),
      receiver: fc.oneof(receiver, weird),
    },
    { requiredKeys: [] },
  );

  it('POST /v1/payments and /payment/hk/v1.0/{type}', async () => {
    await fc.assert(
      fc.asyncProperty(payment, fc.constantFrom('/v1/payments', '/payment/hk/v1.0/fps', '/payment/hk/v1.0/ach', '/payment/hk/v1.0/cbft'), async (body, url) => {
        const payload = JSON.parse(JSON.stringify(body).replace('"ACCOUNT"', JSON.stringify(account)));
        if (url !== '/v1/payments') delete payload.type;
        const res = await app.inject({ method: 'POST', url, headers, payload });
        assert.ok(res.statusCode < 500, `${res.statusCode} ${res.body} for ${JSON.stringify(payload)}`);
        assert.ok([202, 400].includes(res.statusCode), `${res.statusCode}`);
      }),
      { numRuns: 400 },
    );
  });
});
