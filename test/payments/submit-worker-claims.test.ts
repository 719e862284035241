// Two single-payment workers claiming from one pool (issue #21 points 1 and 2): each claim is one
// statement (src/workers/claim.ts; FOR UPDATE SKIP LOCKED on the database's clock on PostgreSQL),
// so no payment is submitted or asked about by both, and a worker that loses a race simply takes
// fewer: no pass fails and nothing is logged at warn or error. On PostgreSQL the workers belong to
// two instances (two connection pools, as two servers); on SQLite both use the one connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { ApiTransport } from '../../src/bank/connector.ts';
import type { BankReport } from '../../src/bank/reports.ts';
import { systemClock } from '../../src/clock.ts';
import { createSubmitWorker } from '../../src/payments/submit-worker.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { singlePaymentPool } from '../helpers/payment-pool.ts';

const POOL = 600;
const SETTLED: BankReport[] = [
  { stage: 'ACK1', status: 'ACTC' },
  { stage: 'ACK2', status: 'ACCP' },
  { stage: 'ACK3', status: 'ACSC' },
];

for (const kind of databaseKinds()) {
  describe(`two single-payment workers on one pool (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    let ids: string[] = [];
    const logged: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logged.push(JSON.parse(line)) });

    before(async () => {
      db = await kind.create();
      a = await startTestApp(db);
      b = kind.name === 'postgres' ? await startTestApp(db) : a;
      // One payment through the API, the rest its copies: PROCESSING single test payments.
      ids = await singlePaymentPool(a, POOL, { referencePrefix: 'RACE', idsFrom: Date.now() });
      const first = await a.payrail.database.db.selectFrom('payments').select('status').where('id', '=', ids[0]!).executeTakeFirstOrThrow();
      assert.equal(first.status, 'PROCESSING');
    });
    after(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await db?.drop();
    });

    it(
      'every payment is submitted and asked about by one worker at a time, once each; no pass fails, nothing logged at warn or error',
      { timeout: 120_000 },
      async () => {
        const submittedBy = new Map<string, string[]>();
        const asking = new Set<string>();
        const overlaps: string[] = [];
        const bank = (name: string): ApiTransport => ({
          submitPayment: async () => assert.fail('the workers submit together (submitPayments)'),
          submitPayments: async (instructions) => {
            for (const { paymentId } of instructions) submittedBy.set(paymentId, [...(submittedBy.get(paymentId) ?? []), name]);
          },
          paymentReports: async (id) => {
            if (asking.has(id)) overlaps.push(id);
            asking.add(id);
            // An answer that takes a moment: the other worker's passes run meanwhile.
            await new Promise((r) => setTimeout(r, 5));
            asking.delete(id);
            return SETTLED;
          },
        });
        const worker = (app: TestApp, name: string) =>
          createSubmitWorker({
            db: app.payrail.database.db,
            clock: systemClock,
            logger: logger.child({ worker: name }),
            bank: bank(name),
            transitions: app.payrail.services.transitions,
            batchSize: 50,
          });
        const open = async () =>
          (await a.payrail.database.db.selectFrom('payments').select('id').where('id', 'in', ids).where('status', '!=', 'COMPLETED').execute()).length;
        // Each worker passes again at once, as its loop does under load, until every payment is done.
        const run = async (w: ReturnType<typeof worker>) => {
          for (let pass = 0; pass < 200 && (await open()) > 0; pass++) await w.tick();
        };
        await Promise.all([run(worker(a, 'a')), run(worker(b, 'b'))]);

        assert.equal(await open(), 0, 'every payment COMPLETED');
        const twice = [...submittedBy].filter(([, by]) => by.length > 1);
        assert.deepEqual(twice, [], 'no payment submitted twice');
        assert.equal(submittedBy.size, POOL, 'every payment submitted');
        assert.deepEqual(overlaps, [], 'no payment asked about by both workers at once');
        assert.deepEqual(new Set([...submittedBy.values()].flat()), new Set(['a', 'b']), 'both workers took a share of the pool');
        const succeeded = await a.payrail.database.db.selectFrom('events').select('object_id').where('type', '=', 'payments.succeeded').execute();
        assert.equal(succeeded.length, POOL, 'one payments.succeeded per payment');
        assert.deepEqual(
          logged.filter((l) => l.level >= 40),
          [],
          'nothing logged at warn or error',
        );
      },
    );
  });
}
