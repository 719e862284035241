// The receiver's address: up to 3 lines of 35 (the MT 4*35x block after the name line). Required
// where SWIFT AML rules want it (CBFT, TT, MEPS), refused on ACT (a book transfer).
import type { FieldError } from '../../errors.ts';
import { charCount, isBlank } from '../formats/text.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

export const ADDRESS_LINE_MAX_LENGTH = 35;
const LINES = ['line1', 'line2', 'line3'] as const;

function lineProblems(address: Partial<Record<(typeof LINES)[number], string>>): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of LINES) {
    const line = address[key];
    if (line === undefined) continue;
    const path = `receiver.address.${key}`;
    if (isBlank(line)) errors.push(fieldError(path, 'INVALID_ADDRESS_LINE', 'must not be blank; omit the line instead'));
    if (charCount(line) > ADDRESS_LINE_MAX_LENGTH) {
      errors.push(fieldError(path, 'ADDRESS_LINE_TOO_LONG', `must be at most ${ADDRESS_LINE_MAX_LENGTH} characters`));
    }
  }
  return errors;
}

/** receiver.address is present (a non-blank line) where required, absent on ACT, and its lines are 1–35 characters. */
export const checkReceiverAddress: Rule = (payment, { rail }) => {
  const { address } = payment.receiver;
  if (rail.receiverAddress === 'absent') {
    return address === undefined ? [] : [fieldError('receiver.address', 'RECEIVER_ADDRESS_NOT_ALLOWED', `must be omitted on ${rail.type}`)];
  }
  const hasLine = address !== undefined && LINES.some((key) => !isBlank(address[key]));
  if (rail.receiverAddress === 'required' && !hasLine) {
    return [fieldError('receiver.address', 'RECEIVER_ADDRESS_REQUIRED', `at least one address line is required on ${rail.type}`)];
  }
  return address === undefined ? [] : lineProblems(address);
};
