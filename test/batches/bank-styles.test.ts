// Every bank style of the sandbox (BANKS.md §4), end to end through the real workers — the
// dispatcher writes the pain.001, the sandbox file bank answers in the style, the ack reader
// applies its pain.002 files — on SQLite and PostgreSQL: a batch with successes, an ACK2 failure,
// an ACK3 failure and an ACWC; a batch rejected whole; and for nordea a batch rejected after
// acceptance (PmtInfSts RJCT). The outcomes are SPEC §8's in every style; only the files differ.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import { messageIdOf } from '../../src/batches/dispatcher.ts';
import { STYLES, SANDBOX_STYLES, reasonsIn } from '../../src/sandbox-bank/styles.ts';
import type { SandboxStyle } from '../../src/sandbox-bank/styles.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

const DELAY = 1000;
/** A Friday: 000000003's next business day is Monday 2026-03-16. */
const PAYMENT_DATE = '2026-03-13';

/** How payrail words a failure: the bank's texts (one line each, in order), else the ISO code's meaning. */
const ISO_MEANING: Record<string, string> = {
  AC01: 'Incorrect account number',
  AC04: 'Closed account number',
  FF01: 'Invalid file format',
  AM04: 'Insufficient funds',
};
function messageFor(style: SandboxStyle, code: string): string {
  const texts = STYLES[style].texts?.[code];
  return texts ? texts.join(' ') : ISO_MEANING[code]!;
}

/** The bank statuses in the history of the payment that fails at ACK3 (000000001), per style. */
const HISTORY: Record<SandboxStyle, string[]> = {
  textbook: ['ACTC', 'ACCP', 'RJCT'],
  jpm: ['ACTC', 'ACSP', 'RJCT'],
  gs: ['ACCP', 'RJCT'],
  nordea: ['ACTC', 'ACCP', 'RJCT'],
  crossriver: ['ACSP', 'RJCT'],
};

type Event = { id: string; type: string; data: { id: string } };

