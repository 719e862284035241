import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { Pain001Error, writePain001 } from '../../src/bank-files/pain001/writer.ts';
import type { Pain001Payment } from '../../src/bank-files/pain001/writer.ts';
import type { PaymentInput } from '../../src/payments/model.ts';
import type { RailType } from '../../src/rails/rails.ts';
import { RAIL_TYPES } from '../../src/rails/rails.ts';
import { paymentWith, validPayment } from '../rails/builders.ts';
import { validateXml, XSD } from '../helpers/xsd.ts';
import { batchOf, filePayment } from './builders.ts';
import { pain001FromRows } from '../../src/bank-files/pain001/from-rows.ts';
import type { PaymentRow } from '../../src/store/schema.ts';

const SPECIALS = `Chan & Sons <HK> "Ltd" 'Wing'`;
const THREE_LINES = { line1: 'Flat 12A, 8/F', line2: '88 Queensway', line3: 'Admiralty' };

/** Every shape of receiver a rail takes, so the schema sees each of them. */
const VARIANTS: Record<RailType, PaymentInput[]> = {
  ACH: [
    validPayment('ACH'),
    paymentWith('ACH', { currency: 'CNY', paymentDetails: `Invoice <7> & "more"`, receiver: { name: SPECIALS, address: THREE_LINES, branchCode: undefined } }),
  ],
  FPS: [
    validPayment('FPS'),
    paymentWith('FPS', { receiver: { proxy: { type: 'EMAIL', value: 'ap+hk@example.com.hk' } } }),
    paymentWith('FPS', { receiver: { proxy: { type: 'FPS_ID', value: '1234567' } } }),
    paymentWith('FPS', { receiver: { proxy: { type: 'HKID', value: 'A123456(7)' } } }),
    paymentWith('FPS', { receiver: { name: SPECIALS, proxy: undefined, bank: '024', branchCode: '001', bankAccountNumber: '001 234 567890' } }),
  ],
  RTGS: [validPayment('RTGS'), paymentWith('RTGS', { currency: 'EUR', receiver: { bank: '003', branchCode: '567', address: THREE_LINES } })],
  CBFT: [
    validPayment('CBFT'),
    paymentWith('CBFT', {
      amount: 1250000,
      currency: 'JPY',
      paymentDetails: "Invoice (2026) 'Q1' +tax",
      receiver: { bank: 'MHCBJPJTXXX', bankAccountNumber: '1234567', country: 'JP', address: { line1: '1-5-5 Otemachi', line2: 'Chiyoda-ku', line3: 'Tokyo' } },
    }),
    paymentWith('CBFT', {
      amount: 1234567,
      currency: 'BHD',
      bankChargeBearer: 'RECEIVER',
      receiver: { bank: 'NBOBBHBM', bankAccountNumber: 'BH67BMAG00001299123456', country: 'BH' },
    }),
  ],
  MEPS: [validPayment('MEPS'), paymentWith('MEPS', { receiver: { name: 'Kopi & Roti Pte Ltd', address: THREE_LINES } })],
  FAST: [validPayment('FAST'), paymentWith('FAST', { paymentDetails: 'Salary <March>', receiver: { name: SPECIALS } })],
  PAYNOW: [
    validPayment('PAYNOW'),
    paymentWith('PAYNOW', { receiver: { proxy: { type: 'MOBILE', value: '+6591234567' } } }),
    paymentWith('PAYNOW', { receiver: { proxy: { type: 'NRIC', value: 'S1234567D' } } }),
    paymentWith('PAYNOW', { receiver: { proxy: { type: 'VPA', value: '+6592345678#ACME' } } }),
    paymentWith('PAYNOW', { receiver: { proxy: undefined, bank: 'OCBCSGSGXXX', bankAccountNumber: '5012345678' } }),
  ],
  ACT: [validPayment('ACT'), paymentWith('ACT', { currency: 'SGD', paymentDetails: 'Rent & utilities' })],
  TT: [
    validPayment('TT'),
    paymentWith('TT', { amount: 500, currency: 'JPY', receiver: { bank: 'BOTKJPJT', bankAccountNumber: '9876543', country: 'JP', address: THREE_LINES } }),
    paymentWith('TT', {
      amount: 1001,
      currency: 'KWD',
      bankChargeBearer: 'SENDER',
      receiver: { bank: 'NBOKKWKW', bankAccountNumber: 'KW81CBKU0000000000001234560101', country: 'KW' },
    }),
  ],
};

