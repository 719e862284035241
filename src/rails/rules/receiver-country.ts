// Cross-border rails need the receiver's country (MT103 59F line 3, ISO Cdtr/PstlAdr/Ctry);
// domestic rails have no use for it, so it is refused there rather than silently dropped.
import { isCountryCode } from '../formats/countries.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** receiver.country is an ISO 3166 alpha-2 code, required on cross-border rails and absent elsewhere. */
export const checkReceiverCountry: Rule = (payment, { rail }) => {
  const { country } = payment.receiver;
  if (!rail.crossBorder) {
    return country === undefined ? [] : [fieldError('receiver.country', 'RECEIVER_COUNTRY_NOT_ALLOWED', `is only for cross-border rails (CBFT, TT)`)];
  }
  if (country === undefined) return [fieldError('receiver.country', 'RECEIVER_COUNTRY_REQUIRED', `is required on ${rail.type}`)];
  if (!isCountryCode(country)) return [fieldError('receiver.country', 'INVALID_COUNTRY', 'must be an ISO 3166-1 alpha-2 code, e.g. GB')];
  return [];
};
