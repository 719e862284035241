// Calendar dates as 'YYYY-MM-DD' strings: what the API carries and what the bank files carry.
// Arithmetic runs on UTC midnights so no daylight-saving or host time zone can shift a day;
// the strings sort in date order, so comparisons are plain string comparisons.

/** A calendar date 'YYYY-MM-DD' with no time zone attached. */
export type LocalDate = string;

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(date: LocalDate): Date {
  const m = DATE_SHAPE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d;
}

function fromUtc(d: Date): LocalDate {
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** True for a well-formed date that exists: '2025-02-28' yes, '2025-02-30' and '2025-2-3' no. */
export function isValidLocalDate(date: string): boolean {
  if (!DATE_SHAPE.test(date)) return false;
  // An impossible day rolls over (Feb 30 → Mar 2), so a round trip that changes it was impossible.
  return fromUtc(toUtc(date)) === date;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return toUtc(date).getUTCDay();
}

export function isWeekend(date: LocalDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}