function batchFor(rail: RailType) {
  return batchOf(
    rail,
    VARIANTS[rail].map((p, i) => filePayment(p, i + 1)),
  );
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'CdtTrfTxInf' || name === 'AdrLine' });
type Node = Record<string, unknown>;
function transactionsOf(xml: string): Node[] {
  const doc = parser.parse(xml) as { Document: { CstmrCdtTrfInitn: { PmtInf: { CdtTrfTxInf: Node[] } } } };
  return doc.Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
}

describe('pain.001 writer: every rail validates against the official XSD', () => {
  for (const rail of RAIL_TYPES) {
    for (const version of ['09', '03'] as const) {
      it(`${rail} → pain.001.001.${version}`, async () => {
        const xml = writePain001(batchFor(rail), { version });
        assert.deepEqual(await validateXml(xml, XSD[`pain.001.001.${version}`]), []);
      });
    }
  }
});

describe('pain.001 writer: layout (RAILS.md §2)', () => {
  it('one PmtInf with the batch id (its file form, no `_`), rail, date, debtor and SLEV; a CdtTrfTxInf per payment', () => {
    const xml = writePain001(batchFor('ACH'));
    assert.match(xml, /<PmtInfId>PYMTB01JQ0000000000000000000001<\/PmtInfId><PmtMtd>TRF<\/PmtMtd><NbOfTxs>2<\/NbOfTxs>/);
    assert.match(xml, /<LclInstrm><Prtry>ACH<\/Prtry><\/LclInstrm><\/PmtTpInf><ReqdExctnDt><Dt>2026-03-11<\/Dt><\/ReqdExctnDt>/);
    assert.match(xml, /<DbtrAcct><Id><Othr><Id>004123456789<\/Id><\/Othr><\/Id><Ccy>HKD<\/Ccy><\/DbtrAcct><DbtrAgt><FinInstnId><BICFI>HSBCHKHHHKH<\/BICFI>/);
    assert.match(xml, /<ChrgBr>SLEV<\/ChrgBr>/);
    assert.equal(xml.match(/<PmtInf>/g)?.length, 1);
    assert.equal(transactionsOf(xml).length, 2);
  });

  it('payment id (its file form, no `_`) → InstrId, customer reference → EndToEndId, details → RmtInf/Ustrd', () => {
    const [tx] = transactionsOf(writePain001(batchOf('MEPS')));
    assert.deepEqual(tx!.PmtId, { InstrId: 'PYMT01JQ0000000000000000000001', EndToEndId: 'DONUTS' });
    assert.deepEqual(tx!.RmtInf, { Ustrd: '10 boxes of 12 each' });
  });

  it('an HK bank code is a HKNCC clearing member, its branch in BrnchId; the account loses its dashes', () => {
    const xml = writePain001(batchOf('ACH'));
    assert.match(
      xml,
      /<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>HKNCC<\/Cd><\/ClrSysId><MmbId>004<\/MmbId><\/ClrSysMmbId><\/FinInstnId><BrnchId><Id>123<\/Id><\/BrnchId><\/CdtrAgt>/,
    );
    assert.match(xml, /<CdtrAcct><Id><Othr><Id>456789012<\/Id><\/Othr><\/Id><\/CdtrAcct>/);
  });

  it('an IBAN goes in Id/IBAN, the country in PstlAdr/Ctry before the address lines, UETR in PmtId (V09)', () => {
    const xml = writePain001(batchOf('CBFT'));
    assert.match(xml, /<CdtrAcct><Id><IBAN>DE89370400440532013000<\/IBAN><\/Id><\/CdtrAcct>/);
    assert.match(
      xml,
      /<Cdtr><Nm>Acme GmbH<\/Nm><PstlAdr><Ctry>DE<\/Ctry><AdrLine>Taunusanlage 12<\/AdrLine><AdrLine>60325 Frankfurt<\/AdrLine><\/PstlAdr><\/Cdtr>/,
    );
    assert.match(xml, /<EndToEndId>INV-2026-0042<\/EndToEndId><UETR>3f1b5c2e-8d4a-4f6b-9c7d-2e1a0b9c8d7e<\/UETR>/);
    assert.match(xml, /<ChrgBr>SHAR<\/ChrgBr>/);
  });

  it('V09 proxies: Prxy with the proxy type, and the NOTPROVIDED account id the schema requires', () => {
    const xml = writePain001(batchOf('FPS'));
    assert.match(
      xml,
      /<CdtrAcct><Id><Othr><Id>NOTPROVIDED<\/Id><\/Othr><\/Id><Prxy><Tp><Prtry>MOBILE<\/Prtry><\/Tp><Id>\+85291234567<\/Id><\/Prxy><\/CdtrAcct>/,
    );
    assert.doesNotMatch(xml, /<CdtrAgt>/);
  });

  it('V03: BIC not BICFI, a plain ReqdExctnDt, no UETR, the proxy as Othr/Id with its type as SchmeNm/Prtry', () => {
    const cbft = writePain001(batchOf('CBFT'), { version: '03' });
    assert.match(cbft, /xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/);
    assert.match(cbft, /<ReqdExctnDt>2026-03-11<\/ReqdExctnDt>/);
    assert.match(cbft, /<CdtrAgt><FinInstnId><BIC>DEUTDEFFXXX<\/BIC><\/FinInstnId><\/CdtrAgt>/);
    assert.doesNotMatch(cbft, /UETR|BICFI/);
    const paynow = writePain001(batchOf('PAYNOW'), { version: '03' });
    assert.match(paynow, /<CdtrAcct><Id><Othr><Id>201234567A<\/Id><SchmeNm><Prtry>UEN<\/Prtry><\/SchmeNm><\/Othr><\/Id><\/CdtrAcct>/);
  });

  it('ACT (a book transfer) names the sender’s own bank as CdtrAgt', () => {
    assert.match(writePain001(batchOf('ACT')), /<CdtrAgt><FinInstnId><BICFI>DBSSSGSGXXX<\/BICFI><\/FinInstnId><\/CdtrAgt>/);
  });

  it('charge bearer: SENDER → DEBT, RECEIVER → CRED, SHARED → SHAR, none → SLEV', () => {
    const bearerOf = (chargeBearer?: 'SENDER' | 'RECEIVER' | 'SHARED') => /<ChrgBr>(\w+)<\/ChrgBr>/.exec(writePain001({ ...batchOf('TT'), chargeBearer }))?.[1];
    assert.deepEqual([bearerOf('SENDER'), bearerOf('RECEIVER'), bearerOf('SHARED'), bearerOf()], ['DEBT', 'CRED', 'SHAR', 'SLEV']);
  });

  it('payments naming different charge bearers carry each their own on CdtTrfTxInf, and PmtInf none (XSD-valid in .03 and .09)', async () => {
    const payments = [
      { ...filePayment(validPayment('TT'), 1), chargeBearer: 'SENDER' as const },
      { ...filePayment(validPayment('TT'), 2), chargeBearer: 'SHARED' as const },
      filePayment(validPayment('TT'), 3),
    ];
    for (const version of ['03', '09'] as const) {
      const xml = writePain001(batchOf('TT', payments, { chargeBearer: undefined }), { version });
      const header = xml.slice(xml.indexOf('<PmtInf>'), xml.indexOf('<CdtTrfTxInf>'));
      assert.doesNotMatch(header, /<ChrgBr>/, `.${version}: no ChrgBr on PmtInf when the payments differ`);
      assert.deepEqual(
        transactionsOf(xml).map((tx) => tx.ChrgBr),
        ['DEBT', 'SHAR', 'SLEV'],
        `.${version}: each transaction's own, the profile's default where it names none`,
      );
      assert.deepEqual(await validateXml(xml, XSD[`pain.001.001.${version}`]), [], `.${version} validates`);
    }
    const same = writePain001(batchOf('TT', [filePayment(validPayment('TT'), 1), filePayment(validPayment('TT'), 2)], { chargeBearer: 'RECEIVER' }));
    assert.equal(same.match(/<ChrgBr>/g)?.length, 1, 'payments that agree: one ChrgBr, on PmtInf');
  });

  it('a bank profile can name the rail differently', () => {
    assert.match(writePain001(batchOf('FAST'), { localInstrument: { FAST: 'SGFAST' } }), /<LclInstrm><Prtry>SGFAST<\/Prtry>/);
  });

  it('XML-special characters are escaped and read back unchanged', () => {
    const [, tx] = transactionsOf(writePain001(batchFor('ACH')));
    assert.equal((tx!.Cdtr as Node).Nm, SPECIALS);
    assert.deepEqual(((tx!.Cdtr as Node).PstlAdr as Node).AdrLine, ['Flat 12A, 8/F', '88 Queensway', 'Admiralty']);
    assert.equal((tx!.RmtInf as Node).Ustrd, `Invoice <7> & "more"`);
  });

  it('the same batch gives the same bytes', () => {
    assert.equal(writePain001(batchFor('PAYNOW')), writePain001(batchFor('PAYNOW')));
    assert.equal(writePain001(batchFor('ACH'), { version: '03' }), writePain001(batchFor('ACH'), { version: '03' }));
  });
});

