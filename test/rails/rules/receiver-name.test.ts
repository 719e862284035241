import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

describe('rule receiver-name', () => {
  for (const rail of railsFor('receiver-name')) {
    const max = RAILS[rail].nameMaxLength;
    describe(`${rail} (at most ${max})`, () => {
      for (const name of ['', '   ']) {
        it(`refuses '${name}' as RECEIVER_NAME_REQUIRED`, () =>
          assertProblems(paymentWith(rail, { receiver: { name } }), ['receiver.name RECEIVER_NAME_REQUIRED']));
      }
      it(`accepts ${max} characters`, () => assertValid(paymentWith(rail, { receiver: { name: 'N'.repeat(max) } })));
      it(`refuses ${max + 1} characters as NAME_TOO_LONG`, () =>
        assertProblems(paymentWith(rail, { receiver: { name: 'N'.repeat(max + 1) } }), ['receiver.name NAME_TOO_LONG']));
    });
  }
  it('names are at most 35 on CBFT, TT and MEPS, 140 elsewhere', () => {
    for (const rail of ['CBFT', 'TT', 'MEPS'] as const)
      assertProblems(paymentWith(rail, { receiver: { name: 'N'.repeat(36) } }), ['receiver.name NAME_TOO_LONG']);
    for (const rail of ['ACH', 'FPS', 'RTGS', 'FAST', 'PAYNOW', 'ACT'] as const) assertValid(paymentWith(rail, { receiver: { name: 'N'.repeat(140) } }));
  });
  it('counts characters: 140 Chinese characters fit on FPS', () => assertValid(paymentWith('FPS', { receiver: { name: '陳'.repeat(140) } })));
});
