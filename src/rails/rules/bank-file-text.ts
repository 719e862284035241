// On every rail, every text that goes into the bank file must be one the file can carry and the
// bank can read: no control character at all (C0 including tab, CR and LF; DEL; C1), no lone
// surrogate, no U+FFFE/U+FFFF. Why no field takes a line break: src/text/characters.ts
// (isBankFileText), the one definition, which is also what the request check and the sender
// account check build on. SWIFT-format rails narrow free text further (swift-x-text).
import { isBankFileText } from '../../text/characters.ts';
import type { Rule } from '../rule.ts';
import { bankFileTextFields, fieldError } from '../rule.ts';

/** No text of the payment has a character a bank file must not carry. */
export const checkBankFileText: Rule = (payment) =>
  bankFileTextFields(payment)
    .filter((field) => !isBankFileText(field.value))
    .map((field) =>
      fieldError(
        field.path,
        'INVALID_CHARACTERS',
        'contains a character a bank file must not carry (a control character such as a tab, a line break, DEL or U+0080–U+009F; a lone surrogate; U+FFFE or U+FFFF)',
      ),
    );
