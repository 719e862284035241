// The pain.002 reader on files shaped like real banks' (BANKS.md §4): each fixture is one bank
// style or flavour, written from the published structures (test/fixtures/pain002/README.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ackChangesOf, isEcho, Pain002Error, readPain002 } from '../../src/bank-files/pain002/reader.ts';
import type { Pain002Report } from '../../src/bank-files/pain002/reader.ts';
import { validateXml, XSD } from '../helpers/xsd.ts';

const FIXTURES = new URL('../fixtures/pain002/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const read = (name: string) => readPain002(fixture(name));
const FILE = 'PAYRAIL-PYMTB01JQ-1';
const BATCH = 'pymtb_01JQ0000000000000000000001';
const payment = (n: number) => `pymt_01JQ${String(n).padStart(22, '0')}`;
const statuses = (report: Pain002Report) =>
  report.originals.flatMap((o) => o.transactions.map((t) => `${t.originalInstructionId ?? t.originalEndToEndId} ${t.status} ${t.reasons.join(',')}`.trim()));
const ISO_03 = 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.03';

describe('pain.002 national flavours are V03 underneath', () => {
  // Their schemas restrict V03 without renaming anything: with the ISO namespace they must validate against it.
  for (const name of ['ch-pain.002.001.03.ch.02.xml', 'dk-pain.002.002.03.xml']) {
    it(`${name} validates against pain.002.001.03.xsd under the ISO namespace`, async () => {
      const xml = fixture(name)
        .replace(/xmlns="[^"]*"/, `xmlns="${ISO_03}"`)
        .replace(/ xsi:schemaLocation="[^"]*"/, '');
      assert.deepEqual(await validateXml(xml, XSD['pain.002.001.03']), []);
    });
  }
  it('the wrapped Document validates against pain.002.001.10.xsd', async () => {
    const xml = fixture('wrapped-apphdr-bizmsgenvlp.xml');
    const document = xml
      .slice(xml.indexOf('<doc:Document>'), xml.indexOf('</BizMsgEnvlp>'))
      .replace('<doc:Document>', '<doc:Document xmlns:doc="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">');
    assert.deepEqual(await validateXml(document, XSD['pain.002.001.10']), []);
  });
});

describe('pain.002 reader: J.P. Morgan, Goldman Sachs, Nordea, Cross River', () => {
  it('J.P. Morgan ACK: GrpSts ACTC, counts echoed, no transactions', () => {
    const report = read('v03-jpm-ack.xml');
    assert.equal(report.version, '03');
    assert.deepEqual(report.originals, [
      {
        originalMessageId: FILE,
        originalMessageName: 'pain.001.001.03',
        groupStatus: 'ACTC',
        groupReasons: [],
        groupReasonTexts: [],
        paymentInfos: [],
        transactions: [],
      },
    ]);
    assert.deepEqual(report.warnings, []);
  });

  it('J.P. Morgan PSR with GrpSts ACSP: the transactions, with the echoed date read whatever the status', () => {
    const report = read('v03-jpm-psr-acsp.xml');
    assert.equal(report.originals[0]!.groupStatus, 'ACSP');
    assert.deepEqual(statuses(report), [`${payment(1)} ACSP`, `${payment(2)} ACSP`]);
    assert.equal(report.originals[0]!.transactions[0]!.requestedExecutionDate, '2026-03-11');
    assert.deepEqual(report.warnings, []);
  });

  it('J.P. Morgan PSR with GrpSts PART: the rejected one with its code and both AddtlInf lines in order', () => {
    const report = read('v03-jpm-psr-part.xml');
    const [original] = report.originals;
    assert.equal(original!.groupStatus, 'PART');
    assert.deepEqual(statuses(report), [`${payment(1)} ACSP`, `${payment(2)} RJCT AC01`, `${payment(3)} ACSP`]);
    assert.deepEqual(original!.transactions[1]!.reasonTexts, ['Beneficiary account number is invalid', 'for the receiving bank HSBCHKHHHKH']);
    assert.deepEqual(original!.transactions[0]!.reasonTexts, []);
    assert.deepEqual(report.warnings, []);
  });

  it('Goldman Sachs: transaction statuses without any group status; proprietary reason and its text', () => {
    const report = read('v10-gs-transactions-only.xml');
    const [original] = report.originals;
    assert.equal(original!.groupStatus, undefined);
    assert.deepEqual(statuses(report), [`${payment(1)} ACSC`, `${payment(2)} RJCT GS-ACCT-CLOSED`]);
    assert.deepEqual(original!.transactions[1]!.reasonTexts, ['Creditor account closed']);
    assert.equal(original!.transactions[0]!.interbankSettlementDate, '2026-03-11');
    assert.deepEqual(report.warnings, []);
  });

  it('Nordea: PmtInfSts RJCT with no transactions; every code and text of the block, in order', () => {
    const report = read('v03-nordea-pmtinf-rjct.xml');
    const [original] = report.originals;
    assert.equal(original!.groupStatus, undefined);
    assert.deepEqual(original!.transactions, []);
    assert.deepEqual(original!.paymentInfos, [
      {
        originalPaymentInfoId: BATCH,
        status: 'RJCT',
        reasons: ['NARR', 'AM04'],
        reasonTexts: ['Debtor account not found in agreement', 'Contact your Nordea cash management adviser', 'Insufficient cover on 2026-03-10'],
      },
    ]);
    assert.deepEqual(report.warnings, []);
  });

  it('Nordea: PmtInfSts ACCP with the transactions of the block', () => {
    const report = read('v03-nordea-pmtinf-accp.xml');
    const [original] = report.originals;
    assert.deepEqual(original!.paymentInfos, [{ originalPaymentInfoId: BATCH, status: 'ACCP', reasons: [], reasonTexts: [] }]);
    assert.deepEqual(statuses(report), [`${payment(1)} ACCP`, `${payment(2)} RJCT NARR`]);
    assert.deepEqual(
      original!.transactions.map((t) => t.originalPaymentInfoId),
      [BATCH, BATCH],
    );
    assert.deepEqual(original!.transactions[1]!.reasonTexts, ['Beneficiary name missing']);
  });

  it('Cross River: the status report is the only answer, group, block and transactions at once', () => {
    const report = read('v10-crossriver-psr.xml');
    const [original] = report.originals;
    assert.equal(original!.groupStatus, 'ACSC');
    assert.equal(original!.paymentInfos[0]!.status, 'ACSC');
    assert.deepEqual(statuses(report), [`${payment(1)} ACSC`, `${payment(2)} ACSC`]);
    assert.deepEqual(report.warnings, []);
  });
});

describe('pain.002 reader: versions and national flavours', () => {
  it('Swiss pain.002.001.03.ch.02 (SIX namespace) reads as V03, its CH reason code and German text kept', () => {
    const report = read('ch-pain.002.001.03.ch.02.xml');
    assert.equal(report.version, '03');
    assert.equal(report.messageId, 'ZKB-20260310-0815-0001');
    assert.deepEqual(statuses(report), [`${payment(1)} ACCP`, `${payment(2)} RJCT CH16`]);
    assert.deepEqual(report.originals[0]!.transactions[1]!.reasonTexts, ['Inhalt formell falsch: IBAN ungültig']);
    assert.deepEqual(report.warnings, []);
  });

  it('German DK pain.002.002.03 and .003.03 read as V03; the Orgtr beside a code adds nothing', () => {
    for (const namespace of ['pain.002.002.03', 'pain.002.003.03']) {
      const report = readPain002(fixture('dk-pain.002.002.03.xml').replaceAll('pain.002.002.03', namespace));
      assert.equal(report.version, '03', namespace);
      assert.deepEqual(statuses(report), [`${payment(2)} RJCT AC04`], namespace);
      assert.deepEqual(report.originals[0]!.transactions[0]!.reasonTexts, ['Konto erloschen']);
      assert.deepEqual(report.warnings, []);
    }
  });

  it('ISO pain.002.001.03 with a German schema location reads like any V03', () => {
    const xml = fixture('dk-pain.002.002.03.xml').replace('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.002.03"', `xmlns="${ISO_03}"`);
    assert.equal(readPain002(xml).version, '03');
  });

  it('.12: OrgnlUETR beside the ids, ReqdExctnDt/Dt as the ACWC date, a typed charge, the reason text', () => {
    const report = read('v12-psr.xml');
    assert.equal(report.version, '12');
    const tx = report.originals[0]!.transactions[0]!;
    assert.deepEqual(tx, {
      originalPaymentInfoId: BATCH,
      originalInstructionId: payment(1),
      originalEndToEndId: 'REF000001',
      status: 'ACWC',
      reasons: ['DT06'],
      reasonTexts: ['Value date moved: 2026-03-11 is a public holiday'],
      requestedExecutionDate: '2026-03-12',
      charges: [{ amount: 250, currency: 'SGD' }],
    });
    assert.deepEqual(ackChangesOf(tx), { actualPaymentDate: '2026-03-12', charge: { amount: 250, currency: 'SGD' } });
    assert.deepEqual(report.warnings, []);
  });

  it('.14: ReqdExctnDt/DtTm read as its date; the tracker data’s date and charge are not the transaction’s', () => {
    const report = read('v14-psr.xml');
    assert.equal(report.version, '14');
    const tx = report.originals[0]!.transactions[0]!;
    assert.equal(tx.status, 'ACCC');
    assert.equal(tx.requestedExecutionDate, '2026-03-11');
    assert.equal(tx.interbankSettlementDate, '2026-03-11');
    assert.deepEqual(tx.charges, [{ amount: 1500, currency: 'USD' }]);
    assert.deepEqual(report.warnings, []);
  });

  it('every version from .03 to .14 is read; .02 and .15 are refused with the reason', () => {
    const xml = fixture('v10-ack2.xml');
    for (let n = 3; n <= 14; n++) {
      const version = String(n).padStart(2, '0');
      const report = readPain002(xml.replace('pain.002.001.10', `pain.002.001.${version}`));
      assert.equal(report.version, version);
      assert.equal(report.originals[0]!.transactions.length, 3);
    }
    for (const version of ['02', '15', '99']) {
      assert.throws(
        () => readPain002(xml.replace('pain.002.001.10', `pain.002.001.${version}`)),
        (err: unknown) => err instanceof Pain002Error && err.message.startsWith(`unsupported status report version pain.002.001.${version}`),
      );
    }
  });

  it('a Swiss namespace of a version outside .03–.14, or a DK namespace of another version, is refused', () => {
    const ch = fixture('ch-pain.002.001.03.ch.02.xml');
    assert.throws(
      () => readPain002(ch.replaceAll('pain.002.001.03.ch.02', 'pain.002.001.02.ch.01')),
      (err: unknown) => err instanceof Pain002Error && /unsupported status report version pain\.002\.001\.02/.test(err.message),
    );
    const dk = fixture('dk-pain.002.002.03.xml');
    assert.throws(
      () => readPain002(dk.replaceAll('pain.002.002.03', 'pain.002.002.02')),
      (err: unknown) => err instanceof Pain002Error && /unsupported status report version pain\.002\.002\.02/.test(err.message),
    );
  });
});

describe('pain.002 reader: wrappers', () => {
  it('AppHdr + BizMsgEnvlp: the pain.002 Document inside, its prefix declared on the envelope', () => {
    const report = read('wrapped-apphdr-bizmsgenvlp.xml');
    assert.equal(report.version, '10');
    assert.equal(report.messageId, 'HSBC-PSR-0003');
    assert.deepEqual(statuses(report), [`${payment(1)} ACSP`]);
    assert.deepEqual(report.warnings, []);
  });

  it('Envelope, RequestPayload and Message wrappers, nested, with the namespace as a default on the Document', () => {
    const document = fixture('v10-ack2.xml').replace(/^<\?xml[^>]*>/, '');
    for (const [open, close] of [
      [
        '<Envelope xmlns="urn:example:envelope"><Header><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.01"><BizMsgIdr>X</BizMsgIdr></AppHdr></Header><Body>',
        '</Body></Envelope>',
      ],
      ['<RequestPayload><AppHdr/>', '</RequestPayload>'],
      ['<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Message>', '</Message></soap:Body></soap:Envelope>'],
    ]) {
      const report = readPain002(`<?xml version="1.0"?>\n${open}${document}${close}`);
      assert.equal(report.originals[0]!.transactions.length, 3, open);
    }
  });

  it('a wrapper around another message, two pain.002 Documents, or no Document at all are refused', () => {
    const refuses = (xml: string, reason: RegExp) =>
      assert.throws(
        () => readPain002(xml),
        (err: unknown) => err instanceof Pain002Error && reason.test(err.message),
      );
    const camt = fixture('wrong-namespace.xml').replace(/^<\?xml[^>]*>/, '');
    const pain = fixture('v10-ack1-actc.xml').replace(/^<\?xml[^>]*>/, '');
    refuses(`<BizMsgEnvlp><AppHdr/>${camt}</BizMsgEnvlp>`, /camt\.054\.001\.08 message, not a pain\.002/);
    refuses(`<BizMsgEnvlp>${pain}${pain}</BizMsgEnvlp>`, /2 pain\.002 Documents/);
    refuses('<BizMsgEnvlp><AppHdr/></BizMsgEnvlp>', /the root element is <BizMsgEnvlp>, not an ISO 20022 <Document>/);
  });

  it('a camt Document beside the pain.002 one: the pain.002 is read', () => {
    const camt = fixture('wrong-namespace.xml').replace(/^<\?xml[^>]*>/, '');
    const pain = fixture('v10-ack1-actc.xml').replace(/^<\?xml[^>]*>/, '');
    assert.equal(readPain002(`<Envelope>${camt}${pain}</Envelope>`).originals[0]!.groupStatus, 'ACTC');
  });
});

describe('pain.002 reader: reasons, echoes, charges', () => {
  it('echo entries (only OrgnlTxRef) next to a RJCT: the file reads, the RJCT is there, each echo is one warning', () => {
    const report = read('v03-echo-entries.xml');
    const [echo1, rejected, echo2] = report.originals[0]!.transactions;
    assert.deepEqual(rejected, {
      originalPaymentInfoId: BATCH,
      originalInstructionId: payment(2),
      originalEndToEndId: 'REF000002',
      status: 'RJCT',
      reasons: ['BE04'],
      reasonTexts: ['Saajan osoite puuttuu'],
      charges: [],
    });
    assert.deepEqual(
      [echo1, rejected, echo2].map((t) => isEcho(t!)),
      [true, false, true],
    );
    assert.deepEqual(report.warnings, [
      'TxInfAndSts #1: an echo of the original (no OrgnlInstrId, OrgnlEndToEndId or TxSts); it reports nothing',
      'TxInfAndSts #3: an echo of the original (no OrgnlInstrId, OrgnlEndToEndId or TxSts); it reports nothing',
    ]);
  });

  it('a group reason given only as Orgtr adds no group code; the transaction keeps its own', () => {
    const report = read('v03-group-orgtr-only.xml');
    const [original] = report.originals;
    assert.equal(original!.groupStatus, 'RJCT');
    assert.deepEqual(original!.groupReasons, []);
    assert.deepEqual(original!.groupReasonTexts, []);
    assert.deepEqual(statuses(report), [`${payment(1)} RJCT AM04`]);
  });

  it('group reason texts: AddtlInf lines with and without a code, several StsRsnInf, in order; CRLF normalised', () => {
    const group =
      '<StsRsnInf><AddtlInf>File rejected:\r\nsee below</AddtlInf></StsRsnInf><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn><AddtlInf>Line 12: bad IBAN</AddtlInf><AddtlInf>Line 14: bad BIC</AddtlInf></StsRsnInf><StsRsnInf><Rsn><Prtry>X1</Prtry></Rsn><AddtlInf>  </AddtlInf></StsRsnInf>';
    const report = readPain002(fixture('v10-ack1-rjct.xml').replace(/<StsRsnInf>[\s\S]*<\/StsRsnInf>/, group));
    assert.deepEqual(report.originals[0]!.groupReasons, ['FF01', 'X1']);
    assert.deepEqual(report.originals[0]!.groupReasonTexts, ['File rejected:\nsee below', 'Line 12: bad IBAN', 'Line 14: bad BIC']);
  });

  it('ACSC with ChrgsInf: the charge and the dates are read, and the charge is a change of the payment', () => {
    const report = read('v10-acsc-charges.xml');
    const tx = report.originals[0]!.transactions[0]!;
    assert.equal(tx.status, 'ACSC');
    assert.deepEqual(tx.charges, [{ amount: 75, currency: 'SGD' }]);
    assert.equal(tx.requestedExecutionDate, '2026-03-11');
    assert.equal(tx.interbankSettlementDate, '2026-03-11');
    assert.deepEqual(ackChangesOf(tx), { charge: { amount: 75, currency: 'SGD' } });
    assert.deepEqual(report.warnings, []);
  });

  it('charges and dates are read with every status, not only ACWC', () => {
    const xml = fixture('v10-acsc-charges.xml');
    for (const status of ['ACCP', 'ACSP', 'ACSC', 'ACCC', 'RJCT', 'PDNG', 'ACWC']) {
      const tx = readPain002(xml.replace('<TxSts>ACSC</TxSts>', `<TxSts>${status}</TxSts>`)).originals[0]!.transactions[0]!;
      assert.deepEqual(
        [tx.charges, tx.requestedExecutionDate, tx.interbankSettlementDate],
        [[{ amount: 75, currency: 'SGD' }], '2026-03-11', '2026-03-11'],
        status,
      );
    }
  });

  it('a TxInfAndSts right in the report (outside OrgnlPmtInfAndSts) is read, with a warning', () => {
    const loose = '<TxInfAndSts><OrgnlEndToEndId>REF000009</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>';
    const report = readPain002(fixture('v10-ack2.xml').replace('</CstmrPmtStsRpt>', `${loose}</CstmrPmtStsRpt>`));
    const tx = report.originals[0]!.transactions[3]!;
    assert.deepEqual(tx, { originalEndToEndId: 'REF000009', status: 'ACSC', reasons: [], reasonTexts: [], charges: [] });
    assert.deepEqual(report.warnings, ['TxInfAndSts #4 is outside any OrgnlPmtInfAndSts; read without a payment information id']);
  });
});
