// Text for the bank files we write. Every value that came from a client (names, addresses,
// details, references) passes through here, so a '&' or '<' in a name cannot break the file.

/** A value that cannot be written into an XML 1.0 document at all. */
export class XmlTextError extends Error {}

// One character-class test decides the common case (nothing to do) for most values.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SPECIAL = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// XML 1.0 §2.2: no C0 controls except tab, LF and CR; no lone surrogates; no U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when every character of `value` is one an XML 1.0 document can carry. The one definition
 * of "text a bank file can hold": the writer refuses what fails it, and the API refuses it at the
 * request (src/http/input-text.ts, the bank-file-text rail rule, sender accounts), so nothing
 * stored can stop a file from being written.
 */
export function isXmlText(value: string): boolean {
  return !NOT_XML_CHAR.test(value);
}

/** The value escaped for element text or a double- or single-quoted attribute. */
export function escapeXml(value: string): string {
  if (!SPECIAL.test(value)) return value;
  if (!isXmlText(value)) throw new XmlTextError(`contains a character XML 1.0 cannot carry: ${JSON.stringify(value)}`);
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
