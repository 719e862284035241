// A single payment the worker can never submit ends FAILED at stage SUBMISSION with
// `payments.failed`; a passing bank error is still retried.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { PermanentSubmitError } from '../../src/bank/connector.ts';
import type { ApiTransport } from '../../src/bank/connector.ts';
import { createSubmitWorker, NOT_SUBMITTABLE } from '../../src/payments/submit-worker.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

for (const kind of databaseKinds()) {
  describe(`single payments that can never be submitted (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let sg: string;
    let n = 0;

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

    const get = async (url: string) => (await app.inject({ method: 'GET', url, headers: alice.headers })).json();
    async function pay(): Promise<string> {
      const payload = {
        type: 'FAST',
        amount: 100,
        currency: 'SGD',
        senderAccountId: sg,
        customerReference: `SINGLE-${kind.name}-${n++}`,
        receiver: { name: 'Tan', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789' },
      };
      const res = await app.inject({ method: 'POST', url: '/v1/payments', headers: alice.headers, payload });
      assert.equal(res.statusCode, 202, res.body);
      return res.json().id;
    }
    function workerWith(bank: Partial<ApiTransport>) {
      const { database, services } = app.payrail;
      const transport: ApiTransport = { submitPayment: async () => {}, paymentReports: async () => [], ...bank };
      return createSubmitWorker({
        db: database.db,
        clock: () => NOW,
        logger: pino({ level: 'silent' }),
        bank: transport,
        transitions: services.transitions,
        leaseMs: -1,
      }); // the clock is frozen: an already expired lease lets the next worker retry at once
    }
    async function assertFailed(id: string, message: RegExp) {
      const payment = await get(`/v1/payments/${id}`);
      assert.equal(payment.status, 'FAILED');
      assert.equal(payment.failure.stage, 'SUBMISSION');
      assert.equal(payment.failure.code, NOT_SUBMITTABLE);
      assert.match(payment.failure.message, message);
      const events = (await get('/v1/events?limit=100')).data as { type: string; data: { id: string } }[];
      assert.deepEqual(
        events.filter((e) => e.data.id === id).map((e) => e.type),
        ['payments.failed'],
      );
    }

    it('the bank refusing it for good (PermanentSubmitError) fails the payment', async () => {
      const id = await pay();
      await workerWith({
        submitPayment: async () => {
          throw new PermanentSubmitError('malformed instruction');
        },
      }).tick();
      await assertFailed(id, /malformed instruction/);
    });

    it('a passing bank error leaves it PROCESSING for the next try', async () => {
      const id = await pay();
      await workerWith({
        submitPayment: async () => {
          throw new Error('ECONNRESET');
        },
      }).tick();
      assert.equal((await get(`/v1/payments/${id}`)).status, 'PROCESSING');
      await workerWith({}).tick();
      assert.equal((await get(`/v1/payments/${id}`)).status, 'SUBMITTED');
    });
  });
}
