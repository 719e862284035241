// Property (BANKS.md §4, issue #14): for a batch of several payments and the reports a bank would
// send about it — textbook ACK1 → ACK2 → ACK3, J.P. Morgan's ACK and PSRs, Cross River's and Goldman
// Sachs' status reports without an ACK (with echo lines), Nordea's PmtInfSts, a settlement given as a
// covering PmtInfSts or GrpSts ACSC with only the exceptions listed — reading the same reports in any order,
// and any of them twice (the same bytes, or the same report re-sent as UTF-16), ends in the same
// final state: payment statuses, failure codes and stages, charges and dates, the batch status, and
// exactly one payments.succeeded or payments.failed per payment.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { reportXml, startBank } from './builders.ts';
import type { Bank, Report, SentBatch, TxStatus } from './builders.ts';

type Story =
  | { kind: 'ack2-reject'; code: string; text: boolean }
  | { kind: 'settle'; ack2: 'ACCP' | 'ACSP'; ack3: 'ACSC' | 'ACCC'; charge: boolean }
  | { kind: 'ack3-reject'; ack2: 'ACCP' | 'ACSP' | 'PDNG'; code: string }
  | { kind: 'acwc-then'; ack3: 'ACSC' | 'ACWC' }
  | { kind: 'accp-then-acwc' };

type Style = 'textbook' | 'jpm' | 'gs' | 'crossriver' | 'nordea';
/** How the settlement report speaks: per transaction, or a covering PmtInfSts/GrpSts ACSC with only the exceptions listed. */
type Settlement = 'per-transaction' | 'pmtinf-acsc' | 'grp-acsc';
type Outcome = 'accepted' | 'rejected-at-ack1' | 'rejected-after-acceptance';

interface Scenario {
  style: Style;
  settlement: Settlement;
  outcome: Outcome;
  stories: Story[];
  order: number[];
  twice: { index: number; resent: boolean }[];
}

const story: fc.Arbitrary<Story> = fc.oneof(
  fc.record({ kind: fc.constant('ack2-reject' as const), code: fc.constantFrom('AC01', 'BE04', 'RC01'), text: fc.boolean() }),
  fc.record({
    kind: fc.constant('settle' as const),
    ack2: fc.constantFrom('ACCP' as const, 'ACSP' as const),
    ack3: fc.constantFrom('ACSC' as const, 'ACCC' as const),
    charge: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('ack3-reject' as const),
    ack2: fc.constantFrom('ACCP' as const, 'ACSP' as const, 'PDNG' as const),
    code: fc.constantFrom('AC04', 'AM04'),
  }),
  fc.record({ kind: fc.constant('acwc-then' as const), ack3: fc.constantFrom('ACSC' as const, 'ACWC' as const) }),
  fc.record({ kind: fc.constant('accp-then-acwc' as const) }),
);

const PAYMENTS = 3;
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    style: fc.constantFrom<Style>('textbook', 'jpm', 'gs', 'crossriver', 'nordea'),
    settlement: fc.constantFrom<Settlement>('per-transaction', 'pmtinf-acsc', 'grp-acsc'),
    outcome: fc.constantFrom<Outcome>('accepted', 'accepted', 'accepted', 'rejected-at-ack1', 'rejected-after-acceptance'),
    stories: fc.array(story, { minLength: PAYMENTS, maxLength: PAYMENTS }),
    seed: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    twice: fc.array(fc.record({ index: fc.nat(5), resent: fc.boolean() }), { maxLength: 2 }),
  })
  .map(({ seed, ...s }) => ({ ...s, order: seed }));

const NEW_DATE = '2026-03-11';

