import { describe, it } from 'node:test';
import { RAILS } from '../../../src/rails/rails.ts';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

describe('rule receiver-country', () => {
  for (const rail of railsFor('receiver-country')) {
    describe(rail, () => {
      if (RAILS[rail].crossBorder) {
        for (const country of ['GB', 'US', 'HK', 'SG', 'XK']) it(`accepts ${country}`, () => assertValid(paymentWith(rail, { receiver: { country } })));
        it('refuses no country as RECEIVER_COUNTRY_REQUIRED', () =>
          assertProblems(paymentWith(rail, { receiver: { country: undefined } }), ['receiver.country RECEIVER_COUNTRY_REQUIRED']));
        for (const country of ['gb', 'UK', 'GBR', 'XX', 'EU', '']) {
          it(`refuses '${country}' as INVALID_COUNTRY`, () =>
            assertProblems(paymentWith(rail, { receiver: { country } }), ['receiver.country INVALID_COUNTRY']));
        }
      } else {
        it('accepts no country', () => assertValid(paymentWith(rail, { receiver: { country: undefined } })));
        it('refuses a country as RECEIVER_COUNTRY_NOT_ALLOWED', () =>
          assertProblems(paymentWith(rail, { receiver: { country: RAILS[rail].market } }), ['receiver.country RECEIVER_COUNTRY_NOT_ALLOWED']));
      }
    });
  }
});
