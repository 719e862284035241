// Which currencies a rail carries is rail data: a list, any ISO 4217 code, or (ACT) whatever the
// sender account holds.
import { isCurrency } from '../../money/currencies.ts';
import type { SharedFieldRule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** The currency is ISO 4217 and one the rail carries. */
export const checkCurrency: SharedFieldRule = (payment, { rail, senderAccount }) => {
  const { currency } = payment;
  if (!isCurrency(currency)) return [fieldError('currency', 'INVALID_CURRENCY', `'${currency}' is not an ISO 4217 currency`)];
  const allowed = rail.currencies;
  switch (allowed.kind) {
    case 'listed':
      return allowed.codes.includes(currency) ? [] : [fieldError('currency', 'CURRENCY_NOT_ALLOWED', `${rail.type} carries ${allowed.codes.join(', ')} only`)];
    case 'any-iso-4217':
      return [];
    case 'held-by-sender-account':
      // Without the account there is nothing to compare with; the caller skips account checks.
      return !senderAccount || senderAccount.currencies.includes(currency)
        ? []
        : [fieldError('currency', 'CURRENCY_NOT_HELD', `the sender account does not hold ${currency}`)];
  }
};
