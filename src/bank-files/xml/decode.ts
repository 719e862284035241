// A bank file's bytes to text (XML 1.0 §4.3.3 and appendix F). Banks send UTF-8 with or without a
// byte order mark, UTF-16 in either byte order with one, and now and then an 8-bit encoding named
// in the declaration. The byte order mark is the surest sign of the encoding, so when the
// declaration contradicts it the mark wins and the contradiction becomes a warning.

/** Bytes that cannot be read as text at all (an encoding payrail cannot decode). */
export class XmlEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlEncodingError';
  }
}

/** The text of a file and what was off about its encoding. */
export interface DecodedXml {
  text: string;
  warnings: string[];
}

/** Byte order marks, longest first: UTF-32's begin like UTF-16's. */
const MARKS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32BE' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32LE' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'UTF-8' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16BE' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16LE' },
];

/** '<?' without a byte order mark (appendix F): how a UTF-16 file that lacks one still shows itself. */
const UNMARKED_UTF16: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0x3c, 0x00, 0x3f, 0x00], encoding: 'UTF-16LE' },
  { bytes: [0x00, 0x3c, 0x00, 0x3f], encoding: 'UTF-16BE' },
];

const DECLARED = /^<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** The encoding named in the XML declaration at the start of `text`, if any (a declaration is short: 256 characters are looked at). */
function declaredIn(text: string): string | undefined {
  const m = DECLARED.exec(text.slice(0, 256));
  const name = (m?.[1] ?? m?.[2])?.trim();
  return name || undefined;
}

/** UTF-16 and its aliases in either byte order are one family: a declaration says "UTF-16", a mark gives the order. */
function family(encoding: string): string {
  const name = encoding.toLowerCase();
  if (/^(utf-?16(le|be)?|ucs-?2|iso-10646-ucs-2|unicode)$/.test(name)) return 'utf-16';
  if (/^utf-?8$/.test(name)) return 'utf-8';
  return name;
}

/** The text in an encoding TextDecoder knows; bytes that are not valid in it are replaced, with a warning. */
function decodeAs(bytes: Uint8Array, encoding: string, warnings: string[]): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch {
    throw new XmlEncodingError(`the file is in encoding '${encoding}', which payrail cannot read`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    // Lenient, like the rest of the reading: ids and codes are ASCII and survive; the file is said to be off.
    warnings.push(`the file has bytes that are not valid ${encoding}; each was read as U+FFFD`);
    return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  }
}

/** The text of an XML file from its bytes. Throws XmlEncodingError for an encoding payrail cannot read. */
export function decodeXml(bytes: Uint8Array): DecodedXml {
  const warnings: string[] = [];
  const mark = MARKS.find((m) => startsWith(bytes, m.bytes));
  if (mark?.encoding.startsWith('UTF-32')) throw new XmlEncodingError(`the file is in ${mark.encoding}, which payrail cannot read`);
  if (mark) {
    const text = decodeAs(bytes.subarray(mark.bytes.length), mark.encoding, warnings);
    const declared = declaredIn(text);
    if (declared && family(declared) !== family(mark.encoding)) {
      warnings.push(`the declaration says encoding '${declared}' but the file starts with a ${mark.encoding} byte order mark; read as ${mark.encoding}`);
    }
    return { text, warnings };
  }
  const unmarked = UNMARKED_UTF16.find((m) => startsWith(bytes, m.bytes));
  if (unmarked) {
    warnings.push(`the file is ${unmarked.encoding} without a byte order mark; read as ${unmarked.encoding}`);
    return { text: decodeAs(bytes, unmarked.encoding, warnings), warnings };
  }
  // An ASCII-compatible encoding: the declaration, readable as Latin-1, names it (UTF-8 when it does not).
  const declared = declaredIn(new TextDecoder('latin1').decode(bytes.subarray(0, 256)));
  if (declared && family(declared) === 'utf-16') {
    warnings.push(`the declaration says encoding '${declared}' but the file is not UTF-16 (no byte order mark, 8-bit text); read as UTF-8`);
  }
  const encoding = declared && family(declared) !== 'utf-16' ? declared : 'UTF-8';
  return { text: decodeAs(bytes, encoding, warnings), warnings };
}
