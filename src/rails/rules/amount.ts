// Amounts are integers in minor units, at least 1, and exact in a JavaScript number.
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** The amount is a safe integer ≥ 1 (minor units; never a float). */
export const checkAmount: Rule = (payment) =>
  Number.isSafeInteger(payment.amount) && payment.amount >= 1
    ? []
    : [fieldError('amount', 'INVALID_AMOUNT', 'must be a whole number of minor units, at least 1')];
