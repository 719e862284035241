// The pain.001 bank profiles (BANKS.md §3): every profile's file for every rail it takes validates
// against the official XSD of its version (proxies, structured cross-border addresses, HK bank
// codes included), each profile writes its own distinctive values, and the identifiers payrail
// generates carry no `_`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileIdOf, payrailIdOf } from '../../src/bank-files/pain001/identifiers.ts';
import type { Pain001Batch } from '../../src/bank-files/pain001/model.ts';
import { Pain001Error, writePain001, writePain001File } from '../../src/bank-files/pain001/writer.ts';
import { fileNameFor } from '../../src/bank-files/profiles/file-name.ts';
import { PROFILE_NAMES, PROFILES } from '../../src/bank-files/profiles/index.ts';
import type { ProfileName } from '../../src/bank-files/profiles/index.ts';
import type { PaymentInput } from '../../src/payments/model.ts';
import type { RailType } from '../../src/rails/rails.ts';
import { paymentWith, validPayment } from '../rails/builders.ts';
import { validateXml, XSD } from '../helpers/xsd.ts';
import { batchOf, filePayment } from './builders.ts';

const STRUCTURED = { street: 'Taunusanlage', buildingNumber: '12', postalCode: '60325', city: 'Frankfurt', country: 'DE' };

/** Every shape of receiver a rail takes, with the fields profiles add (structured addresses, purposes). */
const VARIANTS: Record<RailType, PaymentInput[]> = {
  ACH: [
    validPayment('ACH'),
    paymentWith('ACH', { purpose: 'SALA', receiver: { bank: '024', branchCode: undefined, address: { line1: 'Flat 12A', city: 'Hong Kong', country: 'HK' } } }),
  ],
  FPS: [
    validPayment('FPS'),
    paymentWith('FPS', { receiver: { proxy: { type: 'EMAIL', value: 'ap+hk@example.com.hk' } } }),
    paymentWith('FPS', { receiver: { proxy: { type: 'FPS_ID', value: '1234567' } } }),
    paymentWith('FPS', { receiver: { proxy: { type: 'HKID', value: 'A123456(7)' } } }),
    paymentWith('FPS', { receiver: { proxy: undefined, bank: '024', branchCode: '001', bankAccountNumber: '001 234 567890' } }),
  ],
  RTGS: [validPayment('RTGS'), paymentWith('RTGS', { purpose: 'TREA', receiver: { bank: '003', branchCode: '567' } })],
  CBFT: [
    paymentWith('CBFT', { purpose: 'SUPP', receiver: { address: { ...STRUCTURED, line1: 'Tower 2' } } }),
    paymentWith('CBFT', {
      amount: 1250000,
      currency: 'JPY',
      purpose: 'TRAD',
      receiver: { bank: 'MHCBJPJTXXX', bankAccountNumber: '1234567', country: 'JP', address: { street: 'Otemachi', buildingNumber: '1-5-5', city: 'Tokyo' } },
    }),
  ],
  MEPS: [paymentWith('MEPS', { purpose: 'SUPP', receiver: { address: { line1: '20 Side Street', postalCode: '049315', city: 'Singapore', country: 'SG' } } })],
  FAST: [validPayment('FAST'), paymentWith('FAST', { purpose: 'SALA' })],
  PAYNOW: [
    validPayment('PAYNOW'),
    paymentWith('PAYNOW', { receiver: { proxy: { type: 'MOBILE', value: '+6591234567' } } }),
    paymentWith('PAYNOW', { receiver: { proxy: { type: 'NRIC', value: 'S1234567D' } } }),
    paymentWith('PAYNOW', { receiver: { proxy: { type: 'VPA', value: '+6592345678#ACME' } } }),
    paymentWith('PAYNOW', { receiver: { proxy: undefined, bank: 'OCBCSGSGXXX', bankAccountNumber: '5012345678' } }),
  ],
  ACT: [validPayment('ACT'), paymentWith('ACT', { currency: 'SGD', purpose: 'INTC' })],
  TT: [
    paymentWith('TT', {
      receiver: { address: { street: 'Churchill Place', buildingNumber: '1', postalCode: 'E14 5HP', city: 'London', country: 'GB', line1: 'Canary Wharf' } },
    }),
  ],
};

