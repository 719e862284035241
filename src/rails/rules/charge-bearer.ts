// Who pays the bank charges is only a choice on rails that pass charges along (CBFT, MEPS, TT);
// domestic clearing rails charge per service level (ISO SLEV).
import type { FieldError } from '../../errors.ts';
import { CHARGE_BEARERS } from '../../payments/model.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** bankChargeBearer (when given) is SENDER, RECEIVER or SHARED, on a rail that takes one. */
export const checkChargeBearer: Rule = (payment, { rail }) => {
  const bearer = payment.bankChargeBearer;
  if (bearer === undefined) return [];
  const errors: FieldError[] = [];
  if (!rail.chargeBearer.allowed) {
    errors.push(fieldError('bankChargeBearer', 'CHARGE_BEARER_NOT_ALLOWED', `${rail.type} does not take a charge bearer`));
  }
  // The type says it is one of three, but the value may come from an unchecked source.
  if (!(CHARGE_BEARERS as readonly string[]).includes(bearer)) {
    errors.push(fieldError('bankChargeBearer', 'INVALID_CHARGE_BEARER', `must be one of ${CHARGE_BEARERS.join(', ')}`));
  }
  return errors;
};
