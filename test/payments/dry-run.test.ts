// The dry runs (SPEC §12): POST /v1/payments/validate and /v1/payment-batches/validate answer what
// create would — 200 with the dates and a summary, or create's very problem for the same body —
// and store nothing: no row in any table, no reference used up, no approval, no idempotency
// record. They are counted as enquiries, never against the payments budget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Account } from '../../src/accounts/service.ts';
import type { ProfileName } from '../../src/bank-files/profiles/index.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { SG_ACCOUNT, startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW, validPayment } from '../rails/builders.ts';

/** Accounts named `… (dbs-sg)` are checked against DBS's profile (its requirements), others generic. */
const profileForAccount = (account: Account): ProfileName => (account.name.endsWith('(dbs-sg)') ? 'dbs-sg' : 'generic');
const OPERATOR = { kind: 'operator' as const, id: 'test-operator' };

type Headers = Record<string, string>;
type Answer = { statusCode: number; body: string; json(): Record<string, unknown>; headers: Record<string, unknown> };

/** Status and problem body without what differs by request (its id). */
function answerOf(res: Answer): { status: number; body: unknown } {
  const body = res.json();
  delete body.requestId;
  return { status: res.statusCode, body };
}

for (const kind of databaseKinds()) {
  describe(`dry runs (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let sg: string;
    let dbsBare: string;
    let held: string;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW, profileForAccount });
      alice = await app.authed();
      sg = await app.createAccount(alice.headers);
      dbsBare = await app.createAccount(alice.headers, { name: 'SG bare (dbs-sg)', bank: 'DBSSSGSGXXX', accountNumber: '0123456781', currencies: ['SGD'] });
      held = await app.createAccount(alice.headers, { name: 'SG held', bank: 'DBSSSGSGXXX', accountNumber: '0123456782', currencies: ['SGD'] });
      await app.payrail.services.approvalPolicies.set({ clientId: alice.clientId, accountId: held, above: 0, approvers: 1 }, OPERATOR);
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const post = (url: string, payload: unknown, headers: Headers = alice.headers) =>
      app.inject({ method: 'POST', url, headers, payload: payload as object }) as Promise<Answer>;
    const payment = (over: Record<string, unknown> = {}) => ({ ...validPayment('MEPS'), senderAccountId: sg, ...over });
    const item = (i: number, over: Record<string, unknown> = {}) => ({
      amount: 1000 + i,
      customerReference: `DRY-${i}`,
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

    /** Every table's row count: what "nothing stored" means. */
    async function rowCounts(): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (const table of await app.payrail.database.db.introspection.getTables()) {
        const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table.name)}`.execute(app.payrail.database.db);
        counts[table.name] = Number(rows[0]!.n);
      }
      return counts;
    }

    /** Validates then creates the same body: both must answer the same refusal, and nothing is stored. */
    async function assertSameRefusal(create: string, body: unknown, headers: Headers = alice.headers, status = 400): Promise<unknown> {
      const before = await rowCounts();
      const dry = answerOf(await post(`${create}/validate`, body, headers));
      const real = answerOf(await post(create, body, headers));
      assert.equal(real.status, status, `create must refuse this body: ${JSON.stringify(real.body)}`);
      assert.deepEqual(dry, real, 'the dry run answers exactly the problem create answers');
      assert.deepEqual(await rowCounts(), before, 'nothing stored by either');
      return dry.body;
    }

    it('a valid batch: 200 with its date, the expected value date and a summary; nothing stored', async () => {
      const before = await rowCounts();
      // Saturday 14 March: MEPS settles on business days only, so the bank would use Monday the 16th.
      const res = await post('/v1/payment-batches/validate', batch([item(1), item(2), item(3)], { paymentDate: '2026-03-14' }), {
        ...alice.headers,
        'idempotency-key': 'dry-batch-1',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        valid: true,
        paymentDate: '2026-03-14',
        expectedValueDate: '2026-03-16',
        summary: { type: 'MEPS', currency: 'SGD', count: 3, totalAmount: 3006, approvalRequired: false },
      });
      assert.deepEqual(await rowCounts(), before, 'no row in any table, idempotency records included');
    });

    it('a valid payment: 200; its date defaults as create defaults it (today in the rail’s zone); nothing stored', async () => {
      const before = await rowCounts();
      const fast = { ...validPayment('FAST'), senderAccountId: sg };
      const res = await post('/v1/payments/validate', fast, { ...alice.headers, 'idempotency-key': 'dry-payment-1' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        valid: true,
        paymentDate: '2026-03-10',
        expectedValueDate: '2026-03-10',
        summary: { type: 'FAST', currency: 'SGD', count: 1, totalAmount: 20000, approvalRequired: false },
      });
      assert.deepEqual(await rowCounts(), before, 'no row in any table');
    });

    it('a payment or batch an approval policy would hold says so, and opens no approval', async () => {
      const before = await rowCounts();
      const single = await post('/v1/payments/validate', payment({ senderAccountId: held, customerReference: 'HELD-1' }));
      assert.equal(single.statusCode, 200, single.body);
      assert.equal((single.json().summary as { approvalRequired: boolean }).approvalRequired, true, single.body);
      const many = await post('/v1/payment-batches/validate', batch([item(900)], { senderAccountId: held }));
      assert.equal(many.statusCode, 200, many.body);
      assert.equal((many.json().summary as { approvalRequired: boolean }).approvalRequired, true, many.body);
      assert.deepEqual(await rowCounts(), before, 'no approval, no event');
    });

    it('every kind of refusal of a single payment is create’s own', async () => {
      await assertSameRefusal('/v1/payments', payment({ amount: '200' }));
      await assertSameRefusal('/v1/payments', payment({ colour: 'blue' }));
      await assertSameRefusal('/v1/payments', payment({ receiver: { bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789', address: { line1: 'x' } } }));
      await assertSameRefusal('/v1/payments', payment({ currency: 'USD', paymentDate: '2026-03-01' }));
      await assertSameRefusal('/v1/payments', payment({ senderAccountId: 'intacct_NOPE' }));
      const body = await assertSameRefusal('/v1/payments', { type: 'MEPS' });
      assert.equal((body as { code: string }).code, 'VALIDATION_FAILED');
      // Refused before any route runs: malformed JSON, another content type.
      const raw = (url: string, type: string) => app.inject({ method: 'POST', url, headers: { ...alice.headers, 'content-type': type }, payload: '{"type": ' });
      for (const type of ['application/json', 'text/csv']) {
        const [dry, real] = [answerOf(await raw('/v1/payments/validate', type)), answerOf(await raw('/v1/payments', type))];
        assert.ok(dry.status >= 400 && dry.status < 500, `${type}: a 4xx (${dry.status})`);
        assert.deepEqual(dry, real, `${type}: the same problem`);
      }
    });

    it('every kind of refusal of a batch is create’s own, every problem with its path', async () => {
      const { currency: _omitted, ...noCurrency } = batch([item(10)]);
      await assertSameRefusal('/v1/payment-batches', noCurrency);
      await assertSameRefusal('/v1/payment-batches', batch([]));
      const mixed = [item(20), item(21, { amount: 0 }), item(22, { receiver: { name: 'x', bank: 42 } }), item(23, { customerReference: 'DRY-20' })];
      const body = (await assertSameRefusal('/v1/payment-batches', batch(mixed, { purpose: 'NOPE' }))) as {
        errors: { path: string; code: string }[];
        detail: string;
      };
      assert.deepEqual(body.errors.map((e) => `${e.path} ${e.code}`).sort(), [
        'payments[1].amount INVALID_AMOUNT',
        // The schema's problem with this payment, and the rules' with the rest of it (MEPS needs an address, and an account or a proxy).
        'payments[2].receiver.address RECEIVER_ADDRESS_REQUIRED',
        'payments[2].receiver.bank INVALID_TYPE',
        'payments[2].receiver.bankAccountNumber RECEIVER_ACCOUNT_REQUIRED',
        'payments[3].customerReference DUPLICATE_CUSTOMER_REFERENCE',
        'purpose INVALID_PURPOSE',
      ]);
      await assertSameRefusal('/v1/payment-batches', batch([item(30)], { senderAccountId: 'intacct_NOPE' }));
      await assertSameRefusal('/v1/payment-batches', batch([item(31, { amount: Number.MAX_SAFE_INTEGER }), item(32, { amount: 3 })]));
    });

    it('a reference validated (twice) is not used up; once created, the dry run reports it as create does', async () => {
      for (let i = 0; i < 2; i++) {
        assert.equal((await post('/v1/payments/validate', payment({ customerReference: 'ONCE-1' }))).statusCode, 200, 'validated');
        assert.equal((await post('/v1/payment-batches/validate', batch([item(40, { customerReference: 'ONCE-2' })]))).statusCode, 200, 'validated');
      }
      const created = await post('/v1/payments', payment({ customerReference: 'ONCE-1' }));
      assert.equal(created.statusCode, 202, created.body);
      const createdBatch = await post('/v1/payment-batches', batch([item(40, { customerReference: 'ONCE-2' })]));
      assert.equal(createdBatch.statusCode, 200, createdBatch.body);
      const single = await assertSameRefusal('/v1/payments', payment({ customerReference: 'ONCE-1' }));
      assert.deepEqual((single as { errors: unknown[] }).errors, [
        { path: 'customerReference', code: 'DUPLICATE_CUSTOMER_REFERENCE', message: "customer reference 'ONCE-1' was already used by this client" },
      ]);
      // A batch whose only problem is a used reference: create finds it at its insert (the unique
      // index), the dry run by looking it up; the problem is the same.
      const many = await assertSameRefusal('/v1/payment-batches', batch([item(41), item(42, { customerReference: 'ONCE-2' })]));
      assert.equal((many as { detail: string }).detail, '1 of 2 payments are invalid; nothing was created');
    });

    it('live mode: BANK_NOT_CONNECTED and the bank profile’s requirements are create’s own', async () => {
      const live = await app.authed({ mode: 'live' });
      const acct = await app.createAccount(live.headers, { name: 'SG live', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] });
      const unconnected = await assertSameRefusal('/v1/payments', payment({ senderAccountId: acct }), live.headers, 422);
      assert.equal((unconnected as { code: string }).code, 'BANK_NOT_CONNECTED');
      await assertSameRefusal('/v1/payment-batches', batch([item(50)], { senderAccountId: acct }), live.headers, 422);
      const fast = (ref: string) => ({ amount: 100, customerReference: ref, receiver: { name: 'A', bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789' } });
      const profile = await assertSameRefusal('/v1/payment-batches', {
        type: 'FAST',
        paymentDate: '2026-03-10',
        senderAccountId: dbsBare,
        currency: 'SGD',
        payments: [fast('PAY-1'), fast('PAY_2')],
      });
      assert.deepEqual((profile as { errors: { path: string; code: string }[] }).errors.map((e) => `${e.path} ${e.code}`).sort(), [
        'payments[1].customerReference REFUSED_BY_BANK',
        'senderAccountId REQUIRED_BY_BANK',
      ]);
    });

    it('needs payments:write, like create', async () => {
      const reader = await app.authed({ scopes: ['payments:read'] });
      const res = await post('/v1/payments/validate', payment(), reader.headers);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'INSUFFICIENT_SCOPE');
      assert.equal((await post('/v1/payment-batches/validate', batch([item(60)]), reader.headers)).statusCode, 403, 'batch dry run too');
    });

    it('counted as an enquiry: the payments budget is untouched', async () => {
      const limited = await app.authed({ unlimited: false });
      // Opened by the service: POST /v1/accounts would spend a call of the payments kind itself.
      const { id: account } = await app.payrail.services.accounts.create(limited.clientId, { ...SG_ACCOUNT });
      const dry = await post('/v1/payment-batches/validate', batch([item(70)], { senderAccountId: account }), limited.headers);
      assert.equal(dry.statusCode, 200, dry.body);
      assert.match(String(dry.headers['ratelimit-policy']), /^"payment-enquiry-minute";q=90;w=60/);
      const single = await post('/v1/payments/validate', payment({ senderAccountId: account }), limited.headers);
      assert.equal(single.statusCode, 200, single.body);
      // The first payments call of this client: its whole budget is still there.
      const created = await post('/v1/payments', payment({ senderAccountId: account, customerReference: 'LIMITED-1' }), limited.headers);
      assert.equal(created.statusCode, 202, created.body);
      assert.equal(created.headers['ratelimit'], '"payments-minute";r=29;t=60, "payments-second";r=1;t=1');
    });
  });
}