/** A batch as the dispatcher builds it for a real bank: legal name, country, address, customer id, purpose. */
function fullBatch(rail: RailType, changes: Partial<Pain001Batch> = {}): Pain001Batch {
  const base = batchOf(
    rail,
    VARIANTS[rail].map((p, i) => filePayment(p, i + 1, p.purpose ? { purpose: p.purpose } : {})),
  );
  const hk = base.debtor.bank.startsWith('HSBC');
  return {
    ...base,
    initiatingPartyId: 'ACMECUST001',
    purpose: 'SUPP',
    debtor: {
      ...base.debtor,
      legalName: hk ? 'Acme Trading (HK) Limited' : 'Acme Trading Pte. Ltd.',
      country: hk ? 'HK' : 'SG',
      addressLines: ['1 Queens Road Central'],
    },
    ...changes,
  };
}

const write = (profile: ProfileName, batch: Pain001Batch) => writePain001(batch, { profile });

describe("pain.001 profiles: every profile, every rail it takes, validates against its version's XSD", () => {
  for (const name of PROFILE_NAMES) {
    const profile = PROFILES[name];
    for (const rail of profile.rails) {
      it(`${name} ${rail} → pain.001.001.${profile.version}`, async () => {
        const xml = write(name, fullBatch(rail));
        assert.match(xml, new RegExp(`xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.${profile.version}"`));
        assert.deepEqual(await validateXml(xml, XSD[`pain.001.001.${profile.version}`]), []);
      });
    }
  }

  it('a profile refuses a rail its bank takes no files for', () => {
    assert.throws(
      () => write('hsbc-hk', fullBatch('FAST')),
      (err: unknown) => err instanceof Pain001Error && err.path === 'rail',
    );
    assert.throws(
      () => write('dbs-sg', fullBatch('FPS')),
      (err: unknown) => err instanceof Pain001Error && err.path === 'rail',
    );
  });
});

