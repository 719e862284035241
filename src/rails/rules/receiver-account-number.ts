// Account number formats differ by market: HK local, SG local, or cross-border (up to 34
// alphanumerics, with IBAN check digits verified when it is one).
import { checkAccountNumber } from '../formats/account-number.ts';
import type { Rail } from '../rails.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

const EXPECTED: Record<Rail['accountNumberFormat'], string> = {
  hk: '6–12 digits, or 9–15 starting with the 3-digit branch code (spaces and dashes are ignored)',
  sg: '4–19 digits',
  'cross-border': 'up to 34 letters and digits, or an IBAN',
};

/** receiver.bankAccountNumber (when given) has the rail's account number format. */
export const checkReceiverAccountNumber: Rule = (payment, { rail }) => {
  const { bankAccountNumber, branchCode } = payment.receiver;
  if (bankAccountNumber === undefined) return [];
  const format = rail.accountNumberFormat;
  switch (checkAccountNumber(format, bankAccountNumber, branchCode)) {
    case 'ok':
      return [];
    case 'invalid':
      return [fieldError('receiver.bankAccountNumber', 'INVALID_ACCOUNT_NUMBER', `must be ${EXPECTED[format]} on ${rail.type}`)];
    case 'bad-iban-checksum':
      return [fieldError('receiver.bankAccountNumber', 'INVALID_IBAN', 'has the form of an IBAN but its check digits are wrong')];
  }
};