describe('pain.001 writer: amounts and control sums without floating point', () => {
  const amountsOf = (xml: string) => transactionsOf(xml).map((tx) => ((tx.Amt as Node).InstdAmt as Node)['#text']);
  const controlSums = (xml: string) => [...xml.matchAll(/<CtrlSum>([^<]+)<\/CtrlSum>/g)].map((m) => m[1]);

  it('amounts use the currency exponent: HKD 2, JPY 0, BHD 3', () => {
    const cbft = writePain001(batchFor('CBFT'));
    assert.deepEqual(amountsOf(cbft), ['1250.00', '1250000', '1234.567']);
    assert.match(cbft, /<InstdAmt Ccy="JPY">1250000<\/InstdAmt>/);
  });

  it('small amounts keep their leading zero: 5 minor units of HKD is 0.05', () => {
    const xml = writePain001(batchOf('FAST', [filePayment(paymentWith('FAST', { amount: 5 }), 1)]));
    assert.deepEqual(amountsOf(xml), ['0.05']);
    assert.deepEqual(controlSums(xml), ['0.05', '0.05']);
  });

  it('10,000 payments of 0.10 and 0.20 sum to exactly 1500.00 (a float sum drifts)', () => {
    const payments = Array.from({ length: 10_000 }, (_, i) => filePayment(paymentWith('FAST', { amount: i % 2 ? 10 : 20 }), i + 1));
    let float = 0;
    for (const p of payments) float += p.amount / 100;
    assert.notEqual(float, 1500);
    const xml = writePain001(batchOf('FAST', payments));
    assert.deepEqual(controlSums(xml), ['1500.00', '1500.00']);
    assert.match(xml, /<NbOfTxs>10000<\/NbOfTxs>/);
  });

  it('amounts near the safe-integer limit sum exactly, past 2^53', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const payments = [1, 2, 3].map((n) => filePayment(paymentWith('RTGS', { amount: max }), n));
    assert.deepEqual(controlSums(writePain001(batchOf('RTGS', payments))), ['270215977642229.73', '270215977642229.73']);
  });

  it('currencies with different exponents add up as written: HKD 1.50 + JPY 100 = 101.50', () => {
    const payments = [
      filePayment(paymentWith('CBFT', { amount: 150, currency: 'HKD' }), 1),
      filePayment(paymentWith('CBFT', { amount: 100, currency: 'JPY' }), 2),
    ];
    assert.deepEqual(controlSums(writePain001(batchOf('CBFT', payments))), ['101.50', '101.50']);
  });
});

