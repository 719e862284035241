// Rails that travel as SWIFT messages (CBFT, TT as MT103; MEPS+ in SWIFT formats) accept only
// the x character set; anything else is a NAK at the bank, days later, so refuse it now.
import type { FieldError } from '../../errors.ts';
import { hasForbiddenSwiftLineStart, isSwiftX } from '../formats/swift-x.ts';
import type { Rule } from '../rule.ts';
import { fieldError, freeTextFields } from '../rule.ts';

const X_SET = "A-Z a-z 0-9 / - ? : ( ) . , ' + and space";

/** Names, address lines and details use the SWIFT x set and do not start with ':' or '-'. */
export const checkSwiftXText: Rule = (payment) => {
  const errors: FieldError[] = [];
  for (const { path, value } of freeTextFields(payment)) {
    if (!isSwiftX(value)) errors.push(fieldError(path, 'INVALID_CHARACTERS', `must use only the SWIFT character set: ${X_SET}`));
    if (hasForbiddenSwiftLineStart(value)) errors.push(fieldError(path, 'INVALID_LINE_START', "must not start with ':' or '-'"));
  }
  return errors;
};
