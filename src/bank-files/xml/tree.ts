// Reading values out of a parsed element tree. Every value stays a string: amounts, dates and
// ids with leading zeros are exactly what the bank wrote.
import type { XmlElement } from './parse.ts';
import { decodeEntities } from './parse.ts';

/** The first child element with that local name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  const children = element?.children;
  if (!children) return undefined;
  for (const c of children) if (c.name === name) return c;
  return undefined;
}

/** Every child element with that local name, in document order. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children?.filter((c) => c.name === name) ?? [];
}

/** The element's text, trimmed; undefined when the element is missing or empty. */
export function textOf(element: XmlElement | undefined): string | undefined {
  const text = element?.text.trim();
  return text ? text : undefined;
}

/** The trimmed text of the first child with that name. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  return textOf(child(element, name));
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * An attribute's decoded value (by its qualified name, e.g. `Ccy` or `xmlns:ns2`). A scan, not a
 * regular expression: a regex over a long run of name characters with no '=' backtracks
 * quadratically (a 40,000-character junk attribute took 3 s), and a bank file must not stall the
 * reader. Stops at the first thing that is not `name = "value"`.
 */
export function attribute(element: XmlElement, name: string): string | undefined {
  const raw = element.attributes;
  if (!raw.includes(name)) return undefined;
  let i = 0;
  for (;;) {
    while (i < raw.length && isSpace(raw.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < raw.length && raw[i] !== '=' && !isSpace(raw.charCodeAt(i))) i++;
    const nameEnd = i;
    while (i < raw.length && isSpace(raw.charCodeAt(i))) i++;
    if (nameEnd === nameStart || raw[i] !== '=') return undefined;
    i++;
    while (i < raw.length && isSpace(raw.charCodeAt(i))) i++;
    const quote = raw[i];
    if (quote !== '"' && quote !== "'") return undefined;
    const valueEnd = raw.indexOf(quote, i + 1);
    if (valueEnd === -1) return undefined;
    if (nameEnd - nameStart === name.length && raw.startsWith(name, nameStart)) return decodeEntities(raw.slice(i + 1, valueEnd), 0);
    i = valueEnd + 1;
  }
}
