// On every rail, every text that goes into the bank file must be one the file can carry: the
// pain.001 writer refuses a character XML 1.0 cannot hold, and a batch holding one could never be
// sent. The predicate is the writer's own (isXmlText), so the two cannot disagree.
import { isXmlText } from '../../bank-files/xml/escape.ts';
import type { Rule } from '../rule.ts';
import { bankFileTextFields, fieldError } from '../rule.ts';

/** No text of the payment has a character a pain.001 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF). */
export const checkBankFileText: Rule = (payment) =>
  bankFileTextFields(payment)
    .filter((field) => !isXmlText(field.value))
    .map((field) => fieldError(field.path, 'INVALID_CHARACTERS', 'contains a character a bank file cannot carry (a control character, a lone surrogate, U+FFFE or U+FFFF)'));
