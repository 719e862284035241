// Pins the 2025–2027 public holidays of notes §6.6 (HK) and §7.3 (SG, with the 2027 corrections),
// so a date-holidays upgrade cannot change a value date silently.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Market } from '../../src/accounts/model.ts';
import { createBusinessCalendar } from '../../src/calendars/business-calendar.ts';
import { isWeekend } from '../../src/calendars/local-date.ts';

const days = (year: number, list: string) => list.split(' ').map((md) => `${year}-${md}`);

const PINNED: Record<Market, Record<number, string[]>> = {
  HK: {
    2025: days(2025, '01-01 01-29 01-30 01-31 04-04 04-18 04-19 04-21 05-01 05-05 05-31 07-01 10-01 10-07 10-29 12-25 12-26'),
    2026: days(2026, '01-01 02-17 02-18 02-19 04-03 04-04 04-06 04-07 05-01 05-25 06-19 07-01 09-26 10-01 10-19 12-25 12-26'),
    2027: days(2027, '01-01 02-06 02-08 02-09 03-26 03-27 03-29 04-05 05-01 05-13 06-09 07-01 09-16 10-01 10-08 12-25 12-27'),
  },
  SG: {
    // 05-03: Polling Day (GE2025), a Saturday, added by override.
    2025: days(2025, '01-01 01-29 01-30 03-31 04-18 05-01 05-03 05-12 06-07 08-09 10-20 12-25'),
    // Sunday holidays are listed with their Monday substitutes (05-31 → 06-01, 08-09 → 08-10, 11-08 → 11-09).
    2026: days(2026, '01-01 02-17 02-18 03-21 04-03 05-01 05-27 05-31 06-01 08-09 08-10 11-08 11-09 12-25'),
    // Corrected: 05-17 Hari Raya Haji substitute and 05-20 Vesak Day are overrides.
    2027: days(2027, '01-01 02-06 02-07 02-08 03-09 03-26 05-01 05-16 05-17 05-20 08-09 10-28 12-25'),
  },
};

describe('public holidays 2025–2027 (pinned)', () => {
  const calendar = createBusinessCalendar();
  for (const market of ['HK', 'SG'] as const) {
    for (const year of [2025, 2026, 2027]) {
      const pinned = PINNED[market][year] ?? [];
      it(`${market} ${year}: exactly the ${pinned.length} listed days`, () => assert.deepEqual(calendar.publicHolidays(market, year), pinned));
      it(`${market} ${year}: none of them is a business day`, () => {
        for (const date of pinned) assert.equal(calendar.isBusinessDay(market, date), false, date);
      });
    }
  }

  it('SG 2027: Vesak Day (Thu 20 May) and the Hari Raya Haji substitute (Mon 17 May) are closed; Tue 18 May is open', () => {
    assert.equal(calendar.isBusinessDay('SG', '2027-05-17'), false);
    assert.equal(calendar.isBusinessDay('SG', '2027-05-20'), false);
    assert.equal(calendar.isBusinessDay('SG', '2027-05-18'), true);
  });

  it('a holiday of one market is a business day in the other', () => {
    assert.equal(calendar.isBusinessDay('HK', '2025-10-07'), false);
    assert.equal(calendar.isBusinessDay('SG', '2025-10-07'), true);
    assert.equal(calendar.isBusinessDay('SG', '2025-10-20'), false);
    assert.equal(calendar.isBusinessDay('HK', '2025-10-20'), true);
  });

  it('every weekday of 2025–2027 that is not pinned is a business day', () => {
    for (const market of ['HK', 'SG'] as const) {
      const closed = new Set(Object.values(PINNED[market]).flat());
      for (let d = new Date('2025-01-01T00:00:00Z'); d.getUTCFullYear() < 2028; d.setUTCDate(d.getUTCDate() + 1)) {
        const date = d.toISOString().slice(0, 10);
        assert.equal(calendar.isBusinessDay(market, date), !isWeekend(date) && !closed.has(date), `${market} ${date}`);
      }
    }
  });
});
