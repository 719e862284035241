// Two instances on one database claim work at the same moment (issue #21 point 1): every item is
// claimed once, and nothing is logged as an error or warning — a lost race is a smaller claim,
// not a failure. On PostgreSQL the claim is one UPDATE … FOR UPDATE SKIP LOCKED on the database's
// clock; on SQLite one UPDATE … RETURNING under the write lock (src/workers/claim.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { SqlBool } from 'kysely';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { systemClock } from '../../src/clock.ts';
import { claimWork } from '../../src/workers/claim.ts';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { SG_ACCOUNT, startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const BATCHES = 16;
const SINGLES = 20;
const PROCESSING = sql<SqlBool>`status = 'PROCESSING'`;

for (const kind of databaseKinds()) {
  describe(`two instances claim work on one ${kind.name} database`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    const logged: { level: number; msg: string; worker?: string; err?: unknown }[] = [];
    const capture = (instance: string) => pino({ level: 'debug', base: { instance } }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    let batchIds: string[] = [];

    before(async () => {
      db = await kind.create();
      // One after the other: each runs the migrations on start.
      // The sandbox answers single payments at once: both instances poll the same answers.
      const env = { PAYRAIL_SANDBOX_ACK_DELAY_MS: '0' };
      a = await startTestApp(db, { logger: capture('a'), env });
      b = await startTestApp(db, { logger: capture('b'), env });
      const alice = await a.authed();
      const account = await a.createAccount(alice.headers, SG_ACCOUNT);
      // FAST runs every day; today in the rail's time zone, not UTC's (a day ahead in the evening).
      const today = todayIn('Asia/Singapore', Date.now());
      for (let i = 0; i < BATCHES; i++) {
        const r = await a.inject({
          method: 'POST',
          url: '/v1/payment-batches',
          headers: alice.headers,
          payload: {
            type: 'FAST',
            paymentDate: today,
            senderAccountId: account,
            currency: 'SGD',
            payments: [{ amount: 100 + i, customerReference: `CLAIM-${i}`, receiver: { name: 'Bob', bank: 'OCBCSGSGXXX', bankAccountNumber: '1234567' } }],
          },
        });
        assert.equal(r.statusCode, 200, r.body);
        batchIds.push(r.json().id);
      }
      batchIds = batchIds.sort();
      for (let i = 0; i < SINGLES; i++) {
        const r = await a.inject({
          method: 'POST',
          url: '/v1/payments',
          headers: alice.headers,
          payload: {
            type: 'FAST',
            paymentDate: today,
            senderAccountId: account,
            currency: 'SGD',
            amount: 500 + i,
            receiver: { name: 'Carol', bank: 'OCBCSGSGXXX', bankAccountNumber: '7654321' },
          },
        });
        assert.equal(r.statusCode, 202, r.body);
      }
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await db?.drop();
    });

    const errorsAndWarnings = () => logged.filter((l) => l.level >= 40);

    it('claims racing from both instances take every batch exactly once', async () => {
      const claimedBy = new Map<string, string[]>();
      const claimer = (app: TestApp, owner: string) => async () => {
        for (;;) {
          const rows = await claimWork(app.payrail.database.db, systemClock, 'batches', { where: PROCESSING, limit: 3, owner, leaseMs: 60_000 });
          if (rows.length === 0) return;
          for (const r of rows) {
            assert.equal(r.lease_owner, owner, 'a claimed row comes back with its new lease');
            claimedBy.set(r.id, [...(claimedBy.get(r.id) ?? []), owner]);
          }
        }
      };
      // Two claimers per instance: four at once, over two connection pools (or two SQLite
      // connections). The process clock: on PostgreSQL the leases are the database's clock's.
      await Promise.all([claimer(a, 'a1')(), claimer(b, 'b1')(), claimer(a, 'a2')(), claimer(b, 'b2')()]);
      assert.deepEqual([...claimedBy.keys()].sort(), batchIds, 'every batch claimed');
      const twice = [...claimedBy].filter(([, owners]) => owners.length > 1);
      assert.deepEqual(twice, [], 'no batch claimed twice');
      assert.ok(new Set([...claimedBy.values()].flat()).size > 1, 'the claims were spread over more than one claimer');
    });

    it('a lease that has run out is claimed again; one still running is not (a test clock moves time on both databases)', async () => {
      let now = Date.now() + 120_000; // past the 60 s leases of the test before
      const clock = () => now;
      const first = await claimWork(a.payrail.database.db, clock, 'batches', { where: PROCESSING, limit: 100, owner: 'late', leaseMs: 10_000 });
      assert.deepEqual(
        first.map((r) => r.id),
        batchIds,
        'every lease of the test before has run out by this clock',
      );
      now += 5_000;
      const early = await claimWork(b.payrail.database.db, clock, 'batches', { where: PROCESSING, limit: 100, owner: 'early', leaseMs: 10_000 });
      assert.equal(early.length, 0, 'leases still running are not taken');
      now += 6_000;
      const expired = await claimWork(b.payrail.database.db, clock, 'batches', { where: PROCESSING, limit: 100, owner: 'after', leaseMs: 10_000 });
      assert.equal(expired.length, BATCHES, 'leases that ran out are taken over');
      // Free them for the workers below (their clock is the real one).
      await a.payrail.database.db.updateTable('batches').set({ lease_owner: null, lease_until: null }).execute();
    });

    // An idle poll outside a transaction reads first: on SQLite it takes no write lock, so another
    // process holding that lock (the webhook delivery process, the CLI) does not keep it waiting.
    if (kind.name === 'sqlite')
      it('a claim that finds no work takes no write lock: it answers at once while another connection holds it', async () => {
        const other = new SQLite(db.url.slice('sqlite:'.length));
        other.pragma('busy_timeout = 0');
        other.exec('begin immediate');
        try {
          const started = performance.now();
          const none = sql<SqlBool>`status = 'NO-SUCH-STATUS'`;
          const rows = await claimWork(a.payrail.database.db, systemClock, 'batches', { where: none, limit: 10, owner: 'idle', leaseMs: 10_000 });
          assert.deepEqual(rows, []);
          // Taking the lock would have waited out busy_timeout (5 s) and then failed with SQLITE_BUSY.
          assert.ok(performance.now() - started < 1000, `answered in ${Math.round(performance.now() - started)} ms`);
        } finally {
          other.exec('rollback');
          other.close();
        }
      });

    // PostgreSQL only: two SQLite instances cannot share one event loop (better-sqlite3 waits for
    // the other's write lock synchronously, blocking the very loop that would release it); on
    // SQLite their claims race in the tests above, and one writer at a time does the rest.
    if (kind.name === 'postgres')
      it('both instances ticking their workers at once submit every batch and payment once, and log no error or warning', async () => {
        const tick = async (app: TestApp) => {
          for (let i = 0; i < 200; i++) {
            const d = app.payrail.database.db;
            const batch = await d.selectFrom('batches').select('id').where('status', '=', 'PROCESSING').executeTakeFirst();
            const single = await d.selectFrom('payments').select('id').where('batch_id', 'is', null).where('status', '!=', 'COMPLETED').executeTakeFirst();
            if (!batch && !single) return;
            await app.payrail.workers.tick();
          }
        };
        // One pass at a time per instance, as its loops run; the two instances race each other.
        await Promise.all([tick(a), tick(b)]);
        const d = a.payrail.database.db;
        const files = await d.selectFrom('bank_files').select('batch_id').where('direction', '=', 'out').execute();
        assert.deepEqual(files.map((f) => f.batch_id).sort(), batchIds, 'one file per batch');
        const submitted = await d.selectFrom('events').select('object_id').where('type', '=', 'payment-batches.submitted').execute();
        assert.deepEqual(submitted.map((e) => e.object_id).sort(), batchIds, 'one payment-batches.submitted per batch');
        const singles = await d.selectFrom('payments').select(['status']).where('batch_id', 'is', null).execute();
        assert.deepEqual(
          singles.map((p) => p.status),
          Array(SINGLES).fill('COMPLETED'),
          'every single payment completed',
        );
        const succeeded = await d.selectFrom('events').select('object_id').where('type', '=', 'payments.succeeded').execute();
        assert.equal(new Set(succeeded.map((e) => e.object_id)).size, succeeded.length, 'one payments.succeeded per payment');
        assert.deepEqual(errorsAndWarnings(), [], 'nothing logged at warn or error');
      });
  });
}