/** What the bank says about one payment at ACK2 and at ACK3 (undefined: nothing). */
function statusesOf(s: Story, p: { id: string; customerReference: string }): [TxStatus | undefined, TxStatus | undefined] {
  const ids = { instructionId: p.id, endToEndId: p.customerReference };
  switch (s.kind) {
    case 'ack2-reject':
      return [{ ...ids, status: 'RJCT', reasons: [{ code: s.code, ...(s.text && { texts: ['The bank says no'] }) }] }, undefined];
    case 'settle':
      return [
        { ...ids, status: s.ack2 },
        { ...ids, status: s.ack3, ...(s.charge && { charges: [{ amount: '1.25', currency: 'SGD' }] }) },
      ];
    case 'ack3-reject':
      return [
        { ...ids, status: s.ack2 },
        { ...ids, status: 'RJCT', reasons: [{ code: s.code }] },
      ];
    case 'acwc-then':
      return [
        { ...ids, status: 'ACWC', reasons: [{ code: 'DT06' }], requestedDate: NEW_DATE },
        { ...ids, status: s.ack3, requestedDate: NEW_DATE, charges: [{ amount: '5.00', currency: 'SGD' }] },
      ];
    case 'accp-then-acwc':
      return [
        { ...ids, status: 'ACCP' },
        { ...ids, status: 'ACWC', requestedDate: NEW_DATE, charges: [{ amount: '0.50', currency: 'SGD' }] },
      ];
  }
}

/** The reports the bank sends, in the bank's order, each written a minute after the one before. */
function reportsFor(b: SentBatch, sc: Scenario): Report[] {
  let n = 0;
  const report = (r: Omit<Report, 'messageId' | 'originalMessageId' | 'createdAt'>): Report => ({
    ...r,
    messageId: `R${++n}-${b.id.slice(-10)}`,
    originalMessageId: b.messageId,
    createdAt: `2026-03-10T10:0${n}:00Z`,
    version: sc.style === 'nordea' ? '03' : '10',
  });
  const ack1 = (status: string, reasons?: Report['groupReasons']) =>
    report({ groupStatus: status, ...(reasons && { groupReasons: reasons }), paymentInfos: [] });
  if (sc.outcome === 'rejected-at-ack1') return [ack1('RJCT', [{ code: 'FF01' }])];
  if (sc.outcome === 'rejected-after-acceptance') {
    return [
      ack1('ACTC'),
      report({ paymentInfos: [{ id: b.id, status: 'RJCT', reasons: [{ code: 'AM04', texts: ['Insufficient cover'] }], transactions: [] }] }),
    ];
  }
  const steps = b.payments.map((p, i) => statusesOf(sc.stories[i]!, p));
  const reports: Report[] = [];
  if (sc.style === 'textbook' || sc.style === 'jpm' || sc.style === 'nordea') reports.push(ack1('ACTC'));
  for (const stage of [0, 1] as const) {
    let txs = steps.map((s) => s[stage]).filter((t): t is TxStatus => t !== undefined);
    if (stage === 1 && sc.settlement !== 'per-transaction') {
      // A covering ACSC completes every payment still open; only the exceptions (and what carries
      // a charge or date) are listed.
      txs = txs.filter((t) => t.status !== 'ACSC' || t.charges !== undefined || t.requestedDate !== undefined);
      const covering =
        sc.settlement === 'grp-acsc'
          ? { groupStatus: 'ACSC', paymentInfos: [{ id: b.id, transactions: txs }] }
          : { paymentInfos: [{ id: b.id, status: 'ACSC', transactions: txs }] };
      reports.push(report(covering));
      continue;
    }
    if (txs.length === 0) continue;
    // Goldman Sachs repeats a payment as an echo line.
    if (sc.style === 'gs') txs = [...txs, { echo: true }];
    const everyone = txs.length === b.payments.length;
    if (sc.style === 'jpm') reports.push(report({ groupStatus: everyone ? 'ACSP' : 'PART', paymentInfos: [{ id: b.id, transactions: txs }] }));
    else if (sc.style === 'nordea' && stage === 0) {
      // PmtInfSts ACCP; transactions only for the exceptions (the ACCP ones are covered by the block's status).
      reports.push(report({ paymentInfos: [{ id: b.id, status: 'ACCP', transactions: txs.filter((t) => t.status !== 'ACCP') }] }));
    } else reports.push(report({ paymentInfos: [{ id: b.id, transactions: txs }] }));
  }
  return reports;
}