describe('pain.001 writer: refuses what the file cannot carry (Pain001Error with the field)', () => {
  const fails = (path: string, f: () => unknown) => assert.throws(f, (err: unknown) => err instanceof Pain001Error && err.path === path);
  const one = (changes: Partial<Pain001Payment>, rail: RailType = 'FAST') =>
    batchOf(rail, [filePayment(validPayment(rail), 1), filePayment(validPayment(rail), 2, changes)]);

  it('a fractional or unsafe amount', () => {
    fails('payments[1].amount', () => writePain001(one({ amount: 10.5 })));
    fails('payments[1].amount', () => writePain001(one({ amount: 2 ** 53 })));
    fails('payments[1].amount', () => writePain001(one({ amount: -1 })));
  });
  it('an unknown currency', () => fails('payments[1].currency', () => writePain001(one({ currency: 'XYZ' }))));
  it('an upper-case or non-v4 UETR', () => fails('payments[1].uetr', () => writePain001(one({ uetr: '3F1B5C2E-8D4A-4F6B-9C7D-2E1A0B9C8D7E' }, 'TT'))));
  it('a message id over 35 characters', () => fails('messageId', () => writePain001(batchOf('FAST', undefined, { messageId: 'M'.repeat(36) }))));
  it('an empty batch', () => fails('payments', () => writePain001(batchOf('FAST', []))));
  it('a control character in a name', () => fails('payments[1].receiver.name', () => writePain001(one({ receiver: { name: 'Tan\u0007' } }))));
  it('a name over 140 characters (counted in characters, not UTF-16 units)', () => {
    assert.doesNotThrow(() => writePain001(one({ receiver: { name: '𝒜'.repeat(140) } })));
    fails('payments[1].receiver.name', () => writePain001(one({ receiver: { name: '𝒜'.repeat(141) } })));
  });
  it('V03: an e-mail proxy over 34 characters (it would travel as Othr/Id)', () => {
    const batch = batchOf('FPS', [
      filePayment(paymentWith('FPS', { receiver: { proxy: { type: 'EMAIL', value: 'accounts.payable.department@example.com.hk' } } }), 1),
    ]);
    assert.doesNotThrow(() => writePain001(batch));
    fails('payments[0].receiver.proxy.value', () => writePain001(batch, { version: '03' }));
  });
  it('V03: a 2014 BIC the 2009 pattern refuses (digits in the bank code)', () => {
    const batch = batchOf('RTGS', [filePayment(paymentWith('RTGS', { receiver: { bank: 'AB1DHKHH' } }), 1)]);
    assert.doesNotThrow(() => writePain001(batch));
    fails('payments[0].receiver.bank', () => writePain001(batch, { version: '03' }));
  });
});