describe('pain.001 profiles: what each one writes', () => {
  it("generic: today's layout — rail name as LclInstrm/Prtry, no SvcLvl, SLEV, proxy type as Prtry behind NOTPROVIDED", () => {
    const ach = write('generic', batchOf('ACH'));
    assert.match(ach, /<PmtTpInf><LclInstrm><Prtry>ACH<\/Prtry><\/LclInstrm><\/PmtTpInf>/);
    assert.doesNotMatch(ach, /SvcLvl|CtgyPurp|<InitgPty><Nm>Acme Trading Ltd<\/Nm><Id>|<PstlAdr><Ctry>HK/);
    assert.match(ach, /<ChrgBr>SLEV<\/ChrgBr>/);
    assert.match(ach, /<Dbtr><Nm>Acme Trading Ltd<\/Nm><\/Dbtr>/);
    assert.match(write('generic', batchOf('FPS')), /<Id><Othr><Id>NOTPROVIDED<\/Id><\/Othr><\/Id><Prxy><Tp><Prtry>MOBILE<\/Prtry><\/Tp>/);
  });

  it('generic still writes what the account and payments give: InitgPty Id, legal name and country, purpose', () => {
    const xml = write('generic', fullBatch('FAST'));
    assert.match(xml, /<InitgPty><Nm>Acme Trading Ltd<\/Nm><Id><OrgId><Othr><Id>ACMECUST001<\/Id><\/Othr><\/OrgId><\/Id><\/InitgPty>/);
    assert.match(xml, /<Dbtr><Nm>Acme Trading Pte. Ltd.<\/Nm><PstlAdr><Ctry>SG<\/Ctry><AdrLine>1 Queens Road Central<\/AdrLine><\/PstlAdr><\/Dbtr>/);
    assert.match(xml, /<PmtTpInf><LclInstrm><Prtry>FAST<\/Prtry><\/LclInstrm><CtgyPurp><Cd>SUPP<\/Cd><\/CtgyPurp><\/PmtTpInf>/);
    // The second payment's own purpose differs from the batch's: it is written on its transaction.
    assert.match(xml, /<\/PmtId><PmtTpInf><CtgyPurp><Cd>SALA<\/Cd><\/CtgyPurp><\/PmtTpInf><Amt>/);
    assert.equal(xml.match(/<CtgyPurp>/g)?.length, 2);
  });

  it('jpm-apac: V03, URGP/NURG, its local instruments, DEBT, InitgPty Id, agent country, proxies in Othr/Id with J.P. Morgan codes', () => {
    const rtgs = write('jpm-apac', fullBatch('RTGS'));
    assert.match(rtgs, /pain\.001\.001\.03/);
    assert.match(
      rtgs,
      /<PmtTpInf><SvcLvl><Cd>URGP<\/Cd><\/SvcLvl><LclInstrm><Prtry>CHATS<\/Prtry><\/LclInstrm><CtgyPurp><Cd>SUPP<\/Cd><\/CtgyPurp><\/PmtTpInf><ReqdExctnDt>2026-03-11<\/ReqdExctnDt>/,
    );
    assert.match(rtgs, /<InitgPty><Nm>Acme Trading Ltd<\/Nm><Id><OrgId><Othr><Id>ACMECUST001<\/Id><\/Othr><\/OrgId><\/Id><\/InitgPty>/);
    assert.match(rtgs, /<Dbtr><Nm>Acme Trading \(HK\) Limited<\/Nm><PstlAdr><Ctry>HK<\/Ctry>/);
    assert.match(rtgs, /<DbtrAgt><FinInstnId><BIC>HSBCHKHHHKH<\/BIC><PstlAdr><Ctry>HK<\/Ctry><\/PstlAdr><\/FinInstnId><\/DbtrAgt><ChrgBr>DEBT<\/ChrgBr>/);
    assert.match(
      rtgs,
      /<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>HKNCC<\/Cd><\/ClrSysId><MmbId>003<\/MmbId><\/ClrSysMmbId><PstlAdr><Ctry>HK<\/Ctry><\/PstlAdr><\/FinInstnId><BrnchId><Id>567<\/Id><\/BrnchId><\/CdtrAgt>/,
    );
    assert.match(write('jpm-apac', fullBatch('FAST')), /<SvcLvl><Cd>NURG<\/Cd><\/SvcLvl><LclInstrm><Prtry>FAST<\/Prtry>/);
    assert.match(write('jpm-apac', fullBatch('ACT')), /<LclInstrm><Prtry>BOOK<\/Prtry>/);
    assert.doesNotMatch(write('jpm-apac', fullBatch('TT')), /<LclInstrm>/);
    assert.match(
      write('jpm-apac', fullBatch('FPS')),
      /<CdtrAcct><Id><Othr><Id>\+85291234567<\/Id><SchmeNm><Prtry>MOBN<\/Prtry><\/SchmeNm><\/Othr><\/Id><\/CdtrAcct>/,
    );
    assert.match(write('jpm-apac', fullBatch('PAYNOW')), /<Id>201234567A<\/Id><SchmeNm><Prtry>CINC<\/Prtry><\/SchmeNm>/);
  });

  it('hsbc-hk: V09, AUTOPAY/CHATS, SLEV, hybrid creditor address, HKICL proxy codes behind NOTPROVIDED', () => {
    const ach = write('hsbc-hk', fullBatch('ACH'));
    assert.match(ach, /pain\.001\.001\.09/);
    assert.match(ach, /<SvcLvl><Cd>NURG<\/Cd><\/SvcLvl><LclInstrm><Prtry>AUTOPAY<\/Prtry><\/LclInstrm>/);
    assert.match(ach, /<ChrgBr>SLEV<\/ChrgBr>/);
    assert.match(ach, /<DbtrAgt><FinInstnId><BICFI>HSBCHKHHHKH<\/BICFI><PstlAdr><Ctry>HK<\/Ctry><\/PstlAdr><\/FinInstnId><\/DbtrAgt>/);
    const cbft = write('hsbc-hk', fullBatch('CBFT'));
    assert.match(cbft, /<SvcLvl><Cd>URGP<\/Cd><\/SvcLvl><CtgyPurp><Cd>SUPP<\/Cd><\/CtgyPurp>/);
    assert.match(
      cbft,
      /<Cdtr><Nm>Acme GmbH<\/Nm><PstlAdr><StrtNm>Taunusanlage<\/StrtNm><BldgNb>12<\/BldgNb><PstCd>60325<\/PstCd><TwnNm>Frankfurt<\/TwnNm><Ctry>DE<\/Ctry><AdrLine>Tower 2<\/AdrLine><\/PstlAdr><\/Cdtr>/,
    );
    assert.match(cbft, /<ChrgBr>SHAR<\/ChrgBr>/);
    assert.match(
      write('hsbc-hk', fullBatch('FPS')),
      /<Id><Othr><Id>NOTPROVIDED<\/Id><\/Othr><\/Id><Prxy><Tp><Prtry>MOBN<\/Prtry><\/Tp><Id>\+85291234567<\/Id><\/Prxy>/,
    );
    assert.match(write('hsbc-hk', fullBatch('FPS')), /<Prxy><Tp><Prtry>SVID<\/Prtry><\/Tp><Id>1234567<\/Id><\/Prxy>/);
  });

  it('dbs-sg: V09, DBS type names, DEBT, PayNow proxies with the value as account id (no filler)', () => {
    const paynow = write('dbs-sg', fullBatch('PAYNOW'));
    assert.match(paynow, /<SvcLvl><Cd>NURG<\/Cd><\/SvcLvl><LclInstrm><Prtry>PAYNOW<\/Prtry><\/LclInstrm>/);
    assert.match(paynow, /<CdtrAcct><Id><Othr><Id>201234567A<\/Id><\/Othr><\/Id><Prxy><Tp><Prtry>UEN<\/Prtry><\/Tp><Id>201234567A<\/Id><\/Prxy><\/CdtrAcct>/);
    assert.match(paynow, /<Prxy><Tp><Prtry>MSISDN<\/Prtry><\/Tp><Id>\+6591234567<\/Id><\/Prxy>/);
    assert.doesNotMatch(paynow, /NOTPROVIDED/);
    assert.match(paynow, /<ChrgBr>DEBT<\/ChrgBr>/);
    const meps = write('dbs-sg', fullBatch('MEPS'));
    assert.match(meps, /<SvcLvl><Cd>URGP<\/Cd><\/SvcLvl><LclInstrm><Prtry>MEPS<\/Prtry><\/LclInstrm>/);
    assert.match(meps, /<ChrgBr>DEBT<\/ChrgBr>/, 'MEPS with bankChargeBearer SENDER');
  });

  it("file names follow each profile's pattern and end .xml", () => {
    const parts = {
      messageId: 'PYMTB01JQ0000000000000000000001-1',
      batchId: 'pymtb_01JQ0000000000000000000001',
      attempt: 1,
      paymentDate: '2026-03-11',
      createdAt: '2026-03-10T02:00:00.123Z',
    };
    assert.deepEqual(Object.fromEntries(PROFILE_NAMES.map((n) => [n, fileNameFor(n, parts)])), {
      generic: 'pain001-pymtb_01JQ0000000000000000000001-1.xml',
      'jpm-apac': 'PAIN001.PYMTB01JQ0000000000000000000001-1.xml',
      'hsbc-hk': 'HSBC-PAIN001-20260310020000-PYMTB01JQ0000000000000000000001-1.xml',
      'dbs-sg': 'DBS-20260311-PYMTB01JQ0000000000000000000001-1.xml',
    });
  });
});

