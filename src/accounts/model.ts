// Sender (source) accounts: the client's own accounts that payments are paid from. Which market
// an account is in decides which rails may use it (HK rails need an HK account, SG rails an SG one).
import type { FieldError } from '../errors.ts';
import { isCurrency } from '../money/currencies.ts';
import { isCountryCode } from '../rails/formats/countries.ts';
import { charCount, isBlank } from '../rails/formats/text.ts';
import { isBankFileText } from '../text/characters.ts';

export type Market = 'HK' | 'SG';

export const BIC_PATTERN = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
export const HK_BANK_CODE_PATTERN = /^\d{3}$/;

/** The market of a bank: a 3-digit HK bank code is HK; a BIC says its country in letters 5–6. */
export function marketOfBank(bank: string): Market | undefined {
  if (HK_BANK_CODE_PATTERN.test(bank)) return 'HK';
  if (!BIC_PATTERN.test(bank)) return undefined;
  const country = bank.slice(4, 6);
  return country === 'HK' || country === 'SG' ? country : undefined;
}

export interface AccountInput {
  name: string;
  bank: string;
  accountNumber: string;
  currencies: string[];
  /** The holder's legal name, as the bank knows it (pain.001 Dbtr/Nm; `name` is a nickname). */
  legalName?: string;
  /** ISO 3166-1 alpha-2 of the holder's address (Dbtr/PstlAdr/Ctry). */
  country?: string;
  /** The holder's address, up to 3 lines of up to 35 characters (Dbtr/PstlAdr/AdrLine). */
  address?: string[];
  /** The bank's id for the customer (InitgPty/Id); overrides the bank connection's. */
  bankCustomerId?: string;
}

/** Limits of the debtor fields: a legal name as a party name, lines as SWIFT's 35, an id as Max35Text. */
export const ACCOUNT_LIMITS = { legalName: 140, addressLines: 3, addressLine: 35, bankCustomerId: 35 } as const;

const TEXT_PROBLEM =
  'contains a character a bank file must not carry (a control character such as a tab, a line break, DEL or U+0080–U+009F; a lone surrogate; U+FFFE or U+FFFF)';

/** The optional debtor fields (legal name, country, address, bank customer id). */
function debtorFieldProblems(input: AccountInput): FieldError[] {
  const errors: FieldError[] = [];
  const textField = (path: string, value: string, max: number) => {
    if (isBlank(value)) errors.push({ path, code: 'INVALID_VALUE', message: 'must not be blank; omit it instead' });
    else if (charCount(value) > max) errors.push({ path, code: 'INVALID_LENGTH', message: `must be at most ${max} characters` });
    if (!isBankFileText(value)) errors.push({ path, code: 'INVALID_CHARACTERS', message: TEXT_PROBLEM });
  };
  if (input.legalName !== undefined) textField('legalName', input.legalName, ACCOUNT_LIMITS.legalName);
  if (input.bankCustomerId !== undefined) textField('bankCustomerId', input.bankCustomerId, ACCOUNT_LIMITS.bankCustomerId);
  if (input.country !== undefined && !isCountryCode(input.country))
    errors.push({ path: 'country', code: 'INVALID_COUNTRY', message: 'must be an ISO 3166-1 alpha-2 code' });
  if (input.address !== undefined) {
    if (input.address.length > ACCOUNT_LIMITS.addressLines)
      errors.push({ path: 'address', code: 'INVALID_COUNT', message: `at most ${ACCOUNT_LIMITS.addressLines} lines` });
    input.address.forEach((line, i) => textField(`address[${i}]`, line, ACCOUNT_LIMITS.addressLine));
  }
  return errors;
}

/**
 * Every problem with an account's fields (the schema has checked types and lengths). A live
 * client's account must name its bank by BIC: live payments go to the bank connection serving the
 * BIC's first 8 characters (`payrail banks add --bic`), and a 3-digit HK bank code names no BIC, so
 * such an account could never pay (every payment BANK_NOT_CONNECTED).
 */
export function validateAccount(input: AccountInput, clientMode: 'test' | 'live' = 'test'): FieldError[] {
  const errors: FieldError[] = [];
  // The name, number and bank are the debtor (Dbtr/Nm, DbtrAcct, DbtrAgt) of every pain.001 paid
  // from this account: the same rule as every other text of a bank file (src/text/characters.ts),
  // so no tab or line break either: the debtor name is one line, the number and bank are ids.
  for (const field of ['name', 'bank', 'accountNumber'] as const) {
    if (!isBankFileText(input[field]))
      errors.push({
        path: field,
        code: 'INVALID_CHARACTERS',
        message:
          'contains a character a bank file must not carry (a control character such as a tab, a line break, DEL or U+0080–U+009F; a lone surrogate; U+FFFE or U+FFFF)',
      });
  }
  // HK and SG domestic account numbers are digits (spaces and dashes are dropped before this).
  if (isBankFileText(input.accountNumber) && !/^\d{1,34}$/.test(input.accountNumber)) {
    errors.push({ path: 'accountNumber', code: 'INVALID_ACCOUNT_NUMBER', message: 'must be digits (spaces and dashes allowed between them), at most 34' });
  }
  if (!BIC_PATTERN.test(input.bank) && !HK_BANK_CODE_PATTERN.test(input.bank)) {
    errors.push({ path: 'bank', code: 'INVALID_BANK', message: 'must be a BIC (8 or 11 characters) or a 3-digit HK bank code' });
  } else if (!marketOfBank(input.bank)) {
    errors.push({ path: 'bank', code: 'UNSUPPORTED_MARKET', message: 'sender accounts must be held at a bank in HK or SG' });
  } else if (clientMode === 'live' && HK_BANK_CODE_PATTERN.test(input.bank)) {
    errors.push({
      path: 'bank',
      code: 'BIC_REQUIRED',
      message:
        "a live account's bank must be its BIC (8 or 11 characters, e.g. HSBCHKHHHKH), not a 3-digit HK bank code: live payments go to the bank connection serving the BIC",
    });
  }
  input.currencies.forEach((c, i) => {
    if (!isCurrency(c)) errors.push({ path: `currencies[${i}]`, code: 'INVALID_CURRENCY', message: `'${c}' is not an ISO 4217 currency` });
  });
  errors.push(...debtorFieldProblems(input));
  return errors;
}
