// IBAN (ISO 13616): not used in HK or SG, but cross-border receivers elsewhere often have one.

// Two letters of country, two check digits, 11–30 alphanumerics: 15 (Norway) to 34 characters.
const IBAN_SHAPE = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;

/** True when `value` has the shape of an IBAN, so its check digits should be verified. */
export function looksLikeIban(value: string): boolean {
  return IBAN_SHAPE.test(value);
}

/**
 * The ISO 7064 mod-97-10 check: move the first four characters to the end, letters to numbers
 * (A=10 … Z=35), and the remainder mod 97 must be 1. Computed digit by digit so no number grows
 * past 97·10, exact without BigInt.
 */
export function hasValidIbanChecksum(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const digits = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}
