// Domestic rails carry any Unicode text (FPS takes Chinese names), but not characters an XML
// bank file cannot hold.
import { isPrintableText } from '../formats/text.ts';
import type { Rule } from '../rule.ts';
import { fieldError, freeTextFields } from '../rule.ts';

/** Names, address lines and details have no control characters or lone surrogates. */
export const checkPlainText: Rule = (payment) =>
  freeTextFields(payment)
    .filter((field) => !isPrintableText(field.value))
    .map((field) => fieldError(field.path, 'INVALID_CHARACTERS', 'must not contain control characters'));
