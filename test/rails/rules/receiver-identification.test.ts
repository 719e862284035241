import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { assertProblems, assertValid, paymentWith, validPayment } from '../builders.ts';

const takesProxies = (rail: keyof typeof RAILS) => Object.keys(RAILS[rail].proxies).length > 0;

describe('rule receiver-identification', () => {
  for (const rail of railsFor('receiver-identification')) {
    describe(rail, () => {
      it('refuses a receiver with neither account nor proxy as RECEIVER_ACCOUNT_REQUIRED', () => {
        const payment = validPayment(rail);
        delete payment.receiver.bankAccountNumber;
        delete payment.receiver.proxy;
        delete payment.receiver.branchCode;
        const expected = ['receiver.bankAccountNumber RECEIVER_ACCOUNT_REQUIRED'];
        // A proxy payment without its proxy becomes an account payment, which needs a bank too.
        if (payment.receiver.bank === undefined && RAILS[rail].receiverBank !== 'absent') expected.push('receiver.bank RECEIVER_BANK_REQUIRED');
        assertProblems(payment, expected);
      });
      if (takesProxies(rail)) {
        it('refuses a proxy and an account together as PROXY_AND_ACCOUNT', () =>
          assertProblems(paymentWith(rail, { receiver: { bankAccountNumber: '123456789' } }), ['receiver.proxy PROXY_AND_ACCOUNT']));
      } else {
        it('refuses a proxy as PROXY_NOT_ALLOWED (and with the account, PROXY_AND_ACCOUNT)', () =>
          assertProblems(paymentWith(rail, { receiver: { proxy: { type: 'MOBILE', value: '+6591234567' } } }), [
            'receiver.proxy PROXY_NOT_ALLOWED',
            'receiver.proxy PROXY_AND_ACCOUNT',
          ]));
      }
    });
  }
  it('FPS and PAYNOW also pay a bank account', () => {
    assertValid(paymentWith('FPS', { receiver: { proxy: undefined, bank: '024', bankAccountNumber: '123-456789-001' } }));
    assertValid(paymentWith('PAYNOW', { receiver: { proxy: undefined, bank: 'DBSSSGSGXXX', bankAccountNumber: '0123456789' } }));
  });
});
