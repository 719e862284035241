import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

describe('rule receiver-branch-code', () => {
  for (const rail of railsFor('receiver-branch-code')) {
    const rule = RAILS[rail].receiverBank;
    const takesHkCodes = rule !== 'absent' && rule.formats.includes('hk-bank-code');
    describe(rail, () => {
      if (takesHkCodes) {
        const hk = { bank: '004', bankAccountNumber: '456789012', proxy: undefined };
        it('accepts a 3-digit branch code with a 3-digit bank code', () => assertValid(paymentWith(rail, { receiver: { ...hk, branchCode: '001' } })));
        for (const branchCode of ['01', '0001', 'A01', '']) {
          it(`refuses '${branchCode}' as INVALID_BRANCH_CODE`, () =>
            assertProblems(paymentWith(rail, { receiver: { ...hk, branchCode } }), ['receiver.branchCode INVALID_BRANCH_CODE']));
        }
        it('refuses a branch code with a BIC as BRANCH_CODE_NOT_ALLOWED', () =>
          assertProblems(paymentWith(rail, { receiver: { ...hk, bank: 'HSBCHKHHHKH', branchCode: '001' } }), ['receiver.branchCode BRANCH_CODE_NOT_ALLOWED']));
      } else {
        it('refuses any branch code as BRANCH_CODE_NOT_ALLOWED', () =>
          assertProblems(paymentWith(rail, { receiver: { branchCode: '001' } }), ['receiver.branchCode BRANCH_CODE_NOT_ALLOWED']));
      }
    });
  }
});