/** UTF-16 LE with a BOM: the same report in other bytes. */
function utf16(xml: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
}

for (const kind of databaseKinds()) {
  describe(`any order of the same reports, any report twice: the same final state (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let bank: Bank;
    before(async () => {
      db = await kind.create();
      bank = await startBank(db);
    });
    after(async () => {
      await bank?.close();
      await db?.drop();
    });

    async function finalState(b: SentBatch) {
      const payments = await Promise.all(
        b.payments.map(async (p) => {
          const x = await bank.payment(p.id);
          return { status: x.status, failure: x.failure, charge: [x.bankChargeAmount, x.bankChargeCurrency], date: x.actualPaymentDate };
        }),
      );
      const events = await bank.events(b.payments.map((p) => p.id));
      const finals = b.payments.map((p) =>
        events.filter(([type, id]) => id === p.id && (type === 'payments.succeeded' || type === 'payments.failed')).map(([type]) => type),
      );
      return { batch: (await bank.batch(b.id)).status, payments, finals };
    }

    async function deliverAll(files: { xml: string; bytes?: Buffer }[]) {
      for (const f of files) await bank.deliver(`${String(++filesCounter.n).padStart(5, '0')}.xml`, f.bytes ?? f.xml);
    }
    const filesCounter = { n: 0 };
    /** Every file in the inbox at once (names in the shuffled order), then passes until it is empty. */
    async function deliverInOnePass(files: { xml: string; bytes?: Buffer }[]) {
      for (const f of files) writeFileSync(join(bank.bankDir('inbox'), `${String(++filesCounter.n).padStart(5, '0')}.xml`), f.bytes ?? f.xml);
      for (let pass = 0; pass < 5 && readdirSync(bank.bankDir('inbox')).length > 0; pass++) await bank.app.payrail.workers.tick();
    }

    it('holds for generated batches and report sets', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (sc) => {
          const inOrder = await bank.sentBatch(PAYMENTS);
          const shuffled = await bank.sentBatch(PAYMENTS);
          const bankOrder = reportsFor(inOrder, sc).map((r) => ({ xml: reportXml(r) }));
          await deliverAll(bankOrder);
          const expected = await finalState(inOrder);

          const reports: { xml: string; bytes?: Buffer }[] = reportsFor(shuffled, sc).map((r) => ({ xml: reportXml(r) }));
          // A permutation from the seed, then some reports again: the same bytes, or re-sent as UTF-16.
          const order = reports
            .map((r, i) => ({ r, key: sc.order[i] ?? 0 }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.r);
          for (const t of sc.twice) {
            const again = reports[t.index % reports.length]!;
            order.splice(t.index % (order.length + 1), 0, t.resent ? { xml: again.xml, bytes: utf16(again.xml) } : again);
          }
          // Read in separate passes, two things are final by design and cannot be undone by an
          // earlier-written report read later: a covering ACSC completes a payment an earlier
          // report rejected, and a PmtInfSts RJCT read before the file's acceptance is an ACK1
          // rejection that is never re-labelled. Read together, they are applied in the bank's order.
          const together = (sc.outcome === 'accepted' && sc.settlement !== 'per-transaction') || sc.outcome === 'rejected-after-acceptance';
          if (together) await deliverInOnePass(order);
          else await deliverAll(order);
          const actual = await finalState(shuffled);

          assert.deepEqual(actual, expected);
          // Every payment reaches a final status with exactly one final event.
          assert.ok(
            expected.payments.every((p) => p.status === 'COMPLETED' || p.status === 'FAILED'),
            JSON.stringify(expected),
          );
          assert.ok(
            expected.finals.every((f) => f.length === 1),
            JSON.stringify(expected.finals),
          );
        }),
        { numRuns: kind.name === 'sqlite' ? 40 : 20 },
      );
    });
  });
}