describe('pain.001 from stored rows: charge bearers', () => {
  const row = (n: number, bearer: string | null) =>
    ({
      id: `pymt_01JQ000000000000000000000${n}`,
      customer_reference: `REF${n}`,
      amount: 1000 * n,
      currency: 'USD',
      receiver: JSON.stringify(validPayment('TT').receiver),
      payment_details: null,
      purpose: null,
      type: 'TT',
      bank_charge_bearer: bearer,
    }) as unknown as PaymentRow;
  const account = { name: 'Acme', account_number: '0721234567', bank: 'DBSSSGSGXXX', legal_name: null, country: null, address: null, bank_customer_id: null };
  const file = {
    messageId: 'PAYRAIL-PYMTB01JQ-1',
    paymentInfoId: 'pymtb_01JQ0000000000000000000001',
    createdAt: '2026-03-10T02:00:00Z',
    initiatingPartyName: 'Acme',
    rail: 'TT',
    paymentDate: '2026-03-11',
    senderAccountCurrency: 'USD',
  };
  const write = (bearers: (string | null)[]) =>
    pain001FromRows(
      { profile: 'generic' },
      account,
      bearers.map((b, i) => row(i + 1, b)),
      file,
      '09',
    );

  it('one bearer for all goes on PmtInf once; different ones go on each transaction', () => {
    assert.equal(write(['SENDER', 'SENDER']).match(/<ChrgBr>DEBT<\/ChrgBr>/g)?.length, 1);
    const mixed = write(['RECEIVER', null, 'SENDER']);
    assert.deepEqual(
      transactionsOf(mixed).map((tx) => tx.ChrgBr),
      ['CRED', 'SLEV', 'DEBT'],
    );
  });
});
