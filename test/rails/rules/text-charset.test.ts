import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, paymentWith, validPayment } from '../builders.ts';

const withAddress = (rail: Parameters<typeof validPayment>[0], line2: string) =>
  paymentWith(rail, { receiver: { address: { ...validPayment(rail).receiver.address, line1: '1 Main Street', line2 } } });

describe('rule swift-x-text (CBFT, MEPS, TT)', () => {
  it('runs on exactly the SWIFT-format rails', () => assert.deepEqual(railsFor('swift-x-text'), ['CBFT', 'MEPS', 'TT']));
  for (const rail of railsFor('swift-x-text')) {
    describe(rail, () => {
      it("accepts every x character: A-Z a-z 0-9 / - ? : ( ) . , ' + space", () => {
        assertValid(paymentWith(rail, { receiver: { name: "O'Brien (Pte) Ltd. 1/2-3+?:," }, paymentDetails: "Inv 12/2026 (part 1) - 3,000.00 ?:'+" }));
      });
      for (const [what, text] of [
        ['an accent', 'Café Müller'],
        ['&', 'Tan & Sons'],
        ['@', 'a@b.com'],
        ['_', 'A_B'],
        ['{', 'X{1}'],
        ['CJK', '陳大文'],
        ['a newline', 'A\nB'],
        ['#', 'No #5'],
      ]) {
        it(`refuses ${what} in the name as INVALID_CHARACTERS`, () =>
          assertProblems(paymentWith(rail, { receiver: { name: text } }), ['receiver.name INVALID_CHARACTERS']));
      }
      it('checks address lines and details too', () => {
        assertProblems(withAddress(rail, 'Straße 5'), ['receiver.address.line2 INVALID_CHARACTERS']);
        assertProblems(paymentWith(rail, { paymentDetails: 'Invoice #12' }), ['paymentDetails INVALID_CHARACTERS']);
      });
      it("refuses a field starting with ':' or '-' as INVALID_LINE_START", () => {
        assertProblems(paymentWith(rail, { receiver: { name: '-Acme' } }), ['receiver.name INVALID_LINE_START']);
        assertProblems(withAddress(rail, ':59:Unit 5'), ['receiver.address.line2 INVALID_LINE_START']);
        assertProblems(paymentWith(rail, { paymentDetails: ':70:details' }), ['paymentDetails INVALID_LINE_START']);
      });
      it("accepts ':' and '-' after the first character", () => assertValid(paymentWith(rail, { paymentDetails: 'Ref: A-1' })));
    });
  }
});
