import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { assertProblems, assertValid, contextFor, paymentWith, SG_ACCOUNT } from '../builders.ts';

describe('rule currency', () => {
  for (const rail of railsFor('currency')) {
    describe(rail, () => {
      it('refuses a code that is not ISO 4217 as INVALID_CURRENCY', () =>
        assertProblems(paymentWith(rail, { currency: 'XYZ' }), ['currency INVALID_CURRENCY']));
      it('refuses lower case as INVALID_CURRENCY', () => assertProblems(paymentWith(rail, { currency: 'hkd' }), ['currency INVALID_CURRENCY']));
      const allowed = RAILS[rail].currencies;
      if (allowed.kind === 'listed') {
        for (const currency of allowed.codes) it(`accepts ${currency}`, () => assertValid(paymentWith(rail, { currency })));
        it('refuses JPY as CURRENCY_NOT_ALLOWED', () => assertProblems(paymentWith(rail, { currency: 'JPY' }), ['currency CURRENCY_NOT_ALLOWED']));
      }
      if (allowed.kind === 'any-iso-4217') {
        for (const currency of ['JPY', 'BHD', 'USD', 'CHF']) it(`accepts ${currency}`, () => assertValid(paymentWith(rail, { currency })));
      }
    });
  }

  it('HK rails per RAILS.md: ACH and FPS HKD/CNY, RTGS HKD/USD/EUR/CNY; SG MEPS/FAST/PAYNOW SGD only', () => {
    assertProblems(paymentWith('ACH', { currency: 'USD' }), ['currency CURRENCY_NOT_ALLOWED']);
    assertProblems(paymentWith('FPS', { currency: 'USD' }), ['currency CURRENCY_NOT_ALLOWED']);
    assertValid(paymentWith('RTGS', { currency: 'EUR' }));
    assertProblems(paymentWith('RTGS', { currency: 'GBP' }), ['currency CURRENCY_NOT_ALLOWED']);
    for (const rail of ['MEPS', 'FAST', 'PAYNOW'] as const) {
      assertProblems(paymentWith(rail, { currency: 'USD', senderAccountCurrency: 'USD' }), ['currency CURRENCY_NOT_ALLOWED']);
    }
  });

  describe('ACT: any currency the sender account holds', () => {
    it('accepts SGD and USD from an SGD+USD account', () => {
      assertValid(paymentWith('ACT', { currency: 'SGD', senderAccountCurrency: 'SGD' }));
      assertValid(paymentWith('ACT', { currency: 'USD', senderAccountCurrency: 'USD' }));
    });
    it('refuses EUR from an SGD+USD account as CURRENCY_NOT_HELD', () =>
      assertProblems(paymentWith('ACT', { currency: 'EUR' }), ['currency CURRENCY_NOT_HELD']));
    it('without the account, accepts any ISO currency (account rules skipped)', () =>
      assertValid(paymentWith('ACT', { currency: 'EUR' }), contextFor('ACT', { senderAccount: undefined })));
    it('accepts EUR when the account holds it', () =>
      assertValid(
        paymentWith('ACT', { currency: 'EUR', senderAccountCurrency: 'EUR' }),
        contextFor('ACT', { senderAccount: { ...SG_ACCOUNT, currencies: ['SGD', 'EUR'] } }),
      ));
  });
});
