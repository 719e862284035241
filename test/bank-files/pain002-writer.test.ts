import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ackChangesOf, readPain002 } from '../../src/bank-files/pain002/reader.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import type { Pain002Ack, Pain002AckTransaction } from '../../src/bank-files/pain002/writer.ts';
import { validatePain002, validateXml, XSD } from '../helpers/xsd.ts';

const BASE = {
  messageId: 'ACK2-PAYRAIL-PYMTB01JQ-1',
  createdAt: '2026-03-10T03:00:00Z',
  originalMessageId: 'PAYRAIL-PYMTB01JQ-1',
  originalMessageName: 'pain.001.001.09',
  paymentInfoId: 'pymtb_01JQ1',
} as const;

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
    assert.match(
      xml,
      /<ChrgsInf><Amt Ccy="HKD">10.50<\/Amt><Agt><FinInstnId><BICFI>HSBCHKHHHKH<\/BICFI><\/FinInstnId><\/Agt><\/ChrgsInf><OrgnlTxRef><ReqdExctnDt><Dt>2026-03-13<\/Dt><\/ReqdExctnDt><\/OrgnlTxRef>/,
    );
    assert.match(xml, /<Amt Ccy="BHD">1.250<\/Amt>/);
  });

  it('refuses what the schema cannot carry', () => {
    assert.throws(() => writePain002({ ...ACK2, paymentInfoId: undefined }), /paymentInfoId/);
    assert.throws(() => writePain002({ ...ACK2, transactions: [{ instructionId: 'p', endToEndId: 'e', status: 'ACCEPTED' }] }), /TxSts/);
    assert.throws(
      () => writePain002({ ...ACK2, transactions: [{ instructionId: 'p', endToEndId: 'e', status: 'ACWC', actualPaymentDate: '13/03/2026' }] }),
      /actualPaymentDate/,
    );
    assert.throws(
      () => writePain002({ ...ACK2, transactions: [{ instructionId: 'p', endToEndId: 'e', status: 'ACWC', charge: { amount: 10.5, currency: 'HKD' } }] }),
      /charge/,
    );
  });
});

/** Every element the bank styles need, in one report per version. */
const RICH: Pain002Ack = {
  ...BASE,
  bankBic: 'NDEASGSGXXX',
  groupReasons: [{ originator: 'Nordea Operations' }],
  paymentInfo: { status: 'ACCP', reasons: [{ code: 'NARR', texts: ['Part of the batch needs attention.'] }, { texts: ['See the transactions.'] }] },
  transactions: [
    {
      instructionId: 'pymt_1',
      endToEndId: 'REF1',
      status: 'RJCT',
      reasons: [{ originator: 'Beneficiary bank', code: 'AC01', texts: ['Account number incorrect.', 'Send it again.'] }, { texts: ['A second reason text.'] }],
    },
    { instructionId: 'pymt_2', endToEndId: 'REF2', status: 'ACSC', charge: { amount: 250, currency: 'SGD' }, actualPaymentDate: '2026-03-13' },
    { status: 'ACSP', endToEndId: 'REF3' },
    { originalAmount: { amount: 10_000, currency: 'SGD' }, actualPaymentDate: '2026-03-12' },
  ],
};

