// The SWIFT "x" character set (notes §10): what MT103 fields carry. Anything else makes SWIFT NAK
// the message (M60). `{` and `}` are left out on purpose: they delimit FIN blocks.
const SWIFT_X = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

/** True when every character of `text` is in the SWIFT x set. */
export function isSwiftX(text: string): boolean {
  return SWIFT_X.test(text);
}

/** A narrative line may not start with ':' or '-' (it would read as a new field tag or block end). */
export function hasForbiddenSwiftLineStart(text: string): boolean {
  return text.startsWith(':') || text.startsWith('-');
}
