import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBusinessCalendar } from '../../src/calendars/business-calendar.ts';
import type { RailType } from '../../src/rails/rails.ts';

// HK and SG are UTC+8: 17:30 local is 09:30 UTC.
const at = (localIso: string) => Date.parse(`${localIso}+08:00`);

type Case = [name: string, rail: RailType, requested: string, now: number, expected: string];

const CASES: Case[] = [
  ['24x7 FPS: a Sunday stays a Sunday', 'FPS', '2026-03-15', at('2026-03-10T10:00'), '2026-03-15'],
  ['24x7 FAST: a holiday stays', 'FAST', '2026-08-10', at('2026-08-01T10:00'), '2026-08-10'],
  ['24x7 PAYNOW: today at 23:59 stays today', 'PAYNOW', '2026-03-10', at('2026-03-10T23:59'), '2026-03-10'],
  ['ACH today at 17:29 HKT: today', 'ACH', '2026-03-10', at('2026-03-10T17:29'), '2026-03-10'],
  ['ACH today at 17:30 HKT (the cut-off): next business day', 'ACH', '2026-03-10', at('2026-03-10T17:30'), '2026-03-11'],
  ['RTGS Friday after 17:30 HKT: Monday', 'RTGS', '2026-03-13', at('2026-03-13T18:00'), '2026-03-16'],
  ['RTGS Good Friday 2026: Wednesday 8 April (Easter Monday and its follower are holidays)', 'RTGS', '2026-04-03', at('2026-03-20T10:00'), '2026-04-08'],
  ['CBFT today at 15:59 HKT: today', 'CBFT', '2026-03-10', at('2026-03-10T15:59'), '2026-03-10'],
  ['CBFT today at 16:00 HKT: tomorrow', 'CBFT', '2026-03-10', at('2026-03-10T16:00'), '2026-03-11'],
  ['ACH Friday before LNY 2027 after cut-off: Wednesday 10 Feb', 'ACH', '2027-02-05', at('2027-02-05T17:45'), '2027-02-10'],
  ['MEPS today at 14:59 SGT: today', 'MEPS', '2026-03-10', at('2026-03-10T14:59'), '2026-03-10'],
  ['MEPS today at 15:00 SGT: tomorrow', 'MEPS', '2026-03-10', at('2026-03-10T15:00'), '2026-03-11'],
  ['MEPS Friday 14 May 2027 after cut-off: Tuesday 18 May (over the Hari Raya Haji substitute)', 'MEPS', '2027-05-14', at('2027-05-14T16:00'), '2027-05-18'],
  ['TT on Vesak Day 2027: Friday 21 May', 'TT', '2027-05-20', at('2027-05-01T10:00'), '2027-05-21'],
  ['ACT today at 17:59 SGT: today', 'ACT', '2026-03-10', at('2026-03-10T17:59'), '2026-03-10'],
  ['ACT today at 18:00 SGT: tomorrow', 'ACT', '2026-03-10', at('2026-03-10T18:00'), '2026-03-11'],
  ["ACT a future business day after today's cut-off: unchanged", 'ACT', '2026-03-12', at('2026-03-10T20:00'), '2026-03-12'],
  ['ACT Christmas 2026 (Friday): Monday 28 Dec', 'ACT', '2026-12-25', at('2026-12-01T10:00'), '2026-12-28'],
  ['a requested date already past is treated as today', 'ACH', '2026-03-09', at('2026-03-10T10:00'), '2026-03-10'],
  ['a requested date already past, after the cut-off: next business day', 'ACH', '2026-03-09', at('2026-03-10T18:00'), '2026-03-11'],
];

describe('valueDateFor', () => {
  const calendar = createBusinessCalendar();
  for (const [name, rail, requested, now, expected] of CASES) {
    it(name, () => assert.equal(calendar.valueDateFor(rail, requested, now), expected));
  }

  describe('time zones: "today" and the cut-off are the rail\'s, not UTC\'s', () => {
    it('at 23:00 UTC on 10 March it is already 07:00 on 11 March in HK: 11 March is today, before the cut-off', () =>
      assert.equal(calendar.valueDateFor('ACH', '2026-03-11', Date.parse('2026-03-10T23:00:00Z')), '2026-03-11'));
    it('at 09:30 UTC it is 17:30 in HK: ACH today rolls', () =>
      assert.equal(calendar.valueDateFor('ACH', '2026-03-10', Date.parse('2026-03-10T09:30:00Z')), '2026-03-11'));
    it('at 07:00 UTC it is 15:00 in SG: MEPS today rolls, CBFT (16:00 HKT) does not', () => {
      const now = Date.parse('2026-03-10T07:00:00Z');
      assert.equal(calendar.valueDateFor('MEPS', '2026-03-10', now), '2026-03-11');
      assert.equal(calendar.valueDateFor('CBFT', '2026-03-10', now), '2026-03-10');
    });
    it('at 16:00 UTC on Friday it is Saturday 00:00 in HK: a Friday request is past, so it rolls to Monday', () =>
      assert.equal(calendar.valueDateFor('RTGS', '2026-03-13', Date.parse('2026-03-13T16:00:00Z')), '2026-03-16'));
  });

  it('a typhoon closure rolls business-day rails but not 24x7 ones', () => {
    const closed = createBusinessCalendar({ closures: [{ market: 'HK', date: '2026-03-11' }] });
    assert.equal(closed.valueDateFor('ACH', '2026-03-11', at('2026-03-10T10:00')), '2026-03-12');
    assert.equal(closed.valueDateFor('FPS', '2026-03-11', at('2026-03-10T10:00')), '2026-03-11');
    assert.equal(closed.valueDateFor('MEPS', '2026-03-11', at('2026-03-10T10:00')), '2026-03-11');
  });

  it('refuses an impossible requested date', () => assert.throws(() => calendar.valueDateFor('ACH', '2026-02-30', at('2026-02-01T10:00')), RangeError));
});
