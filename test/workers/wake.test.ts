// Idle workers are woken by committed work, long before their idle poll (issue #21 point 5). On
// PostgreSQL the work is committed by ANOTHER instance (an API-only one): its transaction's NOTIFY
// (migration 0015) reaches the worker instance's LISTEN. On SQLite the API of the same process
// wakes its workers in process. The worker instance polls at most every 60 s here.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { SG_ACCOUNT, startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const LONG_POLL = { PAYRAIL_WORKER_IDLE_POLL_MS: '60000' };
/**
 * Idle loops wait 100, 200, 400, 800, 1,600, then 3,200 ms: 3.8 s after they start they are in the
 * 3.2 s wait, which ends after 6.3 s. Work created then and submitted within WOKEN_MS was woken for.
 */
const IDLE_FOR_MS = 3800;
const WOKEN_MS = 1500;

for (const kind of databaseKinds()) {
  describe(`committed work wakes idle workers (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let api: TestApp;
    let worker: TestApp | undefined;
    let workersStarted = 0;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let account: string;

    before(async () => {
      db = await kind.create();
      // PostgreSQL: two instances, the API one without workers. SQLite: one instance does both.
      if (kind.name === 'postgres') {
        api = await startTestApp(db);
        worker = await startTestApp(db, { workers: true, env: LONG_POLL });
      } else {
        api = await startTestApp(db, { workers: true, env: LONG_POLL });
      }
      workersStarted = Date.now();
      alice = await api.authed();
      account = await api.createAccount(alice.headers, SG_ACCOUNT);
    });
    after(async () => {
      await worker?.close();
      await api?.close();
      await db?.drop();
    });

    /** The status of a payment or batch just accepted, once it has left PROCESSING or WOKEN_MS has passed. */
    async function statusAfter(table: 'payments' | 'batches', id: string): Promise<string> {
      const accepted = Date.now();
      let status = 'PROCESSING';
      while (status === 'PROCESSING' && Date.now() - accepted < WOKEN_MS) {
        await sleep(20);
        const row = await api.payrail.database.db.selectFrom(table).select('status').where('id', '=', id).executeTakeFirstOrThrow();
        status = row.status;
      }
      return status;
    }

    it('a payment accepted while the workers idle is submitted at once, not at the next poll', async () => {
      const idleFor = IDLE_FOR_MS - (Date.now() - workersStarted);
      assert.ok(idleFor > 0, `the set-up took ${Date.now() - workersStarted} ms, longer than the idle time the test needs`);
      await sleep(idleFor);
      const res = await api.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: alice.headers,
        payload: {
          type: 'FAST',
          paymentDate: todayIn('Asia/Singapore', Date.now()),
          senderAccountId: account,
          currency: 'SGD',
          amount: 1234,
          receiver: { name: 'Bob', bank: 'OCBCSGSGXXX', bankAccountNumber: '1234567' },
        },
      });
      assert.equal(res.statusCode, 202, res.body);
      const status = await statusAfter('payments', res.json().id as string);
      assert.notEqual(status, 'PROCESSING', `the workers took the payment within ${WOKEN_MS} ms (their idle poll is 60 s)`);
    });

    // Wake-ups about single payments skip the batch dispatcher (src/workers/wake.ts); a batch's must not.
    it('a batch accepted while the workers idle is sent to the bank at once, not at the next poll', async () => {
      await sleep(IDLE_FOR_MS);
      const res = await api.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: alice.headers,
        payload: {
          type: 'FAST',
          paymentDate: todayIn('Asia/Singapore', Date.now()),
          senderAccountId: account,
          currency: 'SGD',
          payments: [{ amount: 1234, customerReference: 'WAKE-1', receiver: { name: 'Bob', bank: 'OCBCSGSGXXX', bankAccountNumber: '1234567' } }],
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      const status = await statusAfter('batches', res.json().id as string);
      assert.notEqual(status, 'PROCESSING', `the dispatcher took the batch within ${WOKEN_MS} ms (its idle poll is 60 s)`);
    });
  });
}
