// Free-text helpers shared by the rules.
import { isXmlText } from '../../bank-files/xml/escape.ts';

/** Length in characters (code points), as ISO 20022 `MaxNText` counts, not UTF-16 units. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

// Names, address lines and details are single lines of printable text: an XML file could carry a
// tab, a line break or a C1 control, but a bank's name field should not receive one.
const CONTROL = /\p{Cc}/u;

/** True when `text` can travel in a bank file (the writer's own test) and has no control character. */
export function isPrintableText(text: string): boolean {
  return isXmlText(text) && !CONTROL.test(text);
}
