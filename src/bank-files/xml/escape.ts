// Text for the bank files we write. Every value that came from a client (names, addresses,
// details, references) passes through here, so a '&' or '<' in a name cannot break the file.
// What XML 1.0 can carry is decided in src/text/characters.ts, with every other character check.
import { firstNonXmlCharacter } from '../../text/characters.ts';

/** A value that cannot be written into an XML 1.0 document at all. */
export class XmlTextError extends Error {}

// One character-class test decides the common case (nothing to do) for most values.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SPECIAL = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** The value escaped for element text or a double- or single-quoted attribute. */
export function escapeXml(value: string): string {
  if (!SPECIAL.test(value)) return value;
  // The message names the character, never the value: it reaches logs and failure messages.
  const refused = firstNonXmlCharacter(value);
  if (refused) throw new XmlTextError(`contains ${refused}, a character XML 1.0 cannot carry`);
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
