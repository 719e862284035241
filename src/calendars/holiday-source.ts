// Public holidays from the date-holidays package, as plain dates in the market's local calendar.
import Holidays from 'date-holidays';
import type { Market } from '../accounts/model.ts';
import type { LocalDate } from './local-date.ts';

/** The public holidays of a market in a year, from some data source. */
export type HolidaySource = (market: Market, year: number) => LocalDate[];

/**
 * A source backed by date-holidays. The library is built once per market on first use (loading
 * its rule data is the slow part) and kept by this source, not by the module.
 */
export function createDateHolidaysSource(): HolidaySource {
  const byMarket = new Map<Market, Holidays>();
  return (market, year) => {
    let library = byMarket.get(market);
    if (!library) {
      library = new Holidays(market, { languages: ['en'], types: ['public'] });
      byMarket.set(market, library);
    }
    // `date` is local wall-clock text ('2027-05-16 00:00:00 -0600' for some Islamic rules); its
    // first ten characters are the local date, which is all a business-day calendar needs.
    return library.getHolidays(year).map((holiday) => holiday.date.slice(0, 10));
  };
}
