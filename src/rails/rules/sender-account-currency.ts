// Which currency balance of a multi-currency account pays (seed: required when it holds several).
import type { SharedFieldRule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** senderAccountCurrency is given when the account (when known) holds several currencies, and is one it holds. */
export const checkSenderAccountCurrency: SharedFieldRule = (payment, { senderAccount }) => {
  if (senderAccount === undefined) return [];
  const chosen = payment.senderAccountCurrency;
  const held = senderAccount.currencies;
  if (chosen === undefined) {
    return held.length > 1
      ? [fieldError('senderAccountCurrency', 'SENDER_ACCOUNT_CURRENCY_REQUIRED', `is required: the sender account holds ${held.join(', ')}`)]
      : [];
  }
  return held.includes(chosen)
    ? []
    : [fieldError('senderAccountCurrency', 'SENDER_ACCOUNT_CURRENCY_NOT_HELD', `the sender account holds ${held.join(', ')} only`)];
};
