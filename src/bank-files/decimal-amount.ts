// Amounts between integer minor units (payrail) and ISO 20022 decimals (bank files). The decimal
// point is moved by string manipulation only: 0.1 + 0.2 must never reach a bank file or a ledger.

/** An amount in minor units written with `exponent` decimals: 150000, 2 → "1500.00"; 1500, 0 → "1500". */
export function formatMinorUnits(amount: number | bigint, exponent: number): string {
  const digits = amount.toString();
  if (exponent === 0) return digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** A decimal read as minor units, or why it cannot be. */
export type MinorUnitsResult = { ok: true; minorUnits: number } | { ok: false; reason: string };

const DECIMAL = /^\+?(\d*)(?:\.(\d*))?$/;

/**
 * A non-negative xs:decimal ("10", "10.5", ".50", "+7.") in minor units of a currency with
 * `exponent` decimals. Extra decimals are accepted only when they are zeros ("10.000" HKD is
 * exactly 1000); anything that would need rounding is refused rather than rounded.
 */
export function decimalToMinorUnits(text: string, exponent: number): MinorUnitsResult {
  const m = DECIMAL.exec(text.trim());
  const whole = m?.[1] ?? '';
  let fraction = m?.[2] ?? '';
  if (!m || (whole === '' && fraction === '')) return { ok: false, reason: `'${text}' is not a non-negative decimal amount` };
  if (fraction.length > exponent) {
    if (/[1-9]/.test(fraction.slice(exponent))) return { ok: false, reason: `'${text}' has more decimals than the currency's ${exponent}` };
    fraction = fraction.slice(0, exponent);
  }
  const digits = (whole + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  const minorUnits = Number(digits);
  if (!Number.isSafeInteger(minorUnits)) return { ok: false, reason: `'${text}' is too large` };
  return { ok: true, minorUnits };
}
