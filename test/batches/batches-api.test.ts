// POST/GET /v1/payment-batches and the HK ACH bulk body: whole-batch validation, nothing created
// on any error, references unique per client and within the request, tenancy, lists.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

for (const kind of databaseKinds()) {
  describe(`batches API (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let sg: string;
    let hk: string;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW });
      alice = await app.authed();
      sg = await app.createAccount(alice.headers);
      hk = await app.createAccount(alice.headers, { name: 'HK', bank: 'HSBCHKHHXXX', accountNumber: '123456789', currencies: ['HKD'] });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const item = (i: number, over: Record<string, unknown> = {}) => ({
      amount: 1000 + i,
      customerReference: `REF-${i}`,
      receiver: { name: `Receiver ${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789', address: { line1: '20 Side Street' } },
      ...over,
    });
    const batch = (payments: unknown[], over: Record<string, unknown> = {}) => ({
      type: 'MEPS',
      paymentDate: '2026-03-11',
      senderAccountId: sg,
      currency: 'SGD',
      payments,
      ...over,
    });
    const post = (body: unknown, headers = alice.headers) => app.inject({ method: 'POST', url: '/v1/payment-batches', headers, payload: body as object });
    const paymentCount = async () => (await app.inject({ method: 'GET', url: '/v1/payments?limit=100', headers: alice.headers })).json().data.length;

    it('200 with the batch: ids, PROCESSING, payments and summary', async () => {
      const res = await post(batch([item(1), item(2), item(3)], { paymentDate: '2026-03-11' }));
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      assert.match(b.id, /^pymtb_[0-9A-Z]{26}$/);
      assert.equal(b.status, 'PROCESSING');
      assert.equal(b.type, 'MEPS');
      assert.equal(b.payments.length, 3);
      for (const p of b.payments) {
        assert.match(p.id, /^pymt_/);
        assert.equal(p.status, 'PROCESSING');
      }
      assert.deepEqual(b.summary, { count: 3, totalAmount: 3006, processing: 3, submitted: 0, completed: 0, failed: 0 });
      const got = await app.inject({ method: 'GET', url: `/v1/payment-batches/${b.id}`, headers: alice.headers });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json().payments, b.payments);
      const one = (await app.inject({ method: 'GET', url: `/v1/payments/${b.payments[0].id}`, headers: alice.headers })).json();
      assert.equal(one.batchId, b.id);
      assert.equal(one.type, 'MEPS');
      const filtered = (await app.inject({ method: 'GET', url: `/v1/payments?batchId=${b.id}`, headers: alice.headers })).json();
      assert.equal(filtered.data.length, 3);
    });

    it('10 payments with 2 invalid: 400 listing every problem with its path, nothing created', async () => {
      const before = await paymentCount();
      const items = Array.from({ length: 10 }, (_, i) => item(100 + i));
      items[3] = item(103, { receiver: { name: 'No Bank', bankAccountNumber: '123456789', address: { line1: 'x' } } });
      items[7] = item(107, { amount: 0 });
      const res = await post(batch(items));
      assert.equal(res.statusCode, 400);
      const body = res.json();
      assert.equal(body.code, 'VALIDATION_FAILED');
      assert.equal(body.detail, '2 of 10 payments are invalid; nothing was created');
      const got = body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort();
      assert.deepEqual(got, ['payments[3].receiver.bank RECEIVER_BANK_REQUIRED', 'payments[7].amount INVALID_AMOUNT']);
      assert.equal(await paymentCount(), before);
      assert.equal((await app.inject({ method: 'GET', url: '/v1/payment-batches?limit=100', headers: alice.headers })).json().data.length, 1);
    });

    it('schema problems and rail-rule problems of different payments are listed together', async () => {
      const items = [item(700), item(701), item(702), item(703)];
      delete (items[0]!.receiver as { name?: string }).name;
      items[1] = item(701, { receiver: { name: 'x', bank: 'ZZZZ11ZZ', bankAccountNumber: '123456789', address: { line1: 'x' } } });
      items[2] = item(702, { amount: 0 });
      const res = await post(batch(items));
      assert.equal(res.statusCode, 400);
      const body = res.json();
      assert.equal(body.detail, '3 of 4 payments are invalid; nothing was created');
      assert.deepEqual(body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort(), [
        'payments[0].receiver.name REQUIRED',
        'payments[1].receiver.bank INVALID_RECEIVER_BANK',
        'payments[2].amount INVALID_AMOUNT',
      ]);
    });

    it('one payment with a schema problem and a rule problem: both are listed', async () => {
      const items = [item(710, { amount: 10.5, receiver: { name: 'x', bank: 'HSBCHKHHXXX', bankAccountNumber: '123456789', address: { line1: 'x' } } })];
      const res = await post(batch(items));
      assert.equal(res.statusCode, 400);
      assert.deepEqual(
        res
          .json()
          .errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)
          .sort(),
        ['payments[0].amount INVALID_TYPE', 'payments[0].receiver.bank RECEIVER_BANK_MARKET_MISMATCH'],
      );
    });

    it('a batch whose amounts add up past the safe-integer range is refused', async () => {
      const res = await post(batch([item(800, { amount: Number.MAX_SAFE_INTEGER }), item(801, { amount: 3 })]));
      assert.equal(res.statusCode, 400);
      assert.ok(
        res.json().errors.some((e: { code: string }) => e.code === 'BATCH_TOTAL_TOO_LARGE'),
        res.body,
      );
    });

    it('schema errors carry item paths too (payments[4].receiver.bank)', async () => {
      const items = Array.from({ length: 5 }, (_, i) => item(200 + i));
      items[4] = item(204, { receiver: { name: 'x', bank: 42, bankAccountNumber: '123456789' } });
      const res = await post(batch(items));
      assert.equal(res.statusCode, 400);
      assert.ok(res.json().errors.some((e: { path: string }) => e.path === 'payments[4].receiver.bank'));
    });

    it('shared-field problems are listed once, not per payment', async () => {
      const res = await post(batch([item(301), item(302)], { currency: 'USD', paymentDate: '2020-01-01' }));
      assert.equal(res.statusCode, 400);
      const got = res
        .json()
        .errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)
        .sort();
      assert.deepEqual(got, ['currency CURRENCY_NOT_ALLOWED', 'paymentDate PAYMENT_DATE_IN_PAST']);
    });

    it('0 or 1,001 payments is 400', async () => {
      assert.equal((await post(batch([]))).statusCode, 400);
      const many = Array.from({ length: 1001 }, (_, i) => item(10_000 + i));
      const res = await post(batch(many));
      assert.equal(res.statusCode, 400);
      assert.ok(res.json().errors.some((e: { path: string; code: string }) => e.path === 'payments' && e.code === 'INVALID_COUNT'));
    });

    it('a 1,000-payment batch is accepted', async () => {
      const many = Array.from({ length: 1000 }, (_, i) => item(20_000 + i));
      const res = await post(batch(many));
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      assert.equal(res.json().summary.count, 1000);
    });

    it('customer references: unique within the request and against earlier payments', async () => {
      const res = await post(batch([item(1), item(400), item(400)]));
      assert.equal(res.statusCode, 400);
      const got = res
        .json()
        .errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)
        .sort();
      assert.deepEqual(got, ['payments[0].customerReference DUPLICATE_CUSTOMER_REFERENCE', 'payments[2].customerReference DUPLICATE_CUSTOMER_REFERENCE']);
    });

    it('a batch whose only problem is a used reference lists each one and stores nothing', async () => {
      const res = await post(batch([item(701), item(1), item(702), item(1_000_001)]));
      assert.equal(res.statusCode, 400);
      assert.deepEqual(
        res.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`),
        ['payments[1].customerReference DUPLICATE_CUSTOMER_REFERENCE'],
      );
      // Nothing of it was stored: the other references are still free.
      assert.equal((await post(batch([item(701), item(702)]))).statusCode, 200);
    });

    it('payments without references get generated ones', async () => {
      const res = await post(batch([{ ...item(500), customerReference: undefined }]));
      assert.equal(res.statusCode, 200);
      assert.match(res.json().payments[0].customerReference, /^[A-Z0-9]{16}$/);
    });

    it("another client's batch is a 404; lists are tenant-scoped", async () => {
      const b = (await post(batch([item(600)]))).json();
      const bob = await app.authed();
      assert.equal((await app.inject({ method: 'GET', url: `/v1/payment-batches/${b.id}`, headers: bob.headers })).statusCode, 404);
      assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/payment-batches', headers: bob.headers })).json().data, []);
    });

    it('lists newest first, each batch as GET gives it: with its payments and summary', async () => {
      const list = (await app.inject({ method: 'GET', url: '/v1/payment-batches?limit=2', headers: alice.headers })).json();
      assert.equal(list.data.length, 2);
      assert.ok(list.data[0].id > list.data[1].id);
      assert.equal(list.hasMore, true);
      for (const listed of list.data) {
        const one = (await app.inject({ method: 'GET', url: `/v1/payment-batches/${listed.id}`, headers: alice.headers })).json();
        assert.deepEqual(listed, one, 'the batch object of SPEC §3, payments and summary included');
      }
    });

    it('the HK ACH bulk body creates a batch: 202 with the batch object', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/payment/hk/v1.0/ach',
        headers: alice.headers,
        payload: {
          senderAccountId: hk,
          currency: 'HKD',
          paymentDate: '2026-03-11',
          payments: [
            { amount: 5000, receiver: { name: 'Chan Tai Man', bank: '004', bankAccountNumber: '123456789' } },
            { amount: 7000, receiver: { name: 'Lee Siu Ming', bank: '024', bankAccountNumber: '987654321' } },
          ],
        },
      });
      assert.equal(res.statusCode, 202, res.body);
      const b = res.json();
      assert.match(b.id, /^pymtb_/);
      assert.equal(b.type, 'ACH');
      assert.equal(b.summary.count, 2);
      assert.equal(b.summary.totalAmount, 12000);
    });

    it('the HK ACH bulk body is validated with item paths', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/payment/hk/v1.0/ach',
        headers: alice.headers,
        payload: { senderAccountId: hk, currency: 'HKD', payments: [{ amount: 5000, receiver: { name: 'x', bank: '04', bankAccountNumber: '123456789' } }] },
      });
      assert.equal(res.statusCode, 400);
      assert.ok(
        res.json().errors.some((e: { path: string }) => e.path.startsWith('payments[0].receiver.bank')),
        res.body,
      );
    });

    it('a bulk body on FPS is refused (bulk is an ACH feature)', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/payment/hk/v1.0/fps',
        headers: alice.headers,
        payload: { senderAccountId: hk, currency: 'HKD', payments: [] },
      });
      assert.equal(res.statusCode, 400);
    });
  });
}
