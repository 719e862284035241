// Checked, escaped text for pain.001 elements: the schema's MaxNText limits count characters
// (code points), and a value the file cannot carry is an error naming its field.
import { charCount } from '../../rails/formats/text.ts';
import { escapeXml, XmlTextError } from '../xml/escape.ts';
import { Pain001Error } from './model.ts';

/** `value` escaped for XML, after checking it is 1–`max` characters (ISO 20022 MaxNText). */
export function text(value: string, max: number, path: string): string {
  // UTF-16 length ≥ code points, so the exact count is needed only for long values.
  if (value.length === 0 || (value.length > max && charCount(value) > max)) {
    throw new Pain001Error(`must be 1–${max} characters`, path);
  }
  try {
    return escapeXml(value);
  } catch (err) {
    if (err instanceof XmlTextError) throw new Pain001Error(err.message, path);
    throw err;
  }
}

/** The element with checked text, e.g. `<Nm>Chan &amp; Co</Nm>`. */
export function element(tag: string, value: string, max: number, path: string): string {
  return `<${tag}>${text(value, max, path)}</${tag}>`;
}
