// The receiver's name is required everywhere; SWIFT-format rails (CBFT, TT, MEPS) cap it at one
// 35x line, others at ISO's Max140Text.
import { charCount, isBlank } from '../formats/text.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** receiver.name is present, not blank, and within the rail's length. */
export const checkReceiverName: Rule = (payment, { rail }) => {
  const { name } = payment.receiver;
  if (isBlank(name)) return [fieldError('receiver.name', 'RECEIVER_NAME_REQUIRED', 'is required')];
  if (charCount(name) > rail.nameMaxLength) {
    return [fieldError('receiver.name', 'NAME_TOO_LONG', `must be at most ${rail.nameMaxLength} characters on ${rail.type}`)];
  }
  return [];
};
