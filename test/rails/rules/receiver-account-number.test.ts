import { describe, it } from 'node:test';
import type { RailType } from '../../../src/rails/rails.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

type Case = { value: string; branchCode?: string };
const FORMAT_CASES: Record<'hk' | 'sg' | 'cross-border', { good: Case[]; bad: Case[]; badIban?: string[] }> = {
  hk: {
    good: [
      { value: '123456' },
      { value: '123456789012' },
      { value: '004-123-456789' },
      { value: '004 123 456789' },
      { value: '123456789012345' }, // 15: may include a branch code, which we cannot check
      { value: '001123456', branchCode: '001' }, // 9 with the branch
      { value: '001123456789012', branchCode: '001' }, // 15 with the branch
    ],
    bad: [
      { value: '12345' },
      { value: '1234567890123456' },
      { value: '12345A' },
      { value: '123_456_789' },
      { value: '999123456789012', branchCode: '001' }, // 15 digits that do not start with the branch
    ],
  },
  sg: {
    good: [{ value: '1234' }, { value: '1234567890123456789' }, { value: '000000000' }],
    bad: [{ value: '123' }, { value: '12345678901234567890' }, { value: '123-456789-0' }, { value: '12 34' }, { value: 'A1234' }],
  },
  'cross-border': {
    good: [
      { value: '123456789' },
      { value: 'A'.repeat(34) },
      { value: 'GB29NWBK60161331926819' },
      { value: 'GB29 NWBK 6016 1331 9268 19' },
      { value: 'DE89370400440532013000' },
      { value: 'NO9386011117947' },
    ],
    bad: [{ value: 'A'.repeat(35) }, { value: 'ACCT-123' }, { value: '123/456' }, { value: 'Äccount' }],
    badIban: ['GB28NWBK60161331926819', 'DE89370400440532013001', 'GB29 NWBK 6016 1331 9268 18'],
  },
};

function paying(rail: RailType, { value, branchCode }: Case) {
  const hkBank = RAILS[rail].market === 'HK' && !RAILS[rail].crossBorder ? { bank: '004' } : {};
  const p = paymentWith(rail, { receiver: { ...hkBank, bankAccountNumber: value, proxy: undefined, branchCode } });
  if (branchCode === undefined) delete p.receiver.branchCode;
  // PAYNOW's fixture pays a proxy; paying an account needs its bank.
  if (rail === 'PAYNOW') p.receiver.bank = 'DBSSSGSGXXX';
  return p;
}

describe('rule receiver-account-number', () => {
  for (const rail of railsFor('receiver-account-number')) {
    const format = RAILS[rail].accountNumberFormat;
    const cases = FORMAT_CASES[format];
    describe(`${rail} (${format})`, () => {
      for (const c of cases.good) it(`accepts '${c.value}'${c.branchCode ? ` with branch ${c.branchCode}` : ''}`, () => assertValid(paying(rail, c)));
      for (const c of cases.bad) {
        it(`refuses '${c.value}'${c.branchCode ? ` with branch ${c.branchCode}` : ''} as INVALID_ACCOUNT_NUMBER`, () =>
          assertProblems(paying(rail, c), ['receiver.bankAccountNumber INVALID_ACCOUNT_NUMBER']));
      }
      for (const value of cases.badIban ?? []) {
        it(`refuses IBAN '${value}' with wrong check digits as INVALID_IBAN`, () =>
          assertProblems(paying(rail, { value }), ['receiver.bankAccountNumber INVALID_IBAN']));
      }
    });
  }
});
