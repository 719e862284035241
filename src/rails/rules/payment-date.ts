// The requested value date: a real date, not before today and at most 90 days ahead, both
// counted in the rail's time zone (a payment made at 23:30 UTC is already "tomorrow" in HK).
// A weekend, holiday or after-cut-off date is accepted: the bank rolls it and says so (ACWC).
import { addDays, isValidLocalDate } from '../../calendars/local-date.ts';
import { todayIn } from '../../calendars/zoned-time.ts';
import type { SharedFieldRule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** How far ahead a payment may be dated. */
export const MAX_DAYS_AHEAD = 90;

/** paymentDate (when given) is a valid YYYY-MM-DD between today and today + 90 in the rail's time zone. */
export const checkPaymentDate: SharedFieldRule = (payment, { rail, now }) => {
  const date = payment.paymentDate;
  if (date === undefined) return [];
  if (!isValidLocalDate(date)) return [fieldError('paymentDate', 'INVALID_PAYMENT_DATE', 'must be an existing date written YYYY-MM-DD')];
  const today = todayIn(rail.timeZone, now);
  if (date < today) return [fieldError('paymentDate', 'PAYMENT_DATE_IN_PAST', `must not be before today (${today} in ${rail.timeZone})`)];
  const last = addDays(today, MAX_DAYS_AHEAD);
  if (date > last) return [fieldError('paymentDate', 'PAYMENT_DATE_TOO_FAR', `must be at most ${MAX_DAYS_AHEAD} days ahead (${last})`)];
  return [];
};
