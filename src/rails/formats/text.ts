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
