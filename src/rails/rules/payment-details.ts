// Remittance information: one ISO Max140Text, which is also MT field 70's 4 × 35.
import { charCount } from '../formats/text.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

export const PAYMENT_DETAILS_MAX_LENGTH = 140;

/** paymentDetails (when given) is at most 140 characters. */
export const checkPaymentDetails: Rule = (payment) =>
  payment.paymentDetails !== undefined && charCount(payment.paymentDetails) > PAYMENT_DETAILS_MAX_LENGTH
    ? [fieldError('paymentDetails', 'PAYMENT_DETAILS_TOO_LONG', `must be at most ${PAYMENT_DETAILS_MAX_LENGTH} characters`)]
    : [];
