import { describe, it } from 'node:test';
import { RAILS } from '../../../src/rails/rails.ts';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, contextFor, HK_ACCOUNT, paymentWith, SG_ACCOUNT, validPayment } from '../builders.ts';

describe('rule sender-account-market', () => {
  for (const rail of railsFor('sender-account-market')) {
    const market = RAILS[rail].market;
    describe(rail, () => {
      it(`accepts an account in ${market}`, () => assertValid(validPayment(rail)));
      it(`refuses an account outside ${market} as SENDER_ACCOUNT_MARKET_MISMATCH`, () => {
        const foreign = market === 'HK' ? { ...SG_ACCOUNT, currencies: ['SGD'] } : { ...HK_ACCOUNT, currencies: ['SGD', 'USD'] };
        const payment = validPayment(rail);
        // Keep the currency rules quiet: the account holds what the payment names.
        foreign.currencies = [...new Set([payment.currency, ...(payment.senderAccountCurrency ? [payment.senderAccountCurrency] : [])])];
        delete payment.senderAccountCurrency;
        if (foreign.currencies.length > 1) payment.senderAccountCurrency = foreign.currencies[0];
        assertProblems(payment, ['senderAccountId SENDER_ACCOUNT_MARKET_MISMATCH'], contextFor(rail, { senderAccount: foreign }));
      });
      it('skips the check when the account is not known', () => assertValid(validPayment(rail), contextFor(rail, { senderAccount: undefined })));
    });
  }
});

describe('rule sender-account-currency', () => {
  for (const rail of railsFor('sender-account-currency')) {
    const market = RAILS[rail].market;
    const currency = validPayment(rail).currency;
    const multi = { market, bank: 'ACCTBANKXXX', currencies: [currency, 'JPY'] } as const;
    const single = { market, bank: 'ACCTBANKXXX', currencies: [currency] } as const;
    describe(rail, () => {
      it('requires senderAccountCurrency when the account holds several currencies', () =>
        assertProblems(
          paymentWith(rail, { senderAccountCurrency: undefined }),
          ['senderAccountCurrency SENDER_ACCOUNT_CURRENCY_REQUIRED'],
          contextFor(rail, { senderAccount: { ...multi, currencies: [...multi.currencies] } }),
        ));
      it('accepts a held currency of a multi-currency account', () =>
        assertValid(paymentWith(rail, { senderAccountCurrency: 'JPY' }), contextFor(rail, { senderAccount: { ...multi, currencies: [...multi.currencies] } })));
      it('does not require it for a one-currency account', () =>
        assertValid(
          paymentWith(rail, { senderAccountCurrency: undefined }),
          contextFor(rail, { senderAccount: { ...single, currencies: [...single.currencies] } }),
        ));
      it('refuses a currency the account does not hold as SENDER_ACCOUNT_CURRENCY_NOT_HELD', () =>
        assertProblems(
          paymentWith(rail, { senderAccountCurrency: 'CHF' }),
          ['senderAccountCurrency SENDER_ACCOUNT_CURRENCY_NOT_HELD'],
          contextFor(rail, { senderAccount: { ...single, currencies: [...single.currencies] } }),
        ));
      it('skips both checks when the account is not known', () =>
        assertValid(paymentWith(rail, { senderAccountCurrency: undefined }), contextFor(rail, { senderAccount: undefined })));
    });
  }
});
