// Receiver account number formats (RAILS.md §1, notes §6.1 and §7.2).
import type { AccountNumberFormat } from '../rails.ts';
import { hasValidIbanChecksum, looksLikeIban } from './iban.ts';

/** Why an account number was refused, or `ok`. */
export type AccountNumberCheck = 'ok' | 'invalid' | 'bad-iban-checksum';

/**
 * The account number as it travels to the bank: HK numbers are commonly written with spaces or
 * dashes (004-123-456789) and an IBAN in groups of four, so those separators are dropped.
 */
export function normalizeAccountNumber(format: AccountNumberFormat, value: string): string {
  if (format === 'hk') return value.replace(/[ -]/g, '');
  if (format === 'cross-border') return value.replace(/ /g, '');
  return value;
}

// HK: 6–12 digits, or 9–15 when it starts with the 3-digit branch code.
function checkHk(digits: string, branchCode: string | undefined): AccountNumberCheck {
  if (!/^\d+$/.test(digits)) return 'invalid';
  if (digits.length >= 6 && digits.length <= 12) return 'ok';
  // With a separate branchCode we can tell whether the number includes it; without, we cannot.
  const includesBranch = branchCode === undefined || digits.startsWith(branchCode);
  return digits.length >= 9 && digits.length <= 15 && includesBranch ? 'ok' : 'invalid';
}

function checkCrossBorder(value: string): AccountNumberCheck {
  if (!/^[A-Za-z0-9]{1,34}$/.test(value)) return 'invalid';
  if (looksLikeIban(value) && !hasValidIbanChecksum(value)) return 'bad-iban-checksum';
  return 'ok';
}

/** Checks an account number (as sent, before normalisation) against the rail's format. */
export function checkAccountNumber(format: AccountNumberFormat, value: string, branchCode?: string): AccountNumberCheck {
  const normalized = normalizeAccountNumber(format, value);
  switch (format) {
    case 'hk':
      return checkHk(normalized, branchCode);
    case 'sg':
      return /^\d{4,19}$/.test(normalized) ? 'ok' : 'invalid';
    case 'cross-border':
      return checkCrossBorder(normalized);
  }
}
