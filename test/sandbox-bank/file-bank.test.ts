// The sandbox bank's file side: it reads what payrail writes (V09 and V03) and answers with
// pain.002.001.10 files that validate against the official XSD and that payrail reads back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writePain001 } from '../../src/bank-files/pain001/writer.ts';
import { readPain002 } from '../../src/bank-files/pain002/reader.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import { createBusinessCalendar } from '../../src/calendars/business-calendar.ts';
import { acknowledgement } from '../../src/sandbox-bank/acknowledgements.ts';
import { readPain001 } from '../../src/sandbox-bank/read-pain001.ts';
import { XSD, validateXml } from '../helpers/xsd.ts';

const NOW = Date.parse('2026-03-10T02:00:00Z');
const calendar = createBusinessCalendar();
const receiver = (account: string) => ({ name: 'Receiver', bank: 'OCBCSGSGXXX', bankAccountNumber: account });
const batch = (accounts: string[]) => ({
  messageId: 'PYMTB01TEST-1',
  createdAt: '2026-03-10T02:00:00Z',
  initiatingPartyName: 'Acme',
  batchId: 'pymtb_01TEST',
  rail: 'FAST' as const,
  paymentDate: '2026-03-14',
  debtor: { name: 'Acme SGD', accountNumber: '0123456789', bank: 'DBSSSGSGXXX' },
  payments: accounts.map((a, i) => ({ paymentId: `pymt_${i}`, customerReference: `REF${i}`, amount: 100 + i, currency: 'SGD', receiver: receiver(a) })),
});

for (const version of ['09', '03'] as const) {
  describe(`sandbox bank answering a pain.001.001.${version}`, () => {
    const instruction = readPain001(writePain001(batch(['0123456789', '000000000', '000000001', '000000003']), { version }));

    it('reads the ids, date, rail, and each payment (amount in minor units)', () => {
      assert.equal(instruction.messageName, `pain.001.001.${version}`);
      assert.equal(instruction.messageId, 'PYMTB01TEST-1');
      assert.equal(instruction.batchId, 'PYMTB01TEST', 'PmtInfId: the batch id without its `_`');
      assert.equal(instruction.paymentDate, '2026-03-14');
      assert.equal(instruction.rail, 'FAST');
      assert.deepEqual(
        instruction.payments.map((p) => p.accountNumber),
        ['0123456789', '000000000', '000000001', '000000003'],
      );
      assert.deepEqual(
        instruction.payments.map((p) => p.amount),
        [100, 101, 102, 103],
      );
    });

    it('ACK1, ACK2 and ACK3 validate against pain.002.001.10 and read back as sent', async () => {
      const acks = ([1, 2, 3] as const).map((stage) => acknowledgement('textbook', instruction, stage, NOW, calendar, NOW)!);
      for (const ack of acks) {
        const xml = writePain002(ack);
        assert.deepEqual(await validateXml(xml, XSD['pain.002.001.10']), []);
        const report = readPain002(xml);
        assert.equal(report.originals[0]!.originalMessageId, 'PYMTB01TEST-1');
        assert.equal(report.originals[0]!.originalMessageName, `pain.001.001.${version}`);
      }
      assert.equal(acks[0]!.groupStatus, 'ACTC');
      assert.deepEqual(
        acks[1]!.transactions.map((t) => `${t.status} ${t.reasons?.[0]?.code ?? ''}`.trim()),
        ['ACCP', 'RJCT AC01', 'ACCP', 'ACWC DT06'],
      );
      // 000000000 failed at ACK2: no ACK3 for it.
      assert.deepEqual(
        acks[2]!.transactions.map((t) => t.status),
        ['ACSC', 'RJCT', 'ACWC'],
      );
      const acwc = acks[2]!.transactions[2]!;
      assert.deepEqual(acwc.charge, { amount: 500, currency: 'SGD' });
    });

    it('a batch with 000000002 gets ACK1 RJCT and nothing after', () => {
      const rejected = readPain001(writePain001(batch(['0123456789', '000000002']), { version }));
      assert.equal(acknowledgement('textbook', rejected, 1, NOW, calendar, NOW)!.groupStatus, 'RJCT');
      assert.equal(acknowledgement('textbook', rejected, 2, NOW, calendar, NOW), undefined);
    });
  });
}
