// "Today" and "the time now" in a rail's time zone. Intl.DateTimeFormat applies the IANA rules,
// so no offset is hard-coded (HK and SG are UTC+8 today, but the data says so, not this code).
import type { LocalDate } from './local-date.ts';

/** A wall-clock reading in some time zone: the date and minutes since local midnight. */
export interface ZonedTime {
  date: LocalDate;
  minutes: number;
}

// Building an Intl.DateTimeFormat costs far more than using one (tens of µs: ICU loads the zone's
// rules), and every payment validated asks for today's date: one formatter per time zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      // h23: midnight is hour 0; with hour12:false some ICU versions print it as 24.
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// The last reading per time zone, by the minute: the date and the minutes since midnight are the
// same for every instant of one UTC minute (offsets since 1972 are whole minutes, and they change
// at a minute's start). A batch validates its 1,000 payments at one instant, and single payments
// come by the thousand a second: one formatToParts (~4 µs) a minute, not one each.
const lastReading = new Map<string, { minute: number; time: Readonly<ZonedTime> }>();

/** The local date and time at `nowMs` (ms since the epoch) in `timeZone`. */
export function zonedTime(timeZone: string, nowMs: number): Readonly<ZonedTime> {
  const minute = Math.floor(nowMs / 60_000);
  const last = lastReading.get(timeZone);
  if (last?.minute === minute) return last.time;
  const parts = formatterFor(timeZone).formatToParts(new Date(minute * 60_000));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '0';
  const date = `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
  const time = Object.freeze({ date, minutes: Number(part('hour')) * 60 + Number(part('minute')) });
  lastReading.set(timeZone, { minute, time });
  return time;
}

/** Today's date in `timeZone` at `nowMs`. */
export function todayIn(timeZone: string, nowMs: number): LocalDate {
  return zonedTime(timeZone, nowMs).date;
}

/** Minutes since midnight of a 'HH:MM' time, e.g. '17:30' → 1050. */
export function minutesOf(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`not an HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}
