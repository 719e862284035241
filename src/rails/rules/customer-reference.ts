// The client's own reference: it becomes the EndToEndId (and SWIFT field 20 on CBFT/TT, hence 16).
// Uniqueness per client needs the database, so the payment service checks it, not this rule.
import type { FieldError } from '../../errors.ts';
import { charCount } from '../formats/text.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

const REFERENCE_CHARACTERS = /^[A-Za-z0-9\-_/.]+$/;

/** customerReference (when given) is 1–35 (CBFT/TT: 16) of A-Z a-z 0-9 - _ / . */
export const checkCustomerReference: Rule = (payment, { rail }) => {
  const reference = payment.customerReference;
  if (reference === undefined) return [];
  const errors: FieldError[] = [];
  if (!REFERENCE_CHARACTERS.test(reference)) {
    errors.push(fieldError('customerReference', 'INVALID_CUSTOMER_REFERENCE', 'must be letters, digits and - _ / . only'));
  }
  if (charCount(reference) > rail.customerReferenceMaxLength) {
    const max = rail.customerReferenceMaxLength;
    errors.push(fieldError('customerReference', 'CUSTOMER_REFERENCE_TOO_LONG', `must be at most ${max} characters on ${rail.type}`));
  }
  return errors;
};
