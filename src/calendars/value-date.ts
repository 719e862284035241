// The value date a bank will actually use. RAILS.md §1: a payment dated on a non-business day,
// or today after the cut-off, is accepted; the bank rolls it to the next business day (ACWC).
// Payrail computes the same roll so it can tell the client up front and check the ACWC.
import type { RailType } from '../rails/rails.ts';
import { RAILS } from '../rails/rails.ts';
import type { BusinessCalendar } from './business-calendar.ts';
import type { LocalDate } from './local-date.ts';
import { isValidLocalDate } from './local-date.ts';
import { minutesOf, zonedTime } from './zoned-time.ts';

/**
 * 24x7 rails: the requested date. Business-day rails: the requested date when it is a business day
 * and, if it is today in the rail's time zone, the local time is before the cut-off (at the cut-off
 * minute itself it is too late); otherwise the next business day. A date before today is treated
 * as today: a bank never settles in the past.
 */
export function valueDate(calendar: BusinessCalendar, rail: RailType, requestedDate: LocalDate, nowMs: number): LocalDate {
  if (!isValidLocalDate(requestedDate)) throw new RangeError(`not a valid YYYY-MM-DD date: ${requestedDate}`);
  const { valueDates, timeZone, market } = RAILS[rail];
  const now = zonedTime(timeZone, nowMs);
  const date = requestedDate < now.date ? now.date : requestedDate;
  if (valueDates.kind === '24x7') return date;
  const tooLateToday = date === now.date && now.minutes >= minutesOf(valueDates.cutOff);
  if (calendar.isBusinessDay(market, date) && !tooLateToday) return date;
  return calendar.nextBusinessDay(rail, date);
}
