import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ackChangesOf, readPain002 } from '../../src/bank-files/pain002/reader.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import type { Pain002Ack, Pain002AckTransaction } from '../../src/bank-files/pain002/writer.ts';
import { validateXml, XSD } from '../helpers/xsd.ts';

const BASE = { messageId: 'ACK2-PAYRAIL-PYMTB01JQ-1', createdAt: '2026-03-10T03:00:00Z', originalMessageId: 'PAYRAIL-PYMTB01JQ-1', originalMessageName: 'pain.001.001.09', paymentInfoId: 'pymtb_01JQ1' } as const;

const ACK2: Pain002Ack = {
  ...BASE,
  transactions: [
    { instructionId: 'pymt_1', endToEndId: 'REF1', status: 'ACCP' },
    { instructionId: 'pymt_2', endToEndId: 'REF2', status: 'RJCT', reason: 'AC01' },
    { instructionId: 'pymt_3', endToEndId: 'REF3', status: 'ACWC', reason: 'DT06', actualPaymentDate: '2026-03-12' },
  ],
};
const ACK3: Pain002Ack = {
  ...BASE,
  messageId: 'ACK3-PAYRAIL-PYMTB01JQ-1',
  bankBic: 'HSBCHKHHHKH',
  transactions: [
    { instructionId: 'pymt_1', endToEndId: 'REF1', status: 'ACSC' },
    { instructionId: 'pymt_3', endToEndId: 'REF3', status: 'ACWC', reason: 'DT06', actualPaymentDate: '2026-03-13', charge: { amount: 1050, currency: 'HKD' } },
    { instructionId: 'pymt_4', endToEndId: 'REF4', status: 'RJCT', reason: 'AC04' },
    { instructionId: 'pymt_5', endToEndId: 'REF5', status: 'ACWC', charge: { amount: 1250, currency: 'BHD' } },
  ],
};

describe('pain.002 writer: valid pain.002.001.10', () => {
  const cases: Record<string, Pain002Ack> = {
    'ACK1 accepted': { ...BASE, groupStatus: 'ACTC', transactions: [] },
    'ACK1 rejected with a reason': { ...BASE, groupStatus: 'RJCT', groupReason: 'FF01', transactions: [] },
    'ACK2 with ACCP, RJCT AC01 and ACWC DT06 with its date': ACK2,
    'ACK3 with charges (with and without the bank BIC) and a proprietary reason': {
      ...ACK3,
      transactions: [...ACK3.transactions, { instructionId: 'pymt_6', endToEndId: 'REF6', status: 'RJCT', reason: 'BANK-SPECIFIC-42' }],
    },
    'ACK3 charge without the bank BIC': { ...ACK3, bankBic: undefined },
  };
  for (const [name, ack] of Object.entries(cases)) {
    it(name, async () => assert.deepEqual(await validateXml(writePain002(ack), XSD['pain.002.001.10']), []));
  }

  it('ACK1 carries the group status only', () => {
    const xml = writePain002({ ...BASE, groupStatus: 'RJCT', groupReason: 'FF01', transactions: [] });
    assert.match(xml, /<GrpSts>RJCT<\/GrpSts><StsRsnInf><Rsn><Cd>FF01<\/Cd><\/Rsn><\/StsRsnInf><\/OrgnlGrpInfAndSts>/);
    assert.doesNotMatch(xml, /OrgnlPmtInfAndSts|TxInfAndSts/);
  });

  it('ACWC: the date in OrgnlTxRef/ReqdExctnDt/Dt, the charge in ChrgsInf', () => {
    const xml = writePain002(ACK3);
    assert.match(xml, /<ChrgsInf><Amt Ccy="HKD">10.50<\/Amt><Agt><FinInstnId><BICFI>HSBCHKHHHKH<\/BICFI><\/FinInstnId><\/Agt><\/ChrgsInf><OrgnlTxRef><ReqdExctnDt><Dt>2026-03-13<\/Dt><\/ReqdExctnDt><\/OrgnlTxRef>/);
    assert.match(xml, /<Amt Ccy="BHD">1.250<\/Amt>/);
  });

  it('refuses what the schema cannot carry', () => {
    assert.throws(() => writePain002({ ...ACK2, paymentInfoId: undefined }), /paymentInfoId/);
    assert.throws(() => writePain002({ ...ACK2, transactions: [{ instructionId: 'p', endToEndId: 'e', status: 'ACCEPTED' }] }), /TxSts/);
    assert.throws(() => writePain002({ ...ACK2, transactions: [{ instructionId: 'p', endToEndId: 'e', status: 'ACWC', actualPaymentDate: '13/03/2026' }] }), /actualPaymentDate/);
    assert.throws(() => writePain002({ ...ACK2, transactions: [{ instructionId: 'p', endToEndId: 'e', status: 'ACWC', charge: { amount: 10.5, currency: 'HKD' } }] }), /charge/);
  });
});

