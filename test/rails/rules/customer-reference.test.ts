import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

describe('rule customer-reference', () => {
  for (const rail of railsFor('customer-reference')) {
    const max = RAILS[rail].customerReferenceMaxLength;
    describe(`${rail} (at most ${max})`, () => {
      it('accepts no reference (one is generated)', () => assertValid(paymentWith(rail, { customerReference: undefined })));
      it('accepts letters, digits and - _ / .', () => assertValid(paymentWith(rail, { customerReference: 'Ab-1_2/3.z' })));
      it(`accepts ${max} characters`, () => assertValid(paymentWith(rail, { customerReference: 'R'.repeat(max) })));
      it(`refuses ${max + 1} characters as CUSTOMER_REFERENCE_TOO_LONG`, () =>
        assertProblems(paymentWith(rail, { customerReference: 'R'.repeat(max + 1) }), ['customerReference CUSTOMER_REFERENCE_TOO_LONG']));
      for (const customerReference of ['', 'with space', 'INV#1', 'Café', 'a+b']) {
        it(`refuses '${customerReference}' as INVALID_CUSTOMER_REFERENCE`, () =>
          assertProblems(paymentWith(rail, { customerReference }), ['customerReference INVALID_CUSTOMER_REFERENCE']));
      }
      it('reports both a bad character and the length', () =>
        assertProblems(paymentWith(rail, { customerReference: ' '.repeat(max + 1) }), [
          'customerReference INVALID_CUSTOMER_REFERENCE',
          'customerReference CUSTOMER_REFERENCE_TOO_LONG',
        ]));
    });
  }
  it('CBFT and TT cap the reference at 16 (SWIFT field 20); the other rails at 35', () => {
    assertProblems(paymentWith('CBFT', { customerReference: 'A'.repeat(17) }), ['customerReference CUSTOMER_REFERENCE_TOO_LONG']);
    assertProblems(paymentWith('TT', { customerReference: 'A'.repeat(17) }), ['customerReference CUSTOMER_REFERENCE_TOO_LONG']);
    assertValid(paymentWith('MEPS', { customerReference: 'A'.repeat(35) }));
  });
});
