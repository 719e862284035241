// Corrections to the date-holidays data, checked in per market and year (notes §7.3, §8). The
// library's SG tables run out: Vesak Day is hard-coded only to 2026, and Islamic holidays get no
// Sunday → Monday substitute. Each entry says where its date comes from.
import type { Market } from '../accounts/model.ts';
import type { LocalDate } from './local-date.ts';

/** A holiday to add, with its name and source. */
export interface AddedHoliday {
  date: LocalDate;
  name: string;
  source: string;
}

/** The corrections for one market and year: holidays the library misses, and dates it wrongly lists. */
export interface YearOverrides {
  add: readonly AddedHoliday[];
  remove: readonly LocalDate[];
}

/** Overrides by market, then by year. */
export type HolidayOverrides = Readonly<Record<Market, Readonly<Record<number, YearOverrides>>>>;

export const HOLIDAY_OVERRIDES: HolidayOverrides = {
  HK: {},
  SG: {
    2025: {
      // A Saturday, so business days do not change; listed so the calendar matches MOM's list.
      add: [{ date: '2025-05-03', name: 'Polling Day (General Election 2025)', source: 'notes §7.3; MOM public holidays 2025' }],
      remove: [],
    },
    2027: {
      add: [
        // Vesak is the 15th day of the 4th lunar month (HK's Buddha's Birthday, the 8th, is 13 May
        // 2027); the same rule gives 12 May 2025 and 31 May 2026 as in MOM's lists. Confirm
        // against MOM's 2027 gazette (notes §11.5).
        { date: '2027-05-20', name: 'Vesak Day', source: 'notes §7.3 (missing from date-holidays); lunar rule, unconfirmed' },
        // Hari Raya Haji falls on Sunday 16 May 2027; a Sunday holiday moves to Monday in SG.
        { date: '2027-05-17', name: 'Hari Raya Haji (substitute)', source: 'notes §7.3 (timeanddate, tentative)' },
      ],
      remove: [],
    },
  },
};
