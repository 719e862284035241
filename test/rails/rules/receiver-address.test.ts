import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RAILS } from '../../../src/rails/rails.ts';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

describe('rule receiver-address', () => {
  it('is required on CBFT, MEPS and TT, refused on ACT, optional elsewhere', () => {
    assert.deepEqual(
      railsFor('receiver-address').filter((r) => RAILS[r].receiverAddress === 'required'),
      ['CBFT', 'MEPS', 'TT'],
    );
    assert.deepEqual(
      railsFor('receiver-address').filter((r) => RAILS[r].receiverAddress === 'absent'),
      ['ACT'],
    );
  });
  for (const rail of railsFor('receiver-address')) {
    const presence = RAILS[rail].receiverAddress;
    describe(`${rail} (${presence})`, () => {
      if (presence === 'absent') {
        it('accepts no address', () => assertValid(paymentWith(rail, { receiver: { address: undefined } })));
        for (const address of [{ line1: '1 Raffles Place' }, {}]) {
          it(`refuses ${JSON.stringify(address)} as RECEIVER_ADDRESS_NOT_ALLOWED`, () =>
            assertProblems(paymentWith(rail, { receiver: { address } }), ['receiver.address RECEIVER_ADDRESS_NOT_ALLOWED']));
        }
        return;
      }
      if (presence === 'required') {
        for (const address of [undefined, {}, { line1: '   ' }]) {
          it(`refuses ${JSON.stringify(address)} as RECEIVER_ADDRESS_REQUIRED`, () =>
            assertProblems(paymentWith(rail, { receiver: { address } }), ['receiver.address RECEIVER_ADDRESS_REQUIRED']));
        }
      } else {
        it('accepts no address', () => assertValid(paymentWith(rail, { receiver: { address: undefined } })));
      }
      it('accepts three lines of 35 characters', () =>
        assertValid(paymentWith(rail, { receiver: { address: { line1: 'A'.repeat(35), line2: 'B'.repeat(35), line3: 'C'.repeat(35) } } })));
      it('refuses a 36-character line as ADDRESS_LINE_TOO_LONG, naming the line', () =>
        assertProblems(paymentWith(rail, { receiver: { address: { line1: 'A', line2: 'B'.repeat(36), line3: 'C'.repeat(36) } } }), [
          'receiver.address.line2 ADDRESS_LINE_TOO_LONG',
          'receiver.address.line3 ADDRESS_LINE_TOO_LONG',
        ]));
      it('refuses a blank line as INVALID_ADDRESS_LINE', () =>
        assertProblems(paymentWith(rail, { receiver: { address: { line1: '1 Main Street', line2: ' ' } } }), ['receiver.address.line2 INVALID_ADDRESS_LINE']));
    });
  }
});
