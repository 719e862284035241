// A receiver is a bank account or (FPS, PAYNOW) a proxy: exactly one of the two.
import type { FieldError } from '../../errors.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** The receiver has a bank account number or a proxy, not both, and a proxy only where the rail takes one. */
export const checkReceiverIdentification: Rule = (payment, { rail }) => {
  const { proxy, bankAccountNumber } = payment.receiver;
  const takesProxies = Object.keys(rail.proxies).length > 0;
  const errors: FieldError[] = [];
  if (proxy !== undefined && !takesProxies) {
    errors.push(fieldError('receiver.proxy', 'PROXY_NOT_ALLOWED', `${rail.type} pays bank accounts only; proxies are for FPS and PAYNOW`));
  }
  if (proxy !== undefined && bankAccountNumber !== undefined) {
    errors.push(fieldError('receiver.proxy', 'PROXY_AND_ACCOUNT', 'give either a proxy or a bank account, not both'));
  }
  if (proxy === undefined && bankAccountNumber === undefined) {
    const what = takesProxies ? 'a bank account number or a proxy is required' : 'is required';
    errors.push(fieldError('receiver.bankAccountNumber', 'RECEIVER_ACCOUNT_REQUIRED', what));
  }
  return errors;
};
