// Which characters payrail accepts, and where: the one definition. Every check of text imports
// from here (the request check src/http/input-text.ts, the bank-file-text rail rule, sender
// accounts, the XML writers' escapeXml), so no two checks can disagree about a character.
//
// Three classes, from the loosest to the strictest:
//   XML text       what an XML 1.0 document can carry at all (§2.2): no C0 control but tab, LF
//                  and CR, no lone surrogate, no U+FFFE/U+FFFF. The writers' test: a value
//                  outside it cannot be written into any file, whatever the field.
//   body text      what a string in a request body may hold: XML text without the other Unicode
//                  control characters either (DEL U+007F, C1 U+0080–U+009F). Tab, CR and LF stay,
//                  as a client may send them in text no bank file carries; the rail rules and
//                  the account check refuse them where the text goes into a bank file.
//   one-line text  ids, filters, cursors, field names, and every text a bank file carries: no
//                  Unicode control character at all (\p{Cc}: C0, DEL and C1, tab/CR/LF included).

// XML 1.0 §2.2: no C0 controls except tab, LF and CR; no lone surrogates; no U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// \p{Cc} is exactly U+0000–U+001F, U+007F and U+0080–U+009F.
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_TAB_CR_LF = /(?![\t\n\r])\p{Cc}/u;

// Nearly every text is printable ASCII, which every class accepts: one cheap test answers it
// (the walk over a 1,000-payment batch body took 1.7 ms with the full tests, ~7 % of accepting it).
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/** True when every character of `text` is one an XML 1.0 document can carry. */
export function isXmlText(text: string): boolean {
  return PRINTABLE_ASCII.test(text) || !NOT_XML_CHAR.test(text);
}

/**
 * The first character of `text` an XML 1.0 document cannot carry, as `U+0001` (never the text
 * itself: error messages and logs name the character, not the customer's data), or undefined.
 */
export function firstNonXmlCharacter(text: string): string | undefined {
  const found = NOT_XML_CHAR.exec(text);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** True when `text` may be a string of a request body: XML text with no control character but tab, CR and LF. */
export function isBodyText(text: string): boolean {
  if (PRINTABLE_ASCII.test(text)) return true;
  return isXmlText(text) && !CONTROL_BUT_TAB_CR_LF.test(text);
}

/** True when `text` is XML text with no control character at all (ids, filters, field names). */
export function isOneLineText(text: string): boolean {
  if (PRINTABLE_ASCII.test(text)) return true;
  return isXmlText(text) && !CONTROL.test(text);
}

/**
 * True when `text` may go into a bank file: one-line text, for every field a pain.001 carries.
 * No field takes a tab, CR or LF: a name (Nm, 140) and each address line (AdrLine, 70) are one
 * line each by ISO 20022, and a break inside one is a line the bank cannot map; the details
 * (Ustrd) are one unstructured string the bank re-flows itself (SWIFT rails allow no break at
 * all); references, ids, account numbers, bank and branch codes, countries and proxies are
 * identifiers. And XML reading turns a raw CR into LF, so a CR would not even reach the bank as
 * sent. DEL and C1 controls have no printable meaning in any field.
 */
export function isBankFileText(text: string): boolean {
  return isOneLineText(text);
}
