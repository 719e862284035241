// Some rails cap a single payment (FPS, FAST, PAYNOW); the cap is data on the rail, per currency.
import { minorUnitExponent, isCurrency } from '../../money/currencies.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

// 20000000 SGD → "200000.00": string work only, so no float ever touches the amount.
function inMajorUnits(minor: number, currency: string): string {
  const exponent = isCurrency(currency) ? minorUnitExponent(currency) : 0;
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** The amount is at most the rail's maximum for the currency (none listed: no maximum). */
export const checkAmountMaximum: Rule = (payment, { rail }) => {
  const max = rail.maxAmount[payment.currency];
  // An amount that is not a valid number of minor units is INVALID_AMOUNT alone.
  if (max === undefined || !Number.isSafeInteger(payment.amount) || payment.amount <= max) return [];
  const shown = `${payment.currency} ${inMajorUnits(max, payment.currency)}`;
  return [fieldError('amount', 'AMOUNT_ABOVE_RAIL_MAXIMUM', `must be at most ${max} minor units (${shown}) on ${rail.type}`)];
};
