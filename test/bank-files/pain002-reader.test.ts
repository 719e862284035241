import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { writePain001 } from '../../src/bank-files/pain001/writer.ts';
import { ackChangesOf, inferStage, Pain002Error, readPain002 } from '../../src/bank-files/pain002/reader.ts';
import type { Pain002Report } from '../../src/bank-files/pain002/reader.ts';
import { validateXml, XSD } from '../helpers/xsd.ts';
import { batchOf } from './builders.ts';

const FIXTURES = new URL('../fixtures/pain002/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const read = (name: string) => readPain002(fixture(name));
const FILE = 'PAYRAIL-PYMTB01JQ-1';
const BATCH = 'pymtb_01JQ0000000000000000000001';
const payment = (n: number) => `pymt_01JQ${String(n).padStart(22, '0')}`;
const statuses = (report: Pain002Report) =>
  report.originals.flatMap((o) => o.transactions.map((t) => `${t.originalInstructionId ?? t.originalEndToEndId} ${t.status} ${t.reasons.join(',')}`.trim()));

describe('pain.002 fixtures are what they claim to be', () => {
  const lenient = new Set(['v03-missing-orgnlmsgnmid.xml', 'v10-odd-values.xml']);
  for (const name of readdirSync(FIXTURES).filter((n) => /^v(10|03)-/.test(n) && !lenient.has(n))) {
    it(`${name} validates against pain.002.001.${name.slice(1, 3)}.xsd`, async () => {
      assert.deepEqual(await validateXml(fixture(name), XSD[`pain.002.001.${name.slice(1, 3) as '10' | '03'}`]), []);
    });
  }
});

describe('pain.002 reader: ACK1', () => {
  for (const version of ['10', '03'] as const) {
    it(`v${version}: ACTC accepts the file, no transactions`, () => {
      const report = read(`v${version}-ack1-actc.xml`);
      assert.equal(report.version, version);
      assert.deepEqual(report.originals, [
        {
          originalMessageId: FILE,
          originalMessageName: version === '10' ? 'pain.001.001.09' : 'pain.001.001.03',
          groupStatus: 'ACTC',
          groupReasons: [],
          groupReasonTexts: [],
          paymentInfos: [],
          transactions: [],
        },
      ]);
      assert.deepEqual(report.warnings, []);
    });
  }
  it('v10: RJCT with its reasons, and the report header', () => {
    const report = read('v10-ack1-rjct.xml');
    assert.equal(report.messageId, 'HSBC-ACK1-0002');
    assert.equal(report.createdAt, '2026-03-10T10:05:00+08:00');
    assert.equal(report.originals[0]!.groupStatus, 'RJCT');
    assert.deepEqual(report.originals[0]!.groupReasons, ['FF01', 'AM10']);
  });
  it('v03: RJCT DUPL', () => assert.deepEqual(read('v03-ack1-rjct.xml').originals[0]!.groupReasons, ['DUPL']));
});

describe('pain.002 reader: ACK2 and ACK3', () => {
  it('v10 ACK2: ACCP, RJCT AC01, ACWC DT06 with the new date; PmtInfSts kept', () => {
    const report = read('v10-ack2.xml');
    const [original] = report.originals;
    assert.deepEqual(statuses(report), [`${payment(1)} ACCP`, `${payment(2)} RJCT AC01`, `${payment(3)} ACWC DT06`]);
    assert.deepEqual(original!.paymentInfos, [{ originalPaymentInfoId: BATCH, status: 'PART', reasons: [], reasonTexts: [] }]);
    const acwc = original!.transactions[2]!;
    assert.deepEqual(acwc, {
      originalPaymentInfoId: BATCH,
      originalInstructionId: payment(3),
      originalEndToEndId: 'REF000003',
      status: 'ACWC',
      reasons: ['DT06'],
      requestedExecutionDate: '2026-03-12',
      charges: [],
      reasonTexts: [],
    });
    assert.deepEqual(ackChangesOf(acwc), { actualPaymentDate: '2026-03-12' });
    assert.deepEqual(
      original!.transactions.map((t) => inferStage(t.status!, false)),
      ['ACK2', 'ACK2', 'ACK2'],
    );
    assert.deepEqual(report.warnings, []);
  });

  it('v03 ACK2: the plain-date ReqdExctnDt of V03', () => {
    const report = read('v03-ack2.xml');
    assert.deepEqual(statuses(report), [`${payment(1)} ACSP`, `${payment(2)} RJCT AC01`, `${payment(3)} ACWC DT06`]);
    assert.equal(report.originals[0]!.transactions[2]!.requestedExecutionDate, '2026-03-12');
  });

  it('v10 ACK3 (namespace prefix): ACSC, ACWC with charges added up and the settlement date, ACCC', () => {
    const report = read('v10-ack3.xml');
    assert.deepEqual(statuses(report), [`${payment(1)} ACSC`, `${payment(3)} ACWC DT06`, 'REF000004 ACCC']);
    const acwc = report.originals[0]!.transactions[1]!;
    assert.deepEqual(acwc.charges, [
      { amount: 1050, currency: 'HKD' },
      { amount: 5, currency: 'HKD' },
    ]);
    assert.equal(acwc.interbankSettlementDate, '2026-03-12');
    assert.deepEqual(ackChangesOf(acwc), { actualPaymentDate: '2026-03-12', charge: { amount: 1055, currency: 'HKD' } });
    assert.deepEqual(
      report.originals[0]!.transactions.map((t) => inferStage(t.status!, true)),
      ['ACK3', 'ACK3', 'ACK3'],
    );
    assert.deepEqual(report.warnings, []);
  });

  it('v03 ACK3: charges in SGD, JPY (0 decimals) and BHD (3) to exact minor units; ReqdExctnDt before IntrBkSttlmDt', () => {
    const report = read('v03-ack3.xml');
    assert.deepEqual(statuses(report), [`${payment(1)} ACSC`, `${payment(3)} ACWC`, `${payment(4)} RJCT AC04`]);
    const acwc = report.originals[0]!.transactions[1]!;
    assert.deepEqual(acwc.charges, [
      { amount: 50, currency: 'SGD' },
      { amount: 100, currency: 'JPY' },
      { amount: 1250, currency: 'BHD' },
    ]);
    assert.deepEqual(ackChangesOf(acwc), { actualPaymentDate: '2026-03-12', charge: { amount: 50, currency: 'SGD' } });
  });
});

describe('pain.002 reader: lenient with what real banks send', () => {
  it('a V03 file without OrgnlMsgNmId is read, with a warning; proprietary reasons kept', () => {
    const report = read('v03-missing-orgnlmsgnmid.xml');
    assert.equal(report.originals[0]!.originalMessageId, FILE);
    assert.equal(report.originals[0]!.originalMessageName, undefined);
    assert.deepEqual(statuses(report), [`${payment(1)} ACCP NARR`, `${payment(2)} RJCT GS-ACCT-CLOSED`]);
    assert.deepEqual(report.warnings, [`OrgnlGrpInfAndSts ${FILE} without OrgnlMsgNmId`]);
  });

  it('duplicate entries are all reported, and the duplication is warned about', () => {
    const report = read('v10-duplicates.xml');
    assert.deepEqual(statuses(report), [`${payment(1)} ACCP`, `${payment(1)} ACCP`, `${payment(2)} ACCP`, `${payment(2)} RJCT AC01`]);
    assert.equal(report.originals[0]!.paymentInfos.length, 2);
    assert.deepEqual(report.warnings, [
      `payment ${payment(1)} of ${FILE} is reported more than once`,
      `payment ${payment(2)} of ${FILE} is reported more than once`,
    ]);
  });

  it('unknown references are reported as they are (matching is the applier’s job)', () => {
    const report = read('v10-unknown-references.xml');
    assert.equal(report.originals[0]!.originalMessageId, 'SOMEONE-ELSES-FILE-42');
    assert.deepEqual(report.originals[0]!.transactions, [
      {
        originalPaymentInfoId: 'BATCH-NOT-OURS',
        originalInstructionId: 'INSTR-UNKNOWN-1',
        originalEndToEndId: 'E2E-UNKNOWN-1',
        status: 'ACSC',
        reasons: [],
        charges: [],
        reasonTexts: [],
      },
    ]);
    assert.deepEqual(report.warnings, []);
  });

  it('odd values become warnings; the rest of each entry is kept, leading zeros included', () => {
    const report = read('v10-odd-values.xml');
    const [first, second, third, fourth] = report.originals[0]!.transactions;
    assert.equal(report.messageId, undefined);
    assert.equal(first!.originalEndToEndId, '000123');
    assert.deepEqual(first!.charges, [{ amount: 750, currency: 'HKD' }], '7.500 HKD is exact; 10.505 HKD and XXQ are not');
    assert.equal(first!.requestedExecutionDate, undefined);
    assert.equal(second!.status, 'ZZZZ');
    assert.equal(third!.status, 'ACSC');
    assert.equal(fourth!.requestedExecutionDate, '2026-03-13');
    const tx1 = `TxInfAndSts #1 (OrgnlInstrId ${payment(1)}, OrgnlEndToEndId 000123)`;
    assert.deepEqual(report.warnings, [
      'GrpHdr without MsgId',
      `${tx1}: ReqdExctnDt '12/03/2026' is not a date; ignored`,
      `${tx1}: charge HKD '10.505' has more decimals than the currency's 2; skipped`,
      `${tx1}: charge without an amount and an ISO 4217 currency; skipped`,
      `TxInfAndSts #2 (OrgnlInstrId ${payment(2)}): unknown status code 'ZZZZ'`,
      'TxInfAndSts #3: names no payment (no OrgnlInstrId or OrgnlEndToEndId)',
      'TxInfAndSts #4 (OrgnlEndToEndId REF000004): no TxSts',
    ]);
  });

  it('a V03 status outside the V03 enumeration is read and flagged', () => {
    const xml = fixture('v03-ack3.xml').replace('<TxSts>ACSC</TxSts>', '<TxSts>ACCC</TxSts>');
    const report = readPain002(xml);
    assert.equal(report.originals[0]!.transactions[0]!.status, 'ACCC');
    assert.match(report.warnings.join('\n'), /status 'ACCC' is not allowed in pain.002.001.03/);
  });

  it('several OrgnlGrpInfAndSts: each payment block belongs to the group before it', () => {
    const second =
      '<OrgnlGrpInfAndSts><OrgnlMsgId>PAYRAIL-PYMTB01JR-1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>' +
      '<OrgnlPmtInfAndSts><OrgnlPmtInfId>pymtb_B</OrgnlPmtInfId><TxInfAndSts><OrgnlInstrId>pymt_B1</OrgnlInstrId><TxSts>ACSC</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>';
    const report = readPain002(fixture('v10-ack2.xml').replace('</CstmrPmtStsRpt>', `${second}</CstmrPmtStsRpt>`));
    assert.deepEqual(
      report.originals.map((o) => [o.originalMessageId, o.transactions.length]),
      [
        [FILE, 3],
        ['PAYRAIL-PYMTB01JR-1', 1],
      ],
    );
    assert.deepEqual(report.warnings, ['2 OrgnlGrpInfAndSts in one report (the schema allows one)']);
  });
});

describe('pain.002 reader: refuses what is not a pain.002 (Pain002Error with the reason)', () => {
  const refuses = (xml: string, reason: RegExp) =>
    assert.throws(
      () => readPain002(xml),
      (err: unknown) => err instanceof Pain002Error && reason.test(err.message),
    );
  it('garbage', () => refuses(fixture('garbage.xml'), /not well-formed XML: text outside the root element/));
  it('an empty file', () => refuses('  \n', /empty/));
  it('another ISO 20022 message', () => refuses(fixture('wrong-namespace.xml'), /camt\.054\.001\.08 message, not a pain\.002/));
  it('a Document without a namespace', () => refuses(fixture('no-namespace.xml'), /no namespace/));
  it('a foreign namespace', () =>
    refuses(fixture('v10-ack2.xml').replace('urn:iso:std:iso:20022:tech:xsd:pain.002.001.10', 'urn:example:acks'), /unknown namespace 'urn:example:acks'/));
  it('a pain.002 version payrail does not read', () => {
    refuses(fixture('v10-ack2.xml').replaceAll('pain.002.001.10', 'pain.002.001.15'), /unsupported status report version pain\.002\.001\.15/);
    refuses(fixture('v10-ack2.xml').replaceAll('pain.002.001.10', 'pain.002.001.02'), /unsupported status report version pain\.002\.001\.02/);
  });
  it('a pain.001 (payrail’s own file) handed to the reader', () => refuses(writePain001(batchOf('FPS')), /pain\.001\.001\.09 payment initiation/));
  it('a truncated file, never half its statuses', () => {
    const xml = fixture('v10-ack2.xml');
    refuses(xml.slice(0, xml.indexOf('REF000003')), /truncated/);
  });
  it('a DTD (entity expansion is never attempted)', () => {
    refuses(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>${fixture('v10-ack1-actc.xml').replace(/^<\?xml[^>]*>/, '')}`, /DOCTYPE/);
  });
  it('an undefined entity', () => refuses(fixture('v10-ack2.xml').replace('ACCP', '&bogus;'), /entity/));
  it('mismatched tags', () => refuses(fixture('v10-ack2.xml').replace('</TxSts>', '</TxStatus>'), /<\/TxStatus> where <\/TxSts> was expected/));
  it('an undefined entity in a charge currency attribute', () =>
    refuses(fixture('v10-ack3.xml').replace('Ccy="HKD"', 'Ccy="&bogus;"'), /not well-formed XML: .*entity/));
});

describe('ACK stage and changes of a transaction status (RAILS.md §3)', () => {
  it('settlement codes are ACK3, validation codes ACK2, whatever the payment has passed', () => {
    for (const passed of [false, true]) {
      assert.deepEqual(
        ['ACSC', 'ACCC'].map((s) => inferStage(s, passed)),
        ['ACK3', 'ACK3'],
      );
      assert.deepEqual(
        ['ACCP', 'ACSP', 'PDNG'].map((s) => inferStage(s, passed)),
        ['ACK2', 'ACK2', 'ACK2'],
      );
    }
  });
  it('RJCT, ACWC (and unknown codes) are ACK2 before the payment passed ACK2, ACK3 after', () => {
    assert.deepEqual(
      ['RJCT', 'ACWC', 'BLCK'].map((s) => inferStage(s, false)),
      ['ACK2', 'ACK2', 'ACK2'],
    );
    assert.deepEqual(
      ['RJCT', 'ACWC', 'BLCK'].map((s) => inferStage(s, true)),
      ['ACK3', 'ACK3', 'ACK3'],
    );
  });
  it('only ACWC moves the date (elsewhere OrgnlTxRef echoes the original); a charge counts with any status', () => {
    const tx = { reasons: [], reasonTexts: [], requestedExecutionDate: '2026-03-11', charges: [{ amount: 25, currency: 'SGD' }] };
    assert.deepEqual(ackChangesOf({ ...tx, status: 'ACSC' }), { charge: { amount: 25, currency: 'SGD' } });
    assert.deepEqual(ackChangesOf({ ...tx, status: 'ACWC' }), { actualPaymentDate: '2026-03-11', charge: { amount: 25, currency: 'SGD' } });
    assert.deepEqual(ackChangesOf({ reasons: [], reasonTexts: [], charges: [], status: 'ACWC' }), {});
  });
});

describe('pain.002 reader: property', () => {
  const samples = readdirSync(FIXTURES)
    .filter((n) => n.endsWith('.xml'))
    .map(fixture);
  const nearXml = fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 12 })).map(([xml, a, b, insert]) => {
    const from = a % (xml.length + 1);
    const to = Math.min(xml.length, from + (b % 40));
    return xml.slice(0, from) + insert + xml.slice(to);
  });
  const xmlish = fc
    .array(
      fc.constantFrom(
        '<',
        '>',
        '/',
        '<?',
        '?>',
        '<!--',
        '-->',
        '<![CDATA[',
        ']]>',
        '&',
        ';',
        '#x',
        '"',
        "'",
        '=',
        ':',
        'Document',
        'xmlns',
        'TxSts',
        ' ',
        '\n',
        'a',
        '1',
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(''));

  it('throws nothing but Pain002Error, on random strings and on damaged bank files', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), xmlish, nearXml), (text) => {
        try {
          readPain002(text);
        } catch (err) {
          if (!(err instanceof Pain002Error)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
