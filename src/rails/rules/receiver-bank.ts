// The receiver's bank: a BIC, or on HK domestic rails a 3-digit HK bank code. Absent on ACT (the
// sender's own bank) and with a proxy (the scheme resolves the bank from the proxy).
import { BIC_PATTERN, HK_BANK_CODE_PATTERN, marketOfBank } from '../../accounts/model.ts';
import type { FieldError } from '../../errors.ts';
import type { Rail } from '../rails.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

function formatProblems(bank: string, rail: Rail, formats: readonly ('bic' | 'hk-bank-code')[]): FieldError[] {
  const isBic = BIC_PATTERN.test(bank);
  const isHkCode = HK_BANK_CODE_PATTERN.test(bank);
  if (!(formats.includes('bic') && isBic) && !(formats.includes('hk-bank-code') && isHkCode)) {
    const expected = formats.includes('hk-bank-code') ? 'a BIC (8 or 11 characters) or a 3-digit HK bank code' : 'a BIC (8 or 11 characters)';
    return [fieldError('receiver.bank', 'INVALID_RECEIVER_BANK', `must be ${expected}`)];
  }
  // Domestic clearing reaches only the market's own banks (and their local branches' BICs).
  if (!rail.crossBorder && marketOfBank(bank) !== rail.market) {
    return [fieldError('receiver.bank', 'RECEIVER_BANK_MARKET_MISMATCH', `${rail.type} pays banks in ${rail.market} only`)];
  }
  return [];
}

/** receiver.bank is absent on ACT and with a proxy; otherwise present and of a form the rail takes. */
export const checkReceiverBank: Rule = (payment, { rail }) => {
  const { bank, proxy } = payment.receiver;
  const rule = rail.receiverBank;
  if (rule === 'absent') {
    return bank === undefined
      ? []
      : [fieldError('receiver.bank', 'RECEIVER_BANK_NOT_ALLOWED', `${rail.type} pays within the sender's bank; omit receiver.bank`)];
  }
  // A proxy on a rail without proxies is refused elsewhere; the payment then needs its bank.
  const byProxy = proxy !== undefined && Object.keys(rail.proxies).length > 0;
  if (byProxy) {
    return bank === undefined ? [] : [fieldError('receiver.bank', 'RECEIVER_BANK_NOT_ALLOWED', 'must be omitted when paying a proxy')];
  }
  if (bank === undefined) return [fieldError('receiver.bank', 'RECEIVER_BANK_REQUIRED', 'is required when paying a bank account')];
  return formatProblems(bank, rail, rule.formats);
};