describe('pain.002 round trip: what the writer says, the reader reads back', () => {
  function readBack(ack: Pain002Ack) {
    const [original] = readPain002(writePain002(ack)).originals;
    return original!.transactions.map((t) => ({
      instructionId: t.originalInstructionId!,
      endToEndId: t.originalEndToEndId!,
      status: t.status!,
      ...(t.reasons[0] && { reason: t.reasons[0] }),
      ...ackChangesOf(t),
    }));
  }
  const expected = (transactions: Pain002AckTransaction[]) =>
    transactions.map(({ actualPaymentDate, ...t }) => ({ ...t, ...(t.status === 'ACWC' && actualPaymentDate && { actualPaymentDate }) }));

  it('ACK2 and ACK3', () => {
    assert.deepEqual(readBack(ACK2), expected(ACK2.transactions));
    assert.deepEqual(readBack(ACK3), expected(ACK3.transactions));
  });

  it('ACK1: group status, reason and original message', () => {
    const report = readPain002(writePain002({ ...BASE, groupStatus: 'RJCT', groupReason: 'AM10', transactions: [] }));
    assert.deepEqual(report.originals, [{ originalMessageId: BASE.originalMessageId, originalMessageName: 'pain.001.001.09', groupStatus: 'RJCT', groupReasons: ['AM10'], groupReasonTexts: [], paymentInfos: [], transactions: [] }]);
    assert.equal(report.messageId, BASE.messageId);
    assert.deepEqual(report.warnings, []);
  });

  it('property: any statuses, ids with XML-special characters, charges in any exponent', () => {
    const id = fc.string({ minLength: 1, maxLength: 35, unit: fc.constantFrom('a', 'Z', '0', '&', '<', '>', '"', "'", '-', '/', ' ', '界') }).filter((s) => s.trim() === s);
    const tx = fc.record(
      {
        instructionId: id,
        endToEndId: id,
        status: fc.constantFrom('ACCP', 'ACSP', 'PDNG', 'ACSC', 'ACCC', 'ACWC', 'RJCT'),
        reason: fc.constantFrom('AC01', 'AC04', 'DT06', 'AM04', 'NARR'),
        actualPaymentDate: fc.constantFrom('2026-03-12', '2026-12-31', '2027-01-04'),
        charge: fc.record({ amount: fc.nat({ max: Number.MAX_SAFE_INTEGER }), currency: fc.constantFrom('HKD', 'SGD', 'JPY', 'BHD', 'CLF') }, { noNullPrototype: true }),
      },
      { requiredKeys: ['instructionId', 'endToEndId', 'status'], noNullPrototype: true },
    );
    fc.assert(
      fc.property(fc.array(tx, { minLength: 1, maxLength: 20 }), (transactions) => {
        const ack = { ...BASE, transactions };
        assert.deepEqual(readBack(ack), expected(transactions));
      }),
      { numRuns: 300 },
    );
  });
});
