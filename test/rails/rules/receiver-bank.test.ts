import { describe, it } from 'node:test';
import type { RailType } from '../../../src/rails/rails.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, paymentWith, validPayment } from '../builders.ts';

const ACCOUNT_RECEIVER: Partial<Record<RailType, { bankAccountNumber: string; proxy: undefined }>> = {
  FPS: { bankAccountNumber: '123456789', proxy: undefined },
  PAYNOW: { bankAccountNumber: '0123456789', proxy: undefined },
};

/** The rail's valid payment, paying a bank account (FPS and PAYNOW fixtures pay a proxy). */
function accountPayment(rail: RailType, bank: string | undefined) {
  const p = paymentWith(rail, { receiver: { ...ACCOUNT_RECEIVER[rail], bank } });
  delete p.receiver.branchCode;
  return p;
}

describe('rule receiver-bank', () => {
  for (const rail of railsFor('receiver-bank')) {
    const rule = RAILS[rail].receiverBank;
    describe(rail, () => {
      if (rule === 'absent') {
        it('accepts no bank', () => assertValid(validPayment(rail)));
        it('refuses a bank as RECEIVER_BANK_NOT_ALLOWED', () =>
          assertProblems(paymentWith(rail, { receiver: { bank: 'DBSSSGSGXXX' } }), ['receiver.bank RECEIVER_BANK_NOT_ALLOWED']));
        return;
      }
      const market = RAILS[rail].market;
      it('refuses a bank account without a bank as RECEIVER_BANK_REQUIRED', () =>
        assertProblems(accountPayment(rail, undefined), ['receiver.bank RECEIVER_BANK_REQUIRED']));
      it(`accepts an 8- and an 11-character BIC in ${market}`, () => {
        const bic = market === 'HK' ? 'HSBCHKHH' : 'OCBCSGSG';
        assertValid(accountPayment(rail, bic));
        assertValid(accountPayment(rail, `${bic}XXX`));
      });
      for (const bank of ['HSBCHKH', 'hsbchkhhxxx', 'HSBC HKHH', 'HSBCHKHHXX', '1234HKHH_XX', '']) {
        it(`refuses '${bank}' as INVALID_RECEIVER_BANK`, () => assertProblems(accountPayment(rail, bank), ['receiver.bank INVALID_RECEIVER_BANK']));
      }
      if (rule.formats.includes('hk-bank-code')) {
        it('accepts a 3-digit HK bank code', () => assertValid(accountPayment(rail, '024')));
        it('refuses a 4-digit code as INVALID_RECEIVER_BANK', () => assertProblems(accountPayment(rail, '7171'), ['receiver.bank INVALID_RECEIVER_BANK']));
      } else {
        it('refuses a 3-digit HK bank code as INVALID_RECEIVER_BANK', () =>
          assertProblems(accountPayment(rail, '004'), ['receiver.bank INVALID_RECEIVER_BANK']));
      }
      if (RAILS[rail].crossBorder) {
        it('accepts a BIC of any country', () => assertValid(accountPayment(rail, 'CHASUS33XXX')));
      } else {
        const foreign = market === 'HK' ? 'DBSSSGSGXXX' : 'HSBCHKHHXXX';
        it(`refuses a BIC outside ${market} as RECEIVER_BANK_MARKET_MISMATCH`, () =>
          assertProblems(accountPayment(rail, foreign), ['receiver.bank RECEIVER_BANK_MARKET_MISMATCH']));
      }
      if (Object.keys(RAILS[rail].proxies).length > 0) {
        it('accepts a proxy without a bank', () => assertValid(validPayment(rail)));
        it('refuses a bank with a proxy as RECEIVER_BANK_NOT_ALLOWED', () =>
          assertProblems(paymentWith(rail, { receiver: { bank: market === 'HK' ? '004' : 'DBSSSGSGXXX' } }), ['receiver.bank RECEIVER_BANK_NOT_ALLOWED']));
      }
    });
  }
});
