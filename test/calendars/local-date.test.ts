import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, dayOfWeek, isValidLocalDate, isWeekend } from '../../src/calendars/local-date.ts';
import { minutesOf, todayIn, zonedTime } from '../../src/calendars/zoned-time.ts';

describe('local dates', () => {
  it('accepts existing dates only', () => {
    for (const d of ['2025-01-01', '2028-02-29', '2026-12-31', '0099-01-01']) assert.ok(isValidLocalDate(d), d);
    for (const d of ['2025-02-30', '2026-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-1-01', '25-01-01', ' 2025-01-01', '2025-01-01 ']) {
      assert.equal(isValidLocalDate(d), false, d);
    }
  });
  it('adds days across months, years and leap days', () => {
    assert.equal(addDays('2026-01-31', 1), '2026-02-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2026-03-10', 90), '2026-06-08');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  });
  it('knows the day of the week', () => {
    assert.equal(dayOfWeek('2026-03-10'), 2);
    assert.ok(isWeekend('2026-03-14'));
    assert.ok(isWeekend('2026-03-15'));
    assert.equal(isWeekend('2026-03-16'), false);
  });
});

describe('zoned time', () => {
  it('reads the wall clock of the zone', () => {
    assert.deepEqual(zonedTime('Asia/Hong_Kong', Date.parse('2026-03-10T16:00:00Z')), { date: '2026-03-11', minutes: 0 });
    assert.deepEqual(zonedTime('Asia/Singapore', Date.parse('2026-03-10T15:59:00Z')), { date: '2026-03-10', minutes: 23 * 60 + 59 });
    assert.deepEqual(zonedTime('UTC', Date.parse('2026-03-10T15:59:59.999Z')), { date: '2026-03-10', minutes: 15 * 60 + 59 });
  });
  it('follows daylight saving where a zone has it (the data decides, not a fixed offset)', () => {
    assert.equal(zonedTime('Europe/London', Date.parse('2026-07-01T23:30:00Z')).date, '2026-07-02');
    assert.equal(zonedTime('Europe/London', Date.parse('2026-01-01T23:30:00Z')).date, '2026-01-01');
  });
  it('is read again at each new minute, and across midnight and a daylight-saving change (its reading is kept by the minute)', () => {
    const midnight = Date.parse('2026-03-10T16:00:00Z'); // 00:00 in Singapore
    assert.deepEqual(zonedTime('Asia/Singapore', midnight - 1), { date: '2026-03-10', minutes: 23 * 60 + 59 });
    assert.deepEqual(zonedTime('Asia/Singapore', midnight), { date: '2026-03-11', minutes: 0 });
    assert.deepEqual(zonedTime('Asia/Singapore', midnight + 59_999), { date: '2026-03-11', minutes: 0 });
    assert.deepEqual(zonedTime('Asia/Singapore', midnight + 60_000), { date: '2026-03-11', minutes: 1 });
    // London goes from 01:00 GMT to 02:00 BST at 01:00 UTC on 29 March 2026.
    const change = Date.parse('2026-03-29T01:00:00Z');
    assert.equal(zonedTime('Europe/London', change - 1).minutes, 59); // 00:59 GMT
    assert.equal(zonedTime('Europe/London', change).minutes, 2 * 60);
  });
  it('todayIn is the zone date', () => assert.equal(todayIn('Asia/Singapore', Date.parse('2026-12-31T16:00:00Z')), '2027-01-01'));
  it('parses HH:MM', () => {
    assert.equal(minutesOf('17:30'), 1050);
    assert.equal(minutesOf('00:00'), 0);
    assert.throws(() => minutesOf('24:00'), RangeError);
    assert.throws(() => minutesOf('9:00'), RangeError);
  });
});
