// Bank statuses as real banks send them (issue #14, BANKS.md §4), through the acknowledgement
// reader on both databases: each behaviour the issue saw lost or refused, now applied.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { reportXml, startBank } from './builders.ts';
import type { Bank, SentBatch } from './builders.ts';
import { fileIdOf } from '../../src/bank-files/pain001/identifiers.ts';

for (const kind of databaseKinds()) {
  describe(`bank statuses as real banks send them (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let bank: Bank;
    let files = 0;
    before(async () => {
      db = await kind.create();
      bank = await startBank(db);
    });
    after(async () => {
      await bank?.close();
      await db?.drop();
    });

    const name = (what: string) => `${String(++files).padStart(3, '0')}-${what}.xml`;
    const ack1 = (b: SentBatch, status = 'ACTC', extra: Partial<Parameters<typeof reportXml>[0]> = {}) =>
      reportXml({ messageId: `ACK1-${files}-${b.id.slice(-8)}`, originalMessageId: b.messageId, groupStatus: status, paymentInfos: [], ...extra });
    const statuses = (
      b: SentBatch,
      txs: Parameters<typeof reportXml>[0]['paymentInfos'][number]['transactions'],
      extra: Partial<Parameters<typeof reportXml>[0]> = {},
    ) =>
      reportXml({
        messageId: `PSR-${files}-${Math.random().toString(36).slice(2, 10)}`,
        originalMessageId: b.messageId,
        paymentInfos: [{ id: b.id, transactions: txs }],
        ...extra,
      });
    const statusesOf = async (b: SentBatch) => Promise.all(b.payments.map(async (p) => (await bank.payment(p.id)).status as string));
    const errorReason = (file: string) => {
      const dir = bank.bankDir('error');
      const reason = readdirSync(dir).find((n) => n.startsWith(file) && n.endsWith('.reason.txt'));
      return reason ? readFileSync(join(dir, reason), 'utf8') : undefined;
    };

    it('a second file under a name seen before but with other content is applied', async () => {
      const b = await bank.sentBatch(2);
      await bank.deliver('REPORT.xml', ack1(b));
      await bank.deliver(
        'REPORT.xml',
        statuses(b, [
          { instructionId: b.payments[0]!.id, endToEndId: b.payments[0]!.customerReference, status: 'ACSC' },
          { instructionId: b.payments[1]!.id, endToEndId: b.payments[1]!.customerReference, status: 'ACSC' },
        ]),
      );
      assert.deepEqual(await statusesOf(b), ['COMPLETED', 'COMPLETED']);
      assert.equal((await bank.batch(b.id)).status, 'COMPLETED');
    });

    it('the same content twice (under another name) is applied once: nothing changes the second time', async () => {
      const b = await bank.sentBatch(1);
      await bank.deliver(name('ack1'), ack1(b));
      const xml = statuses(b, [{ endToEndId: b.payments[0]!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] }]);
      await bank.deliver(name('rjct'), xml);
      const events = await bank.events([b.id, b.payments[0]!.id]);
      const history = await bank.history(b.payments[0]!.id);
      const copy = name('copy');
      await bank.deliver(copy, xml);
      assert.deepEqual(await bank.events([b.id, b.payments[0]!.id]), events);
      assert.deepEqual(await bank.history(b.payments[0]!.id), history);
      assert.ok(existsSync(join(bank.bankDir('archive'), copy)), 'the copy is archived, not set aside');
    });

    it("a status report without a separate ACK1 counts as the file's acceptance (J.P. Morgan PSR with GrpSts ACSP)", async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(
        name('jpm-psr'),
        statuses(
          b,
          [
            { instructionId: p!.id, endToEndId: p!.customerReference, status: 'ACSC' },
            { instructionId: q!.id, endToEndId: q!.customerReference, status: 'RJCT', reasons: [{ code: 'AC04' }] },
          ],
          { groupStatus: 'ACSP' },
        ),
      );
      assert.deepEqual(await statusesOf(b), ['COMPLETED', 'FAILED']);
      // The group's ACSP is no status of q's own: q's validation never passed, so its rejection is ACK2.
      assert.deepEqual((await bank.payment(q!.id)).failure, { stage: 'ACK2', code: 'AC04', message: 'Closed account number' });
      assert.equal((await bank.batch(b.id)).status, 'COMPLETED');
    });

    it('Cross River: transaction statuses without any group status are applied (no ACK before them)', async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(
        name('crossriver'),
        statuses(b, [
          { endToEndId: p!.customerReference, status: 'ACCP' },
          { endToEndId: q!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] },
        ]),
      );
      assert.deepEqual(await statusesOf(b), ['SUBMITTED', 'FAILED']);
      assert.deepEqual((await bank.payment(q!.id)).failure, { stage: 'ACK2', code: 'AC01', message: 'Incorrect account number' });
      await bank.deliver(name('crossriver-2'), statuses(b, [{ endToEndId: p!.customerReference, status: 'ACSC' }]));
      assert.equal((await bank.batch(b.id)).status, 'COMPLETED');
    });

    it('Nordea: PmtInfSts RJCT with no transactions after ACK1 fails every payment, with the bank text', async () => {
      const b = await bank.sentBatch(3);
      await bank.deliver(name('ack1'), ack1(b));
      await bank.deliver(
        name('nordea'),
        reportXml({
          messageId: `NDEA-${files}`,
          originalMessageId: b.messageId,
          paymentInfos: [
            { id: b.id, status: 'RJCT', reasons: [{ originator: 'NDEAFIHH', code: 'AM04', texts: ['Insufficient cover on 2026-03-10'] }], transactions: [] },
          ],
          version: '03',
        }),
      );
      assert.deepEqual(await statusesOf(b), ['FAILED', 'FAILED', 'FAILED']);
      assert.deepEqual((await bank.payment(b.payments[0]!.id)).failure, { stage: 'ACK2', code: 'AM04', message: 'Insufficient cover on 2026-03-10' });
      const batch = await bank.batch(b.id);
      assert.equal(batch.status, 'FAILED');
      // Rejected after acceptance: the batch failed at the stage its payments did, not ACK1.
      assert.deepEqual(batch.failure, { stage: 'ACK2', code: 'AM04', message: 'Insufficient cover on 2026-03-10' });
      const events = (await bank.events([b.id, ...b.payments.map((p) => p.id)])).map(([type]) => type);
      assert.deepEqual(events, ['payment-batches.submitted', 'payment-batches.rejected', 'payments.failed', 'payments.failed', 'payments.failed']);
    });

    it('GrpSts RJCT after ACTC is applied (not set aside): every open payment fails at ACK2', async () => {
      const b = await bank.sentBatch(2);
      await bank.deliver(name('ack1'), ack1(b));
      await bank.deliver(name('pdng'), ack1(b, 'PDNG'));
      const rejected = name('grp-rjct');
      await bank.deliver(rejected, ack1(b, 'RJCT', { groupReasons: [{ code: 'DUPL', texts: ['File already processed'] }] }));
      assert.equal(errorReason(rejected), undefined, 'not set aside');
      assert.deepEqual(await statusesOf(b), ['FAILED', 'FAILED']);
      assert.deepEqual((await bank.payment(b.payments[1]!.id)).failure, { stage: 'ACK2', code: 'DUPL', message: 'File already processed' });
      assert.equal((await bank.batch(b.id)).status, 'FAILED');
    });

    it('a later GrpSts ACSC completes every payment still open', async () => {
      const b = await bank.sentBatch(3);
      const [p, q] = b.payments;
      await bank.deliver(name('ack1'), ack1(b));
      await bank.deliver(
        name('ack2'),
        statuses(b, [
          { endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] },
          { endToEndId: q!.customerReference, status: 'ACCP' },
        ]),
      );
      await bank.deliver(name('grp-acsc'), ack1(b, 'ACSC'));
      assert.deepEqual(await statusesOf(b), ['FAILED', 'COMPLETED', 'COMPLETED']);
      assert.equal((await bank.batch(b.id)).status, 'COMPLETED');
    });

    it('files read in one pass are applied in the order the bank wrote them (CreDtTm), not by name: a covering ACSC does not complete a payment an earlier report rejected', async () => {
      for (const covering of ['group', 'paymentInfo'] as const) {
        const b = await bank.sentBatch(2);
        const [p, q] = b.payments;
        await bank.deliver(name('ack1'), ack1(b, 'ACTC', { createdAt: '2026-03-10T09:00:00Z' }));
        // Both in the inbox at once; the covering one's name sorts first, but the bank wrote it later.
        const acsc =
          covering === 'group'
            ? ack1(b, 'ACSC', { messageId: `GRP-ACSC-${files}`, createdAt: '2026-03-10T12:00:00Z' })
            : reportXml({
                messageId: `PMT-ACSC-${files}`,
                originalMessageId: b.messageId,
                createdAt: '2026-03-10T12:00:00Z',
                paymentInfos: [{ id: b.id, status: 'ACSC', transactions: [] }],
              });
        writeFileSync(join(bank.bankDir('inbox'), `A-${files}-covering.xml`), acsc);
        writeFileSync(
          join(bank.bankDir('inbox'), `B-${files}-rjct.xml`),
          statuses(b, [{ endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] }], { createdAt: '2026-03-10T10:00:00Z' }),
        );
        files++;
        await bank.app.payrail.workers.tick();
        assert.deepEqual(await statusesOf(b), ['FAILED', 'COMPLETED'], covering);
        assert.equal((await bank.payment(p!.id)).failure.code, 'AC01');
        assert.equal((await bank.payment(q!.id)).failure, undefined);
        assert.equal((await bank.batch(b.id)).status, 'COMPLETED');
      }
    });

    it("a later PmtInfSts ACSC covering the payments still open does not lift a failed payment's stage (Nordea)", async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(name('ack1'), ack1(b));
      await bank.deliver(
        name('nordea-accp'),
        reportXml({
          messageId: `NDEA-A-${files}`,
          originalMessageId: b.messageId,
          paymentInfos: [{ id: b.id, status: 'ACCP', transactions: [{ endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] }] }],
          version: '03',
        }),
      );
      await bank.deliver(
        name('nordea-acsc'),
        reportXml({
          messageId: `NDEA-B-${files}`,
          originalMessageId: b.messageId,
          paymentInfos: [{ id: b.id, status: 'ACSC', transactions: [] }],
          version: '03',
        }),
      );
      assert.deepEqual(await statusesOf(b), ['FAILED', 'COMPLETED']);
      assert.deepEqual((await bank.payment(p!.id)).failure, { stage: 'ACK2', code: 'AC01', message: 'Incorrect account number' });
      assert.equal((await bank.payment(q!.id)).failure, undefined);
    });

    it('ACK1 RJCT before acceptance: batch FAILED, payment-batches.rejected, then payments.failed each (stage ACK1)', async () => {
      const b = await bank.sentBatch(2);
      await bank.deliver(name('ack1-rjct'), ack1(b, 'RJCT', { groupReasons: [{ code: 'FF01' }] }));
      assert.deepEqual(await statusesOf(b), ['FAILED', 'FAILED']);
      assert.deepEqual((await bank.payment(b.payments[0]!.id)).failure, { stage: 'ACK1', code: 'FF01', message: 'Invalid file format' });
      const batch = await bank.batch(b.id);
      assert.deepEqual([batch.status, batch.failure?.code], ['FAILED', 'FF01']);
      const events = await bank.events([b.id, ...b.payments.map((p) => p.id)]);
      assert.deepEqual(
        events.map(([type]) => type),
        ['payment-batches.submitted', 'payment-batches.rejected', 'payments.failed', 'payments.failed'],
      );
    });

    it('a first report with PmtInfSts RJCT and TxSts RJCT lines (no GrpSts) is a rejection of the file, not its acceptance', async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(
        name('pmtinf-rjct'),
        reportXml({
          messageId: `PMT-RJCT-${files}`,
          originalMessageId: b.messageId,
          paymentInfos: [
            {
              id: b.id,
              status: 'RJCT',
              reasons: [{ code: 'FF01' }],
              transactions: [
                { endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] },
                { endToEndId: q!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] },
              ],
            },
          ],
        }),
      );
      assert.deepEqual(await statusesOf(b), ['FAILED', 'FAILED']);
      assert.equal((await bank.payment(p!.id)).failure.stage, 'ACK1');
      assert.equal((await bank.payment(q!.id)).failure.stage, 'ACK1');
      assert.equal((await bank.batch(b.id)).status, 'FAILED');
      const events = await bank.events([b.id, ...b.payments.map((x) => x.id)]);
      assert.deepEqual(
        events.map(([type]) => type),
        ['payment-batches.submitted', 'payment-batches.rejected', 'payments.failed', 'payments.failed'],
      );
    });

    it('a batch rejected at ACK1 is never re-labelled by a later report: no acceptance inferred, failure stages stay ACK1', async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(name('ack1-rjct'), ack1(b, 'RJCT', { groupReasons: [{ code: 'FF01' }], createdAt: '2026-03-10T09:00:00Z' }));
      const batchBefore = await bank.batch(b.id);
      // A report the bank wrote earlier but payrail read later, with transaction statuses (a PSR).
      await bank.deliver(
        name('late-psr'),
        statuses(
          b,
          [
            { endToEndId: p!.customerReference, status: 'ACSP' },
            { endToEndId: q!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] },
          ],
          { createdAt: '2026-03-10T08:00:00Z' },
        ),
      );
      for (const x of [p!, q!]) assert.deepEqual((await bank.payment(x.id)).failure, { stage: 'ACK1', code: 'FF01', message: 'Invalid file format' });
      assert.deepEqual(await bank.batch(b.id), batchBefore);
      const row = await bank.app.payrail.database.db.selectFrom('batches').select('bank_stage').where('id', '=', b.id).executeTakeFirstOrThrow();
      assert.notEqual(row.bank_stage, 'ACK1', 'not recorded as accepted');
    });

    it('PmtInfSts RJCT after a payment already failed on its own: the batch ends FAILED with no payment-batches.rejected after that payments.failed', async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(name('ack1'), ack1(b));
      await bank.deliver(name('own-rjct'), statuses(b, [{ endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] }]));
      await bank.deliver(
        name('pmtinf-rjct'),
        reportXml({
          messageId: `PMT-RJCT-${files}`,
          originalMessageId: b.messageId,
          paymentInfos: [{ id: b.id, status: 'RJCT', reasons: [{ code: 'AM04' }], transactions: [] }],
        }),
      );
      assert.deepEqual(await statusesOf(b), ['FAILED', 'FAILED']);
      assert.equal((await bank.payment(q!.id)).failure.code, 'AM04');
      const batch = await bank.batch(b.id);
      assert.equal(batch.status, 'FAILED');
      const events = await bank.events([b.id, p!.id, q!.id]);
      assert.deepEqual(events, [
        ['payment-batches.submitted', b.id],
        ['payments.failed', p!.id],
        ['payments.failed', q!.id],
      ]);
    });

    it("a TxSts RJCT with its own code but no text does not take the text of a GrpSts PART or PmtInfSts ACCP; it does take a rejection's", async () => {
      const b = await bank.sentBatch(3);
      const [p, q, r] = b.payments;
      await bank.deliver(
        name('part'),
        statuses(b, [{ endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] }], {
          groupStatus: 'PART',
          groupReasons: [{ texts: ['Some payments of the file were rejected'] }],
        }),
      );
      assert.deepEqual((await bank.payment(p!.id)).failure, { stage: 'ACK2', code: 'AC01', message: 'Incorrect account number' });
      await bank.deliver(
        name('accp'),
        reportXml({
          messageId: `PMT-ACCP-${files}`,
          originalMessageId: b.messageId,
          paymentInfos: [
            {
              id: b.id,
              status: 'ACCP',
              reasons: [{ texts: ['Accepted for processing'] }],
              transactions: [{ endToEndId: q!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] }],
            },
          ],
        }),
      );
      assert.deepEqual((await bank.payment(q!.id)).failure, { stage: 'ACK2', code: 'AC01', message: 'Incorrect account number' });
      await bank.deliver(
        name('rjct'),
        reportXml({
          messageId: `PMT-RJCT-${files}`,
          originalMessageId: b.messageId,
          paymentInfos: [
            {
              id: b.id,
              status: 'RJCT',
              reasons: [{ texts: ['Rejected by the bank'] }],
              transactions: [{ endToEndId: r!.customerReference, status: 'RJCT', reasons: [{ code: 'AC04' }] }],
            },
          ],
        }),
      );
      assert.deepEqual((await bank.payment(r!.id)).failure, { stage: 'ACK3', code: 'AC04', message: 'Rejected by the bank' });
    });

    it('an OrgnlMsgId that is present but unknown sets the file aside (no fallback to OrgnlPmtInfId); with none, OrgnlPmtInfId finds the batch', async () => {
      const b = await bank.sentBatch(1);
      const [p] = b.payments;
      const txs = [{ endToEndId: p!.customerReference, status: 'ACSC' }];
      const unknown = name('unknown-msg');
      await bank.deliver(unknown, statuses(b, txs, { originalMessageId: 'NOT-SENT-BY-PAYRAIL' }));
      assert.deepEqual(await statusesOf(b), ['SUBMITTED']);
      assert.match(errorReason(unknown) ?? '', /unknown original message 'NOT-SENT-BY-PAYRAIL'/);
      await bank.deliver(name('no-msg'), reportXml({ messageId: `NO-MSG-${files}`, paymentInfos: [{ id: b.id, transactions: txs }] }));
      assert.deepEqual(await statusesOf(b), ['COMPLETED']);
    });

    it('with no OrgnlMsgId, the PmtInfId as the file carries it (PYMTB01J…, no `_`) finds the batch, and the InstrId its payment', async () => {
      const b = await bank.sentBatch(1);
      const [p] = b.payments;
      await bank.deliver(
        name('no-msg-file-ids'),
        reportXml({
          messageId: `NO-MSG-IDS-${files}`,
          paymentInfos: [{ id: fileIdOf(b.id), transactions: [{ instructionId: fileIdOf(p!.id), status: 'ACSC' }] }],
        }),
      );
      assert.deepEqual(await statusesOf(b), ['COMPLETED']);
    });

    it('echo entries holding only OrgnlTxRef are ignored; the RJCT in the same file is applied', async () => {
      const b = await bank.sentBatch(2);
      const [p] = b.payments;
      const file = name('echo');
      await bank.deliver(
        file,
        statuses(b, [{ echo: true }, { instructionId: p!.id, endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] }, { echo: true }], {
          version: '03',
        }),
      );
      assert.equal(errorReason(file), undefined);
      assert.deepEqual(await statusesOf(b), ['FAILED', 'SUBMITTED']);
    });

    it('matching falls back between OrgnlInstrId and OrgnlEndToEndId, upper-cased and without `_`', async () => {
      const b = await bank.sentBatch(4);
      const [p, q, r, s] = b.payments;
      await bank.deliver(
        name('matching'),
        statuses(b, [
          { instructionId: p!.id.toUpperCase().replaceAll('_', ''), status: 'ACSC' }, // the payment id, mangled
          { endToEndId: q!.customerReference.replaceAll('_', '').toLowerCase(), status: 'ACSC' }, // the reference, mangled
          { instructionId: r!.customerReference, status: 'ACSC' }, // the reference where the id belongs
          { instructionId: 'SOMETHING-ELSE', endToEndId: s!.customerReference.toUpperCase(), status: 'ACSC' }, // an unknown id, a known reference
        ]),
      );
      assert.deepEqual(await statusesOf(b), ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    });

    it('two payments whose references normalise alike are not guessed at: the file is set aside', async () => {
      const b = await bank.sentBatch(2, [`A_B${files}`, `AB${files}`]);
      const file = name('ambiguous');
      await bank.deliver(file, statuses(b, [{ endToEndId: `ab${files - 1}`, status: 'ACSC' }]));
      assert.match(errorReason(file) ?? '', /several payments/);
      assert.deepEqual(await statusesOf(b), ['SUBMITTED', 'SUBMITTED']);
    });

    it('a status naming no payment of the batch sets the whole file aside, with the reason; nothing of it applies', async () => {
      const b = await bank.sentBatch(2);
      const file = name('unknown-payment');
      await bank.deliver(
        file,
        statuses(b, [
          { endToEndId: b.payments[0]!.customerReference, status: 'RJCT' },
          { endToEndId: 'NOBODY', status: 'ACSC' },
        ]),
      );
      assert.match(errorReason(file) ?? '', /NOBODY.*names no payment of the batch/);
      assert.deepEqual(await statusesOf(b), ['SUBMITTED', 'SUBMITTED']);
    });

    it("reason texts are kept: failure.message is the bank's AddtlInf; a group reason given only as Orgtr falls back to the transaction's code", async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(
        name('texts'),
        statuses(
          b,
          [
            { endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC01', texts: ['Account 0123456789', 'does not exist'] }] },
            { endToEndId: q!.customerReference, status: 'RJCT', reasons: [{ code: 'BE04' }] },
          ],
          { groupStatus: 'PART', groupReasons: [{ originator: 'DBSSSGSGXXX' }] },
        ),
      );
      assert.deepEqual((await bank.payment(p!.id)).failure, { stage: 'ACK2', code: 'AC01', message: 'Account 0123456789 does not exist' });
      assert.deepEqual((await bank.payment(q!.id)).failure, { stage: 'ACK2', code: 'BE04', message: 'Missing creditor address' });
    });

    it('a charge reported with ACSC is kept; a date that only echoes the requested one is no change', async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(
        name('acsc-charges'),
        statuses(b, [
          { endToEndId: p!.customerReference, status: 'ACSC', charges: [{ amount: '2.50', currency: 'SGD' }], requestedDate: '2026-03-10' },
          { endToEndId: q!.customerReference, status: 'ACSC', requestedDate: '2026-03-11' },
        ]),
      );
      const paid = await bank.payment(p!.id);
      assert.deepEqual([paid.status, paid.bankChargeAmount, paid.bankChargeCurrency, paid.actualPaymentDate], ['COMPLETED', 250, 'SGD', undefined]);
      assert.equal((await bank.payment(q!.id)).actualPaymentDate, '2026-03-11');
    });

    it('ACWC completes a payment whose validation another report passed; the same ACWC report re-sent in other bytes does not', async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      const acwc = reportXml({
        messageId: `ACWC-${files}`,
        originalMessageId: b.messageId,
        paymentInfos: [
          { id: b.id, transactions: [{ endToEndId: p!.customerReference, status: 'ACWC', reasons: [{ code: 'DT06' }], requestedDate: '2026-03-12' }] },
        ],
      });
      await bank.deliver(name('acwc'), acwc);
      await bank.deliver(name('acwc-crlf'), acwc.replaceAll('><', '>\r\n<'));
      const changed = await bank.payment(p!.id);
      assert.deepEqual([changed.status, changed.actualPaymentDate], ['SUBMITTED', '2026-03-12']);
      await bank.deliver(name('accp'), statuses(b, [{ endToEndId: q!.customerReference, status: 'ACCP' }]));
      await bank.deliver(name('acwc-q'), statuses(b, [{ endToEndId: q!.customerReference, status: 'ACWC', charges: [{ amount: '5', currency: 'SGD' }] }]));
      const settled = await bank.payment(q!.id);
      assert.deepEqual([settled.status, settled.bankChargeAmount], ['COMPLETED', 500]);
    });

    it('CANC, BLCK and codes payrail does not know do not set a real file aside', async () => {
      const b = await bank.sentBatch(3);
      const [p, q, r] = b.payments;
      const file = name('odd-codes');
      await bank.deliver(
        file,
        statuses(b, [
          { endToEndId: p!.customerReference, status: 'CANC', reasons: [{ code: 'DS02' }] },
          { endToEndId: q!.customerReference, status: 'BLCK' },
          { endToEndId: r!.customerReference, status: 'XYZW' },
        ]),
      );
      assert.equal(errorReason(file), undefined);
      assert.deepEqual(await statusesOf(b), ['FAILED', 'FAILED', 'SUBMITTED']);
      assert.deepEqual((await bank.payment(p!.id)).failure, { stage: 'ACK2', code: 'DS02', message: 'Order cancelled' });
      const unknown = (await bank.history(r!.id)).at(-1)!;
      assert.deepEqual([unknown.bankStatus, unknown.status], ['XYZW', 'SUBMITTED']);
    });

    it('a rejection of a COMPLETED payment would move a final payment: the file is set aside with the reason, nothing in it applied', async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(name('acsc'), statuses(b, [{ endToEndId: p!.customerReference, status: 'ACSC' }]));
      const historyBefore = (await bank.history(p!.id)).length;
      const file = name('late-rjct');
      await bank.deliver(
        file,
        statuses(b, [
          { endToEndId: p!.customerReference, status: 'RJCT', reasons: [{ code: 'AC04' }] },
          { endToEndId: q!.customerReference, status: 'ACSC' },
        ]),
      );
      assert.match(errorReason(file) ?? '', new RegExp(`payment ${p!.id} is COMPLETED: the bank's RJCT for it would move a final payment`));
      assert.equal((await bank.payment(p!.id)).status, 'COMPLETED');
      assert.equal((await bank.history(p!.id)).length, historyBefore, 'nothing recorded for it');
      assert.equal((await bank.payment(q!.id)).status, 'SUBMITTED', 'the rest of that file is not applied either');
      assert.equal((await bank.events([p!.id])).length, 1, 'one payments.succeeded, nothing more');
    });

    it('a rejection of the whole group after a payment COMPLETED leaves that payment COMPLETED and fails the open ones', async () => {
      const b = await bank.sentBatch(2);
      const [p, q] = b.payments;
      await bank.deliver(name('acsc'), statuses(b, [{ endToEndId: p!.customerReference, status: 'ACSC' }]));
      const file = name('group-rjct');
      await bank.deliver(file, ack1(b, 'RJCT'));
      assert.equal(errorReason(file), undefined, 'applied, not set aside');
      assert.equal((await bank.payment(p!.id)).status, 'COMPLETED');
      assert.equal((await bank.payment(q!.id)).status, 'FAILED');
    });

    it("a payment's history shows every bank status with its code, text, level and the file it came from", async () => {
      const b = await bank.sentBatch(1);
      const [p] = b.payments;
      const first = name('ack1');
      const second = name('pdng');
      const third = name('acsp');
      await bank.deliver(first, ack1(b));
      await bank.deliver(second, statuses(b, [{ endToEndId: p!.customerReference, status: 'PDNG', reasons: [{ code: 'NARR', texts: ['Compliance check'] }] }]));
      await bank.deliver(third, statuses(b, [{ endToEndId: p!.customerReference, status: 'ACSP' }]));
      const history = (await bank.history(p!.id)).filter((h) => h.bankStatus);
      assert.deepEqual(
        history.map((h) => [h.stage, h.bankStatus, h.reasonCode, h.reasonText, h.level, h.bankFileName, h.status]),
        [
          ['ACK1', 'ACTC', undefined, undefined, 'group', first, 'SUBMITTED'],
          ['ACK2', 'PDNG', 'NARR', 'Compliance check', 'transaction', second, 'SUBMITTED'],
          ['ACK2', 'ACSP', undefined, undefined, 'transaction', third, 'SUBMITTED'],
        ],
      );
      assert.ok(history.every((h) => typeof h.bankFileId === 'string'));
    });
  });
}
