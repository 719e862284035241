import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBusinessCalendar } from '../../src/calendars/business-calendar.ts';
import type { HolidayOverrides } from '../../src/calendars/holiday-overrides.ts';

describe('business calendar', () => {
  it('Saturdays and Sundays are not business days', () => {
    const calendar = createBusinessCalendar();
    assert.equal(calendar.isBusinessDay('HK', '2026-03-14'), false);
    assert.equal(calendar.isBusinessDay('SG', '2026-03-15'), false);
    assert.equal(calendar.isBusinessDay('SG', '2026-03-16'), true);
  });

  it('nextBusinessDay is strictly after the date, skipping weekends and holidays', () => {
    const calendar = createBusinessCalendar();
    assert.equal(calendar.nextBusinessDay('ACH', '2026-03-10'), '2026-03-11');
    assert.equal(calendar.nextBusinessDay('RTGS', '2026-04-02'), '2026-04-08'); // Good Friday to Easter Tuesday
    assert.equal(calendar.nextBusinessDay('MEPS', '2027-05-14'), '2027-05-18'); // over the Hari Raya Haji substitute
    assert.equal(calendar.nextBusinessDay('TT', '2026-12-24'), '2026-12-28');
    assert.equal(calendar.nextBusinessDay('FPS', '2026-03-13'), '2026-03-16'); // 24x7 rails use the market's days too
  });

  it('closures given at construction close the day in that market only', () => {
    const calendar = createBusinessCalendar({ closures: [{ market: 'HK', date: '2026-03-11', reason: 'typhoon signal 8' }] });
    assert.equal(calendar.isBusinessDay('HK', '2026-03-11'), false);
    assert.equal(calendar.isBusinessDay('SG', '2026-03-11'), true);
    assert.equal(calendar.nextBusinessDay('ACH', '2026-03-10'), '2026-03-12');
  });

  it('a closure added at run time takes effect at once, even for a year already looked up', () => {
    const calendar = createBusinessCalendar();
    assert.equal(calendar.isBusinessDay('HK', '2026-09-15'), true);
    calendar.addClosure({ market: 'HK', date: '2026-09-15', reason: 'black rainstorm' });
    assert.equal(calendar.isBusinessDay('HK', '2026-09-15'), false);
    assert.equal(calendar.publicHolidays('HK', 2026).includes('2026-09-15'), false); // a closure is not a holiday
  });

  it('two calendars do not share closures', () => {
    const a = createBusinessCalendar();
    const b = createBusinessCalendar();
    a.addClosure({ market: 'SG', date: '2026-03-11' });
    assert.equal(b.isBusinessDay('SG', '2026-03-11'), true);
  });

  it('overrides add and remove dates on top of the source', () => {
    const overrides: HolidayOverrides = { HK: {}, SG: { 2030: { add: [{ date: '2030-01-02', name: 'X', source: 'test' }], remove: ['2030-01-01'] } } };
    const calendar = createBusinessCalendar({ overrides, source: (market, year) => (market === 'SG' && year === 2030 ? ['2030-01-01', '2030-01-03'] : []) });
    assert.deepEqual(calendar.publicHolidays('SG', 2030), ['2030-01-02', '2030-01-03']);
    assert.equal(calendar.isBusinessDay('SG', '2030-01-01'), true);
    assert.equal(calendar.isBusinessDay('SG', '2030-01-02'), false);
  });

  it('refuses an impossible date', () => {
    const calendar = createBusinessCalendar();
    assert.throws(() => calendar.isBusinessDay('HK', '2026-02-30'), RangeError);
    assert.throws(() => calendar.addClosure({ market: 'HK', date: 'tomorrow' }), RangeError);
  });

  it('gives up instead of looping when a whole year is closed', () => {
    const calendar = createBusinessCalendar({
      source: (_m, year) => Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(year, 0, 1 + i)).toISOString().slice(0, 10)),
    });
    assert.throws(() => calendar.nextBusinessDay('ACH', '2026-01-01'), /no HK business day/);
  });
});
