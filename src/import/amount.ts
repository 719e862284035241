// Amounts of a payroll file: decimals in major units ("1234.50") to integer minor units (123450),
// by moving the decimal point in the string. parseFloat is never used: 0.29 * 100 is
// 28.999999999999996 in binary floating point, and a payroll must not lose a cent to it.
import { minorUnitExponent } from '../money/currencies.ts';

/** An amount in minor units, or why the text is not one (codes: docs/IMPORT.md). */
export type AmountResult = { ok: true; minorUnits: number } | { ok: false; code: AmountErrorCode; message: string };

export type AmountErrorCode = 'INVALID_AMOUNT' | 'AMOUNT_THOUSANDS_SEPARATOR' | 'AMOUNT_TOO_MANY_DECIMALS';

const PLAIN = /^(\d+)(?:\.(\d+))?$/;
/** "1,234.50", "1 234,50", "1'234.50", "1.234,50": digit groups of three after a separator. */
const GROUPED = /^\d{1,3}(?:([,' \u00a0\u202f.])\d{3})+(?:[.,]\d+)?$/;

/**
 * `text` (major units, e.g. "1234.50") in minor units of `currency`. Only plain digits with an
 * optional point: a separator could be a thousands or a decimal separator depending on the
 * locale ("1,234" and "1.234" are each either 1234 or 1.234), so it is refused, never guessed.
 * More decimals than the currency has are refused even when they are zeros ("10.000" SGD is ten
 * thousand in half of Europe).
 */
export function parseAmount(text: string, currency: string): AmountResult {
  const exponent = minorUnitExponent(currency);
  const m = PLAIN.exec(text);
  if (!m) {
    if (GROUPED.test(text) || /^\d+,\d+$/.test(text)) {
      return {
        ok: false,
        code: 'AMOUNT_THOUSANDS_SEPARATOR',
        message: `'${text}' has a thousands or decimal-comma separator: write the amount as plain digits with a point, e.g. 1234.50`,
      };
    }
    return { ok: false, code: 'INVALID_AMOUNT', message: `'${text}' is not an amount: write plain digits with an optional decimal point, e.g. 1234.50` };
  }
  const whole = m[1]!;
  const fraction = m[2] ?? '';
  if (fraction.length > exponent) {
    return {
      ok: false,
      code: 'AMOUNT_TOO_MANY_DECIMALS',
      message: `'${text}' has ${fraction.length} decimals; ${currency} has ${exponent === 0 ? 'none' : `at most ${exponent}`}`,
    };
  }
  const digits = (whole + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  const minorUnits = Number(digits);
  if (!Number.isSafeInteger(minorUnits)) return { ok: false, code: 'INVALID_AMOUNT', message: `'${text}' is too large` };
  if (minorUnits === 0) return { ok: false, code: 'INVALID_AMOUNT', message: `'${text}' is zero: an amount must be at least ${formatAmount(1, currency)}` };
  return { ok: true, minorUnits };
}

/** Minor units written in major units with the currency's decimals: 123450 SGD → "1234.50". */
export function formatAmount(minorUnits: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const digits = String(minorUnits);
  if (exponent === 0) return digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/**
 * The decimal text of a number an XLSX cell holds (exceljs gives numeric cells as JS numbers).
 * String() gives the shortest decimal that reads back as the same double, which is what was
 * typed into the cell; a formula's float residue (1234.5600000000001) stays visible and is then
 * refused for its decimals, never rounded. Exponent forms (1e+21, 1e-7) are returned as they are
 * and refused by parseAmount.
 */
export function numberCellText(value: number): string {
  return String(value);
}
