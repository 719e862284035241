import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

describe('rule payment-details', () => {
  for (const rail of railsFor('payment-details')) {
    describe(rail, () => {
      it('accepts 140 characters', () => assertValid(paymentWith(rail, { paymentDetails: 'D'.repeat(140) })));
      it('refuses 141 characters as PAYMENT_DETAILS_TOO_LONG', () =>
        assertProblems(paymentWith(rail, { paymentDetails: 'D'.repeat(141) }), ['paymentDetails PAYMENT_DETAILS_TOO_LONG']));
    });
  }
  it('counts characters, not UTF-16 units: 140 emoji fit on FPS', () => assertValid(paymentWith('FPS', { paymentDetails: '🍩'.repeat(140) })));
});
