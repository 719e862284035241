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

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** An attribute's decoded value (by its qualified name, e.g. `Ccy` or `xmlns:ns2`). */
export function attribute(element: XmlElement, name: string): string | undefined {
  if (!element.attributes.includes(name)) return undefined;
  for (const m of element.attributes.matchAll(ATTRIBUTE)) {
    if (m[1] === name) return decodeEntities(m[2] ?? m[3] ?? '', 0);
  }
  return undefined;
}