describe('pain.002 writer: every element of the bank styles, in .03 and .10', () => {
  for (const version of ['03', '10'] as const) {
    it(`pain.002.001.${version}: no GrpSts, PmtInfSts with reasons, several StsRsnInf with AddtlInf, a charge with ACSC, an echo line: valid`, async () => {
      const xml = writePain002({ ...RICH, version });
      assert.deepEqual(await validateXml(xml, XSD[`pain.002.001.${version}`]), []);
      assert.match(xml, new RegExp(`xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.${version}"`));
      assert.doesNotMatch(xml, /GrpSts/);
      assert.match(
        xml,
        /<OrgnlPmtInfId>pymtb_01JQ1<\/OrgnlPmtInfId><PmtInfSts>ACCP<\/PmtInfSts><StsRsnInf><Rsn><Cd>NARR<\/Cd><\/Rsn><AddtlInf>Part of the batch needs attention.<\/AddtlInf><\/StsRsnInf><StsRsnInf><AddtlInf>See the transactions.<\/AddtlInf><\/StsRsnInf>/,
      );
      assert.match(
        xml,
        /<TxSts>RJCT<\/TxSts><StsRsnInf><Orgtr><Nm>Beneficiary bank<\/Nm><\/Orgtr><Rsn><Cd>AC01<\/Cd><\/Rsn><AddtlInf>Account number incorrect.<\/AddtlInf><AddtlInf>Send it again.<\/AddtlInf><\/StsRsnInf><StsRsnInf><AddtlInf>A second reason text.<\/AddtlInf><\/StsRsnInf>/,
      );
      assert.match(xml, /<StsRsnInf><Orgtr><Nm>Nordea Operations<\/Nm><\/Orgtr><\/StsRsnInf><\/OrgnlGrpInfAndSts>/);
      // The echo line: OrgnlTxRef only.
      assert.match(
        xml,
        /<TxInfAndSts><OrgnlTxRef><Amt><InstdAmt Ccy="SGD">100.00<\/InstdAmt><\/Amt><ReqdExctnDt>(<Dt>)?2026-03-12(<\/Dt>)?<\/ReqdExctnDt><\/OrgnlTxRef><\/TxInfAndSts>/,
      );
    });
  }

  it('.03 and .10 differ where their schemas do: the charge agent (Pty/BIC vs Agt/BICFI) and the date (plain vs Dt)', () => {
    const v03 = writePain002({ ...RICH, version: '03' });
    const v10 = writePain002({ ...RICH, version: '10' });
    assert.match(
      v03,
      /<ChrgsInf><Amt Ccy="SGD">2.50<\/Amt><Pty><FinInstnId><BIC>NDEASGSGXXX<\/BIC><\/FinInstnId><\/Pty><\/ChrgsInf><OrgnlTxRef><ReqdExctnDt>2026-03-13<\/ReqdExctnDt>/,
    );
    assert.match(
      v10,
      /<ChrgsInf><Amt Ccy="SGD">2.50<\/Amt><Agt><FinInstnId><BICFI>NDEASGSGXXX<\/BICFI><\/FinInstnId><\/Agt><\/ChrgsInf><OrgnlTxRef><ReqdExctnDt><Dt>2026-03-13<\/Dt><\/ReqdExctnDt>/,
    );
  });

  it('a PmtInfSts RJCT with no transactions (a batch rejected after acceptance): valid in both versions', async () => {
    for (const version of ['03', '10'] as const) {
      const xml = writePain002({
        ...BASE,
        version,
        paymentInfo: { status: 'RJCT', reasons: [{ code: 'AM04', texts: ['Insufficient funds on the debtor account.'] }] },
        transactions: [],
      });
      assert.deepEqual(await validateXml(xml, XSD[`pain.002.001.${version}`]), []);
      assert.match(xml, /<OrgnlPmtInfAndSts><OrgnlPmtInfId>pymtb_01JQ1<\/OrgnlPmtInfId><PmtInfSts>RJCT<\/PmtInfSts><StsRsnInf><Rsn><Cd>AM04<\/Cd><\/Rsn>/);
      assert.doesNotMatch(xml, /TxInfAndSts/);
    }
  });

  it('in an AppHdr + BizMsgEnvlp: the Document inside is valid, the header names both BICs', async () => {
    const xml = writePain002({ ...RICH, envelope: { from: 'SNDBUS33XXX', to: 'PAYRSGSGXXX' } });
    assert.deepEqual(await validatePain002(xml), []);
    assert.match(
      xml,
      /<BizMsgEnvlp xmlns="urn:iso:std:iso:20022:tech:xsd:nvlp.001.001.01">\n<Hdr><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><Fr><FIId><FinInstnId><BICFI>SNDBUS33XXX<\/BICFI><\/FinInstnId><\/FIId><\/Fr><To><FIId><FinInstnId><BICFI>PAYRSGSGXXX<\/BICFI>/,
    );
    assert.equal(xml.match(/<\?xml/g)?.length, 1, 'one XML declaration, at the top');
  });

  it('refuses what .03 cannot carry and reasons that say nothing', () => {
    assert.throws(() => writePain002({ ...BASE, version: '03', groupStatus: 'RCVC', transactions: [] }), /pain.002.001.03 has no GrpSts 'RCVC'/);
    assert.throws(
      () => writePain002({ ...BASE, version: '03', transactions: [{ instructionId: 'p', status: 'ACCC' }] }),
      /pain.002.001.03 has no TxSts 'ACCC'/,
    );
    assert.throws(() => writePain002({ ...BASE, version: '03', paymentInfo: { status: 'CANC' }, transactions: [] }), /PmtInfSts 'CANC'/);
    assert.throws(() => writePain002({ ...BASE, groupStatus: 'RJCT', groupReasons: [{}], transactions: [] }), /StsRsnInf/);
    assert.throws(
      () => writePain002({ ...BASE, groupStatus: 'RJCT', groupReasons: [{ texts: ['x'.repeat(106)] }], transactions: [] }),
      /AddtlInf must be 1–105/,
    );
    assert.throws(() => writePain002({ ...BASE, paymentInfo: { status: 'ACCP' }, paymentInfoId: undefined, transactions: [] }), /paymentInfoId/);
    assert.throws(() => writePain002({ ...RICH, envelope: { from: 'not a bic', to: 'PAYRSGSGXXX' } }), /not a BIC/);
    assert.throws(() => writePain002({ ...BASE, transactions: [{ originalAmount: { amount: 1.5, currency: 'SGD' } }] }), /originalAmount/);
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
    assert.deepEqual(report.originals, [
      {
        originalMessageId: BASE.originalMessageId,
        originalMessageName: 'pain.001.001.09',
        groupStatus: 'RJCT',
        groupReasons: ['AM10'],
        groupReasonTexts: [],
        paymentInfos: [],
        transactions: [],
      },
    ]);
    assert.equal(report.messageId, BASE.messageId);
    assert.deepEqual(report.warnings, []);
  });

  it('property: any statuses, ids with XML-special characters, charges in any exponent', () => {
    const id = fc
      .string({ minLength: 1, maxLength: 35, unit: fc.constantFrom('a', 'Z', '0', '&', '<', '>', '"', "'", '-', '/', ' ', '界') })
      .filter((s) => s.trim() === s);
    const tx = fc.record(
      {
        instructionId: id,
        endToEndId: id,
        status: fc.constantFrom('ACCP', 'ACSP', 'PDNG', 'ACSC', 'ACCC', 'ACWC', 'RJCT'),
        reason: fc.constantFrom('AC01', 'AC04', 'DT06', 'AM04', 'NARR'),
        actualPaymentDate: fc.constantFrom('2026-03-12', '2026-12-31', '2027-01-04'),
        charge: fc.record(
          { amount: fc.nat({ max: Number.MAX_SAFE_INTEGER }), currency: fc.constantFrom('HKD', 'SGD', 'JPY', 'BHD', 'CLF') },
          { noNullPrototype: true },
        ),
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
