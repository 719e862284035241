// Business days per market: Monday to Friday, minus public holidays (date-holidays corrected by
// the checked-in overrides), minus closures an operator declares (typhoon or black-rainstorm days).
import type { Market } from '../accounts/model.ts';
import type { RailType } from '../rails/rails.ts';
import { RAILS } from '../rails/rails.ts';
import { HOLIDAY_OVERRIDES } from './holiday-overrides.ts';
import type { HolidayOverrides } from './holiday-overrides.ts';
import { createDateHolidaysSource } from './holiday-source.ts';
import type { HolidaySource } from './holiday-source.ts';
import type { LocalDate } from './local-date.ts';
import { addDays, isValidLocalDate, isWeekend } from './local-date.ts';
import { valueDate } from './value-date.ts';

/** A day an operator has declared closed for clearing in a market, on top of the holidays. */
export interface Closure {
  market: Market;
  date: LocalDate;
  reason?: string;
}

/** Which days a market's banks settle on, and the value date a rail will actually use. */
export interface BusinessCalendar {
  isBusinessDay(market: Market, date: LocalDate): boolean;
  /** The first business day of the rail's market strictly after `date`. */
  nextBusinessDay(rail: RailType, date: LocalDate): LocalDate;
  /** The date the bank will use for a payment requested for `requestedDate` at `nowMs` (see value-date.ts). */
  valueDateFor(rail: RailType, requestedDate: LocalDate, nowMs: number): LocalDate;
  /** The public holidays of a market in a year after overrides (closures not included), sorted. */
  publicHolidays(market: Market, year: number): LocalDate[];
  /** Declares a closure from now on, e.g. when signal no. 8 is hoisted. */
  addClosure(closure: Closure): void;
}

/** What a calendar is built from; every part has a default except the closures known at start-up. */
export interface BusinessCalendarDeps {
  closures?: readonly Closure[];
  overrides?: HolidayOverrides;
  source?: HolidaySource;
}

// No market closes a whole year; a longer search means corrupt data, not a far business day.
const MAX_SEARCH_DAYS = 366;

function assertDate(date: string): void {
  if (!isValidLocalDate(date)) throw new RangeError(`not a valid YYYY-MM-DD date: ${date}`);
}

function mergeHolidays(fromLibrary: LocalDate[], overrides: HolidayOverrides, market: Market, year: number): LocalDate[] {
  const fix = overrides[market][year];
  const dates = new Set(fromLibrary);
  for (const added of fix?.add ?? []) dates.add(added.date);
  for (const removed of fix?.remove ?? []) dates.delete(removed);
  return [...dates].sort();
}

/** Holidays by market and year, computed once per year (date-holidays evaluates rules per call). */
function createHolidayTable(source: HolidaySource, overrides: HolidayOverrides) {
  const cache = new Map<string, ReadonlySet<LocalDate>>();
  const list = (market: Market, year: number): LocalDate[] => mergeHolidays(source(market, year), overrides, market, year);
  const isHoliday = (market: Market, date: LocalDate): boolean => {
    const key = `${market} ${date.slice(0, 4)}`;
    let set = cache.get(key);
    if (!set) cache.set(key, (set = new Set(list(market, Number(date.slice(0, 4))))));
    return set.has(date);
  };
  return { list, isHoliday };
}

export function createBusinessCalendar(deps: BusinessCalendarDeps = {}): BusinessCalendar {
  const holidays = createHolidayTable(deps.source ?? createDateHolidaysSource(), deps.overrides ?? HOLIDAY_OVERRIDES);
  // Closures belong to this calendar (the composition root makes one), never to the module.
  const closures = new Set<string>();
  const closureKey = (market: Market, date: LocalDate) => `${market} ${date}`;

  const addClosure = (closure: Closure): void => {
    assertDate(closure.date);
    closures.add(closureKey(closure.market, closure.date));
  };
  const isBusinessDay = (market: Market, date: LocalDate): boolean => {
    assertDate(date);
    return !isWeekend(date) && !closures.has(closureKey(market, date)) && !holidays.isHoliday(market, date);
  };
  const nextBusinessDay = (rail: RailType, date: LocalDate): LocalDate => {
    const { market } = RAILS[rail];
    let day = date;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      day = addDays(day, 1);
      if (isBusinessDay(market, day)) return day;
    }
    throw new Error(`no ${market} business day within ${MAX_SEARCH_DAYS} days after ${date}`);
  };

  for (const closure of deps.closures ?? []) addClosure(closure);
  const calendar: BusinessCalendar = {
    isBusinessDay,
    nextBusinessDay,
    publicHolidays: holidays.list,
    addClosure,
    valueDateFor: (rail, requestedDate, nowMs) => valueDate(calendar, rail, requestedDate, nowMs),
  };
  return calendar;
}
