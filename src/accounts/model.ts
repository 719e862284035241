// Sender (source) accounts: the client's own accounts that payments are paid from. Which market
// an account is in decides which rails may use it (HK rails need an HK account, SG rails an SG one).
import type { FieldError } from '../errors.ts';
import { isXmlText } from '../bank-files/xml/escape.ts';
import { isCurrency } from '../money/currencies.ts';

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
}

/** Every problem with an account's fields (the schema has checked types and lengths). */
export function validateAccount(input: AccountInput): FieldError[] {
  const errors: FieldError[] = [];
  // The name, number and bank are the debtor of every pain.001 paid from this account: a character
  // the file cannot carry would stop every batch of the account from being sent.
  for (const field of ['name', 'bank', 'accountNumber'] as const) {
    if (!isXmlText(input[field])) errors.push({ path: field, code: 'INVALID_CHARACTERS', message: 'contains a character a bank file cannot carry (a control character, a lone surrogate, U+FFFE or U+FFFF)' });
  }
  if (!BIC_PATTERN.test(input.bank) && !HK_BANK_CODE_PATTERN.test(input.bank)) {
    errors.push({ path: 'bank', code: 'INVALID_BANK', message: 'must be a BIC (8 or 11 characters) or a 3-digit HK bank code' });
  } else if (!marketOfBank(input.bank)) {
    errors.push({ path: 'bank', code: 'UNSUPPORTED_MARKET', message: 'sender accounts must be held at a bank in HK or SG' });
  }
  input.currencies.forEach((c, i) => {
    if (!isCurrency(c)) errors.push({ path: `currencies[${i}]`, code: 'INVALID_CURRENCY', message: `'${c}' is not an ISO 4217 currency` });
  });
  return errors;
}
