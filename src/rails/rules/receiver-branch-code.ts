// An HK branch code (3 digits) qualifies a 3-digit HK bank code; a BIC already names the branch.
import type { FieldError } from '../../errors.ts';
import { HK_BANK_CODE_PATTERN } from '../../accounts/model.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

const BRANCH_CODE = /^\d{3}$/;

/** receiver.branchCode (when given) is 3 digits and goes with a 3-digit HK bank code on a rail that takes one. */
export const checkReceiverBranchCode: Rule = (payment, { rail }) => {
  const { branchCode, bank } = payment.receiver;
  if (branchCode === undefined) return [];
  const errors: FieldError[] = [];
  if (!BRANCH_CODE.test(branchCode)) errors.push(fieldError('receiver.branchCode', 'INVALID_BRANCH_CODE', 'must be 3 digits'));
  const takesHkCodes = rail.receiverBank !== 'absent' && rail.receiverBank.formats.includes('hk-bank-code');
  if (!takesHkCodes || bank === undefined || !HK_BANK_CODE_PATTERN.test(bank)) {
    errors.push(fieldError('receiver.branchCode', 'BRANCH_CODE_NOT_ALLOWED', 'goes only with a 3-digit HK bank code in receiver.bank (ACH, FPS, RTGS)'));
  }
  return errors;
};
