// The receiver's address: up to 3 lines of 35 (the MT 4*35x block after the name line), and the
// structured fields (street, building number, postal code, city, country — ISO PostalAddress
// StrtNm, BldgNb, PstCd, TwnNm, Ctry, with their lengths). Required where SWIFT AML rules want it
// (CBFT, TT, MEPS): a line or a street or city will do. Refused on ACT (a book transfer).
import type { FieldError } from '../../errors.ts';
import type { ReceiverAddress } from '../../payments/model.ts';
import { isCountryCode } from '../formats/countries.ts';
import { charCount, isBlank } from '../formats/text.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

export const ADDRESS_LINE_MAX_LENGTH = 35;
const LINES = ['line1', 'line2', 'line3'] as const;

/** The structured text fields and their ISO 20022 lengths (Max70Text, Max16Text, Max35Text). */
export const STRUCTURED_ADDRESS_FIELDS = { street: 70, buildingNumber: 16, postalCode: 16, city: 35 } as const;

function lineProblems(address: ReceiverAddress): FieldError[] {
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

function structuredProblems(address: ReceiverAddress): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, max] of Object.entries(STRUCTURED_ADDRESS_FIELDS) as [keyof typeof STRUCTURED_ADDRESS_FIELDS, number][]) {
    const value = address[key];
    if (value === undefined) continue;
    const path = `receiver.address.${key}`;
    if (isBlank(value)) errors.push(fieldError(path, 'INVALID_ADDRESS_FIELD', 'must not be blank; omit the field instead'));
    if (charCount(value) > max) errors.push(fieldError(path, 'ADDRESS_FIELD_TOO_LONG', `must be at most ${max} characters`));
  }
  if (address.country !== undefined && !isCountryCode(address.country)) {
    errors.push(fieldError('receiver.address.country', 'INVALID_COUNTRY', 'must be an ISO 3166-1 alpha-2 code, e.g. GB'));
  }
  return errors;
}

/** receiver.address is present (a non-blank line, street or city) where required, absent on ACT, and each field fits. */
export const checkReceiverAddress: Rule = (payment, { rail }) => {
  const { address } = payment.receiver;
  if (rail.receiverAddress === 'absent') {
    return address === undefined ? [] : [fieldError('receiver.address', 'RECEIVER_ADDRESS_NOT_ALLOWED', `must be omitted on ${rail.type}`)];
  }
  const hasAddress = address !== undefined && [...LINES, 'street', 'city'].some((key) => !isBlank(address[key as keyof ReceiverAddress]));
  if (rail.receiverAddress === 'required' && !hasAddress) {
    return [fieldError('receiver.address', 'RECEIVER_ADDRESS_REQUIRED', `an address (at least one line, or a street or city) is required on ${rail.type}`)];
  }
  return address === undefined ? [] : [...lineProblems(address), ...structuredProblems(address)];
};
