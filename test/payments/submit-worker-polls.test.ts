// Polling submitted single payments is fair and leased (issue 21): with 500 SUBMITTED payments
// whose bank answers slowly (or never) about the oldest 300, the newest still get asked about and
// complete within a few passes; two workers never ask about one payment at the same time.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import type { ApiTransport } from '../../src/bank/connector.ts';
import type { BankReport } from '../../src/bank/reports.ts';
import { createSubmitWorker, pollGapMs } from '../../src/payments/submit-worker.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { singlePaymentPool } from '../helpers/payment-pool.ts';
import { NOW } from '../rails/builders.ts';

const TOTAL = 500;
const SLOW = 300;
const SETTLED: BankReport[] = [
  { stage: 'ACK1', status: 'ACTC' },
  { stage: 'ACK2', status: 'ACCP' },
  { stage: 'ACK3', status: 'ACSC' },
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the poll gap', () => {
  it('is nothing while silence is normal, then grows with it in powers of two, up to a minute', () => {
    assert.equal(pollGapMs(0), 0);
    assert.equal(pollGapMs(9_999), 0);
    assert.equal(pollGapMs(10_000), 1024);
    assert.equal(pollGapMs(60_000), 4096);
    assert.equal(pollGapMs(3_600_000), 60_000);
  });
});

for (const kind of databaseKinds()) {
  describe(`polling submitted single payments (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    /** Payment ids, oldest first. */
    let ids: string[] = [];

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    // A fresh set of 500 SUBMITTED single payments for each test: one made through the API, the
    // rest its copies (ids in creation order), so the data costs one request.
    beforeEach(async () => {
      // The previous test's payments out of the way: only this test's are SUBMITTED.
      await app.payrail.database.db.updateTable('payments').set({ status: 'FAILED' }).where('status', '=', 'SUBMITTED').execute();
      ids = await singlePaymentPool(app, TOTAL, { referencePrefix: 'POLL', idsFrom: NOW });
      const { db: kdb } = app.payrail.database;
      await kdb.updateTable('payments').set({ status: 'SUBMITTED' }).where('id', 'in', ids).execute();
      assert.deepEqual([...ids].sort(), ids, 'ids are in creation order');
    });

    /** A bank that says nothing about the oldest 300 (after `slowMs`, or never) and settles the rest at once. */
    function slowBank(slowMs: number | 'never', onCall: (id: string, done: Promise<unknown>) => void = () => {}): ApiTransport {
      const slow = new Set(ids.slice(0, SLOW));
      return {
        submitPayment: async () => {},
        paymentReports: (id) => {
          const answer: Promise<BankReport[]> = !slow.has(id)
            ? Promise.resolve(SETTLED)
            : slowMs === 'never'
              ? new Promise(() => {})
              : sleep(slowMs).then(() => []);
          onCall(id, answer);
          return answer;
        },
      };
    }
    const worker = (bank: ApiTransport, pollTimeoutMs = 10_000) =>
      createSubmitWorker({
        db: app.payrail.database.db,
        clock: () => NOW,
        logger: pino({ level: 'silent' }),
        bank,
        transitions: app.payrail.services.transitions,
        batchSize: 50, // 200 asked about per pass
        pollTimeoutMs,
      });
    async function statuses(): Promise<Map<string, string>> {
      const rows = await app.payrail.database.db.selectFrom('payments').select(['id', 'status']).where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [r.id, r.status]));
    }
    async function assertNewestCompleted(when: string) {
      const s = await statuses();
      const newest = ids.slice(SLOW);
      const done = newest.filter((id) => s.get(id) === 'COMPLETED').length;
      assert.equal(done, newest.length, `${when}: ${done} of the newest ${newest.length} are COMPLETED`);
      assert.ok(
        ids.slice(0, SLOW).every((id) => s.get(id) === 'SUBMITTED'),
        `${when}: the ones the bank says nothing about are still SUBMITTED`,
      );
    }

    it('a bank slow about the oldest 300 does not starve the newest: they complete in three passes', async () => {
      const w = worker(slowBank(5));
      for (let pass = 0; pass < 3; pass++) await w.tick();
      await assertNewestCompleted('after three passes');
    });

    it('a bank that never answers about the oldest 300 is given up on per call; the newest complete', async () => {
      const w = worker(slowBank('never'), 50);
      for (let pass = 0; pass < 3; pass++) await w.tick();
      await assertNewestCompleted('after three passes');
    });

    it('payments the bank says nothing about yet are asked about in turn: none in two passes in a row (500 payments, 200 a pass)', async () => {
      const passes: Set<string>[] = [];
      let now = NOW;
      const w = createSubmitWorker({
        db: app.payrail.database.db,
        clock: () => now,
        logger: pino({ level: 'silent' }),
        bank: {
          submitPayment: async () => {},
          paymentReports: async (id) => {
            passes.at(-1)!.add(id);
            return [];
          },
        },
        transitions: app.payrail.services.transitions,
        batchSize: 50,
      });
      for (let pass = 0; pass < 5; pass++) {
        now += 1000; // silence stays under 10 s: due again at once, behind the ones not asked since
        passes.push(new Set());
        await w.tick();
      }
      assert.deepEqual(
        passes.map((p) => p.size),
        [200, 200, 200, 200, 200],
      );
      assert.equal(new Set(passes.flatMap((p) => [...p])).size, TOTAL, 'every payment asked about');
      for (let p = 1; p < passes.length; p++) {
        const again = [...passes[p]!].filter((id) => passes[p - 1]!.has(id)).length;
        assert.equal(again, 0, `pass ${p + 1} asked about ${again} payments of pass ${p} again, before others waiting longer`);
      }
    });

    it('a pass with nothing to do opens no transaction; one with work does', async () => {
      let transactions = 0;
      const { db: kdb } = app.payrail.database;
      const counted = createSubmitWorker({
        db: kdb,
        clock: () => NOW,
        logger: pino({ level: 'silent' }),
        bank: slowBank(5),
        transitions: app.payrail.services.transitions,
        batchSize: 50,
        transact: (work) => {
          transactions++;
          return kdb.transaction().execute(work);
        },
      });
      await kdb.updateTable('payments').set({ status: 'FAILED' }).where('id', 'in', ids).execute();
      assert.equal(await counted.tick(), 0);
      assert.equal(transactions, 0, 'nothing to do: no transaction (no write lock taken on SQLite)');
      await kdb.updateTable('payments').set({ status: 'SUBMITTED' }).where('id', '=', ids.at(-1)!).execute();
      assert.ok((await counted.tick()) > 0, 'the one payment is asked about and its reports applied');
      assert.ok(transactions > 0, 'work: the lease and its results are transactions');
    });

    it('two workers never ask about one payment at the same time', async () => {
      const inFlight = new Set<string>();
      const overlaps: string[] = [];
      let calls = 0;
      const bank = slowBank(30, (id, done) => {
        calls++;
        if (inFlight.has(id)) overlaps.push(id);
        inFlight.add(id);
        void done.then(() => inFlight.delete(id));
      });
      const [a, b] = [worker(bank), worker(bank)];
      for (let pass = 0; pass < 4; pass++) await Promise.all([a.tick(), b.tick()]);
      assert.ok(calls >= TOTAL, `the workers asked ${calls} times`);
      assert.deepEqual(overlaps, [], 'no payment was asked about by both workers at once');
      await assertNewestCompleted('after four passes of two workers');
    });
  });
}
