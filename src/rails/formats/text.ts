// Free-text helpers shared by the rules.

/** Length in characters (code points), as ISO 20022 `MaxNText` counts, not UTF-16 units. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

// Control characters and lone surrogates cannot be written to an XML 1.0 file (pain.001), and
// U+FFFE/U+FFFF are not XML characters either.
const NOT_XML_TEXT = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u;

/** True when `text` can travel in a bank file as is. */
export function isPrintableText(text: string): boolean {
  return !NOT_XML_TEXT.test(text);
}