describe('pain.001 identifiers: the SWIFT x set, no `_`', () => {
  it("MsgId, PmtInfId and every InstrId of every profile's file have no `_` and at most 35 characters", () => {
    for (const name of PROFILE_NAMES) {
      for (const rail of PROFILES[name].rails) {
        const xml = write(name, fullBatch(rail));
        const ids = [...xml.matchAll(/<(MsgId|PmtInfId|InstrId)>([^<]*)</g)].map((m) => m[2]!);
        assert.equal(ids.length, 2 + VARIANTS[rail].length, `${name} ${rail}`);
        for (const id of ids) assert.match(id, /^[A-Za-z0-9/\-?:().,'+]{1,35}$/, `${name} ${rail}: ${id}`);
      }
    }
  });

  it('file ids are derived from payrail ids and lead back to them', () => {
    assert.equal(fileIdOf('pymt_01JQ0000000000000000000001'), 'PYMT01JQ0000000000000000000001');
    assert.equal(payrailIdOf('payment', 'PYMT01JQ0000000000000000000001'), 'pymt_01JQ0000000000000000000001');
    assert.equal(payrailIdOf('batch', 'pymtb01jq0000000000000000000001'), 'pymtb_01JQ0000000000000000000001', 'a bank that lower-cases');
    assert.equal(payrailIdOf('batch', 'pymtb_01JQ0000000000000000000001'), 'pymtb_01JQ0000000000000000000001', "already payrail's");
    assert.equal(payrailIdOf('batch', 'PYMT01JQ0000000000000000000001'), 'PYMT01JQ0000000000000000000001', 'a payment id is not a batch id');
  });

  it('a message id outside the x set is refused (messageId)', () => {
    assert.throws(
      () => write('generic', batchOf('ACH', undefined, { messageId: 'PYMTB_01-1' })),
      (err: unknown) => err instanceof Pain001Error && err.path === 'messageId',
    );
  });

  it('a profile that refuses `_` in EndToEndId refuses the file rather than change the reference', () => {
    const batch = batchOf('MEPS', [filePayment(validPayment('MEPS'), 1, { customerReference: 'INV_42' })]);
    assert.match(write('generic', batch), /<EndToEndId>INV_42<\/EndToEndId>/);
    assert.match(write('jpm-apac', batch), /<EndToEndId>INV_42<\/EndToEndId>/);
    assert.throws(
      () => write('dbs-sg', batch),
      (err: unknown) => err instanceof Pain001Error && err.path === 'payments[0].customerReference',
    );
  });
});

describe('pain.001 files of several payment-information blocks (writePain001File)', () => {
  const blocks = () => {
    const { messageId, createdAt, initiatingPartyName, initiatingPartyId, ...fast } = fullBatch('FAST');
    const {
      messageId: _m,
      createdAt: _c,
      initiatingPartyName: _n,
      initiatingPartyId: _i,
      ...paynow
    } = fullBatch('PAYNOW', { batchId: 'pymtb_01JQ0000000000000000000002', paymentDate: '2026-03-12' });
    return { messageId, createdAt, initiatingPartyName, initiatingPartyId, paymentInfos: [fast, paynow] };
  };

  for (const name of ['generic', 'jpm-apac', 'dbs-sg'] as const) {
    it(`${name}: one group header adding up every block; each block its own id, rail and date; XSD-valid`, async () => {
      const file = blocks();
      const xml = writePain001File(file, { profile: name });
      assert.deepEqual(await validateXml(xml, XSD[`pain.001.001.${PROFILES[name].version}`]), []);
      assert.equal(xml.match(/<GrpHdr>/g)?.length, 1);
      assert.deepEqual(
        [...xml.matchAll(/<PmtInfId>([^<]+)</g)].map((m) => m[1]),
        ['PYMTB01JQ0000000000000000000001', 'PYMTB01JQ0000000000000000000002'],
      );
      const total = file.paymentInfos.reduce((n, b) => n + b.payments.length, 0);
      assert.match(
        xml,
        new RegExp(
          `<GrpHdr><MsgId>[^<]+</MsgId><CreDtTm>[^<]+</CreDtTm><NbOfTxs>${total}</NbOfTxs><CtrlSum>${(file.paymentInfos.flatMap((b) => b.payments).reduce((s, p) => s + p.amount, 0) / 100).toFixed(2)}</CtrlSum>`,
        ),
      );
      assert.match(xml, /<Prtry>FAST<\/Prtry>[\s\S]*<Prtry>PAYNOW<\/Prtry>/);
    });
  }

  it('a single block is byte for byte what writePain001 writes for the batch', () => {
    const { paymentInfos, ...header } = blocks();
    assert.equal(
      writePain001File({ ...header, paymentInfos: [paymentInfos[0]!] }, { profile: 'dbs-sg' }),
      writePain001(fullBatch('FAST'), { profile: 'dbs-sg' }),
    );
  });

  it('an error names its block', () => {
    const file = blocks();
    file.paymentInfos[1]!.payments[0]!.receiver = { ...file.paymentInfos[1]!.payments[0]!.receiver, name: '' };
    assert.throws(
      () => writePain001File(file),
      (err: unknown) => err instanceof Pain001Error && err.path === 'paymentInfos[1].payments[0].receiver.name',
    );
  });
});