for (const kind of databaseKinds()) {
  for (const style of SANDBOX_STYLES) {
    describe(`bank style ${style}, end to end through the workers (${kind.name})`, { skip: kind.skip }, () => {
      let db: TestDatabase;
      let app: TestApp;
      let now = NOW;
      let dataDir: string;
      let alice: Awaited<ReturnType<TestApp['authed']>>;
      let sg: string;

      before(async () => {
        db = await kind.create();
        dataDir = mkdtempSync(join(tmpdir(), `payrail-${style}-`));
        app = await startTestApp(db, {
          clock: () => now,
          env: { PAYRAIL_DATA_DIR: dataDir, PAYRAIL_SANDBOX_ACK_DELAY_MS: String(DELAY), PAYRAIL_SANDBOX_STYLE: style },
        });
        alice = await app.authed();
        sg = (
          await app.inject({
            method: 'POST',
            url: '/v1/accounts',
            headers: alice.headers,
            payload: { name: 'SG Payroll', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
          })
        ).json().id;
      });
      after(async () => {
        await app?.close();
        await db?.drop();
      });

      /** One ack delay: the sandbox writes what is due, the reader applies it. */
      async function step(ms = DELAY) {
        now += ms;
        await app.payrail.workers.tick();
        await app.payrail.workers.tick();
      }
      // Lower case and `_` in the reference: crossriver sends it back upper-cased without `_`.
      const item = (n: string, account = '0123456789') => ({
        amount: 10_000 + Number(n.slice(-1)),
        customerReference: `pay_${style}_${n}`,
        receiver: { name: `Employee ${n}`, bank: 'OCBCSGSGXXX', bankAccountNumber: account },
      });
      async function createBatch(items: ReturnType<typeof item>[]) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/payment-batches',
          headers: alice.headers,
          payload: { type: 'FAST', paymentDate: PAYMENT_DATE, senderAccountId: sg, currency: 'SGD', payments: items },
        });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { id: string; payments: { id: string }[] };
      }
      const getBatch = async (id: string) => (await app.inject({ method: 'GET', url: `/v1/payment-batches/${id}`, headers: alice.headers })).json();
      const getPayment = async (id: string) => (await app.inject({ method: 'GET', url: `/v1/payments/${id}`, headers: alice.headers })).json();
      async function eventsOf(batch: { id: string; payments: { id: string }[] }): Promise<Event[]> {
        const ids = [batch.id, ...batch.payments.map((p) => p.id)];
        const all = (await app.inject({ method: 'GET', url: '/v1/events?limit=100', headers: alice.headers })).json().data as Event[];
        return all.filter((e) => ids.includes(e.data.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
      }
      /** No acknowledgement file of this batch was moved to the error folder. */
      const nothingSetAside = (batchId: string) => {
        let errors: string[] = [];
        try {
          errors = readdirSync(join(dataDir, 'bank', 'error'));
        } catch {
          // no error folder: nothing was set aside
        }
        assert.deepEqual(
          errors.filter((n) => n.startsWith(messageIdOf(batchId))),
          [],
          'no acknowledgement file set aside',
        );
      };

      it('successes, an ACK2 failure, an ACK3 failure and an ACWC end as SPEC §8 says', async () => {
        const batch = await createBatch([item('a0'), item('a1', '000000000'), item('a2', '000000001'), item('a3', '000000003'), item('a4')]);
        await step(0);
        assert.equal((await getBatch(batch.id)).status, 'SUBMITTED');
        for (let i = 0; i < 3; i++) await step();
        nothingSetAside(batch.id);

        const [ok0, ack2, ack3, acwc, ok4] = await Promise.all(batch.payments.map((p) => getPayment(p.id)));
        for (const ok of [ok0, ok4]) {
          assert.equal(ok.status, 'COMPLETED');
          assert.equal(ok.failure, undefined);
          assert.equal(ok.actualPaymentDate ?? PAYMENT_DATE, PAYMENT_DATE);
        }
        assert.equal(ack2.status, 'FAILED');
        assert.deepEqual(ack2.failure, { stage: 'ACK2', code: 'AC01', message: messageFor(style, 'AC01') });
        assert.equal(ack3.status, 'FAILED');
        assert.deepEqual(ack3.failure, { stage: 'ACK3', code: 'AC04', message: messageFor(style, 'AC04') });
        assert.equal(acwc.status, 'COMPLETED');
        assert.deepEqual([acwc.actualPaymentDate, acwc.bankChargeAmount, acwc.bankChargeCurrency], ['2026-03-16', 500, 'SGD']);

        // Its history shows every bank status with its code, the bank's words and the file it came in.
        const history = (await app.inject({ method: 'GET', url: `/v1/payments/${ack3.id}/events`, headers: alice.headers })).json();
        const bankStatuses = (history.data as { bankStatus?: string; reasonCode?: string; reasonText?: string; bankFileName?: string }[]).filter(
          (c) => c.bankStatus,
        );
        assert.deepEqual(
          bankStatuses.map((c) => c.bankStatus),
          HISTORY[style],
        );
        const last = bankStatuses.at(-1)!;
        assert.deepEqual([last.reasonCode, last.reasonText], ['AC04', STYLES[style].texts?.AC04?.join(' ')]);
        assert.equal(last.bankFileName, `${messageIdOf(batch.id)}.ACK${STYLES[style].settlement.at}.xml`);

        const b = await getBatch(batch.id);
        assert.equal(b.status, 'COMPLETED');
        assert.deepEqual(b.summary, { count: 5, totalAmount: 50_010, processing: 0, submitted: 0, completed: 3, failed: 2 });

        // The seed's order: the batch submitted, then one final event per payment; the ACK2
        // failure is told before the clearing results (it came in an earlier file).
        const events = await eventsOf(batch);
        assert.deepEqual(
          events.slice(0, 2).map((e) => [e.type, e.data.id]),
          [
            ['payment-batches.submitted', batch.id],
            ['payments.failed', ack2.id],
          ],
        );
        assert.deepEqual(
          events
            .slice(2)
            .map((e) => `${e.type} ${e.data.id}`)
            .sort(),
          [`payments.failed ${ack3.id}`, ...[ok0, acwc, ok4].map((p) => `payments.succeeded ${p.id}`)].sort(),
        );

        // Nothing more happens afterwards.
        await step();
        assert.equal((await eventsOf(batch)).length, 6);
      });

      // jpm then reports the clearing as GrpSts ACSC alone, nordea as PmtInfSts ACSC alone: a
      // covering status that also reaches the payment that already failed.
      it('an ACK2 failure and the rest settled: the failure stays at ACK2, the batch COMPLETED', async () => {
        const batch = await createBatch([item('d0'), item('d1', '000000000'), item('d2')]);
        for (let i = 0; i < 4; i++) await step(i === 0 ? 0 : DELAY);
        nothingSetAside(batch.id);
        const [ok0, failed, ok2] = await Promise.all(batch.payments.map((p) => getPayment(p.id)));
        assert.deepEqual([ok0.status, ok2.status], ['COMPLETED', 'COMPLETED']);
        assert.equal(failed.status, 'FAILED');
        assert.deepEqual(failed.failure, { stage: 'ACK2', code: 'AC01', message: messageFor(style, 'AC01') });
        assert.equal((await getBatch(batch.id)).status, 'COMPLETED');
        const events = await eventsOf(batch);
        assert.deepEqual(
          events.map((e) => e.type),
          ['payment-batches.submitted', 'payments.failed', 'payments.succeeded', 'payments.succeeded'],
        );
      });

      it('a batch with 000000002 is rejected whole at ACK1: rejected, then every payment failed', async () => {
        const batch = await createBatch([item('b0'), item('b1', '000000002'), item('b2')]);
        for (let i = 0; i < 4; i++) await step(i === 0 ? 0 : DELAY);
        nothingSetAside(batch.id);
        const b = await getBatch(batch.id);
        assert.equal(b.status, 'FAILED');
        assert.equal(b.summary.failed, 3);
        // The batch's code too (Cross River gives the group reason only as Orgtr: the code the rejected transactions share).
        assert.deepEqual(b.failure, { stage: 'ACK1', code: 'FF01', message: messageFor(style, 'FF01') });
        for (const p of batch.payments) {
          const payment = await getPayment(p.id);
          assert.equal(payment.status, 'FAILED');
          assert.deepEqual(payment.failure, { stage: 'ACK1', code: 'FF01', message: messageFor(style, 'FF01') });
        }
        const events = await eventsOf(batch);
        assert.deepEqual(
          events.map((e) => e.type),
          ['payment-batches.submitted', 'payment-batches.rejected', 'payments.failed', 'payments.failed', 'payments.failed'],
        );
      });

      it('a single payment still goes over the API transport, answered as before', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/payments',
          headers: alice.headers,
          payload: { type: 'FAST', paymentDate: PAYMENT_DATE, senderAccountId: sg, currency: 'SGD', ...item('e0', '000000001') },
        });
        assert.equal(res.statusCode, 202, res.body);
        const files = () => readdirSync(join(dataDir, 'bank', 'outbox')).length;
        const before = files();
        for (let i = 0; i < 4; i++) await step(i === 0 ? 0 : DELAY);
        const payment = await getPayment(res.json().id);
        assert.equal(payment.status, 'FAILED');
        assert.deepEqual(payment.failure, { stage: 'ACK3', code: 'AC04', message: 'Closed account number' });
        assert.equal(files(), before, 'no file for a single payment');
      });

      if (style === 'nordea') {
        it('a batch rejected after acceptance (PmtInfSts RJCT, no transactions): every payment failed, the batch FAILED', async () => {
          const batch = await createBatch([item('c0'), item('c1')]);
          await step(0);
          await step(); // ACK1 ACTC
          // The bank then rejects the whole payment-information block, as Nordea does.
          const rejection = writePain002({
            version: '03',
            messageId: `PMTRJCT-${messageIdOf(batch.id)}`.slice(0, 35),
            createdAt: '2026-03-10T02:00:01Z',
            originalMessageId: messageIdOf(batch.id),
            originalMessageName: 'pain.001.001.09',
            paymentInfoId: batch.id,
            paymentInfo: {
              status: 'RJCT',
              reasons: reasonsIn({ ...STYLES.nordea, texts: { AM04: ['Insufficient funds.', 'Cover the account and send the file again.'] } }, 'AM04'),
            },
            transactions: [],
          });
          writeFileSync(join(dataDir, 'bank', 'inbox', `${messageIdOf(batch.id)}.REJECTED.xml`), rejection);
          await step(0);
          for (let i = 0; i < 2; i++) await step(); // the sandbox's later reports change nothing more
          nothingSetAside(batch.id);
          assert.equal((await getBatch(batch.id)).status, 'FAILED');
          for (const p of batch.payments) {
            const payment = await getPayment(p.id);
            assert.equal(payment.status, 'FAILED');
            assert.deepEqual(payment.failure, { stage: 'ACK2', code: 'AM04', message: 'Insufficient funds. Cover the account and send the file again.' });
          }
          // The payment-information block is the whole batch: rejected as a whole (ack-apply's
          // decision, src/acknowledgements/apply.ts settleBatch), in the seed's order.
          const events = await eventsOf(batch);
          assert.deepEqual(
            events.map((e) => e.type),
            ['payment-batches.submitted', 'payment-batches.rejected', 'payments.failed', 'payments.failed'],
          );
          assert.match(readFileSync(join(dataDir, 'bank', 'archive', `${messageIdOf(batch.id)}.REJECTED.xml`), 'utf8'), /<PmtInfSts>RJCT<\/PmtInfSts>/);
        });
      }
    });
  }
}
