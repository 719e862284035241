import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

describe('rule amount', () => {
  for (const rail of railsFor('amount')) {
    describe(rail, () => {
      it('accepts 1 minor unit', () => assertValid(paymentWith(rail, { amount: 1 })));
      for (const amount of [0, -100, 1.5, 0.1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0]) {
        it(`refuses ${amount} as INVALID_AMOUNT`, () => assertProblems(paymentWith(rail, { amount }), ['amount INVALID_AMOUNT']));
      }
    });
  }
});

describe('rule amount-maximum', () => {
  for (const rail of railsFor('amount-maximum')) {
    for (const [currency, max] of Object.entries(RAILS[rail].maxAmount)) {
      describe(`${rail} ${currency}`, () => {
        it(`accepts exactly the maximum ${max}`, () => assertValid(paymentWith(rail, { currency, amount: max })));
        it('refuses one minor unit more as AMOUNT_ABOVE_RAIL_MAXIMUM', () =>
          assertProblems(paymentWith(rail, { currency, amount: max + 1 }), ['amount AMOUNT_ABOVE_RAIL_MAXIMUM']));
      });
    }
  }
  it('FPS maximum is HKD 10,000,000.00 and CNY the same figure; FAST and PAYNOW SGD 200,000.00', () => {
    assertProblems(paymentWith('FPS', { amount: 1_000_000_001 }), ['amount AMOUNT_ABOVE_RAIL_MAXIMUM']);
    assertProblems(paymentWith('FAST', { amount: 20_000_001 }), ['amount AMOUNT_ABOVE_RAIL_MAXIMUM']);
    assertProblems(paymentWith('PAYNOW', { amount: 20_000_001 }), ['amount AMOUNT_ABOVE_RAIL_MAXIMUM']);
  });
  for (const rail of ['ACH', 'RTGS', 'CBFT', 'MEPS', 'ACT', 'TT'] as const) {
    it(`${rail} has no maximum: accepts the largest safe integer`, () => assertValid(paymentWith(rail, { amount: Number.MAX_SAFE_INTEGER })));
  }
});
