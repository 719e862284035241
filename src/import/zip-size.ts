// What an XLSX (a zip) unpacks to, read from its central directory before anything is unpacked:
// exceljs inflates every part into memory before it parses, so a 10 MB file of repeated rows can
// unpack to gigabytes and take the process down (a "zip bomb"). The sizes are the archive's own
// claims; a part whose data inflates beyond its claim is refused by the zip reader as corrupt.

/** The sum of the uncompressed sizes the zip declares, or undefined when they cannot be read (ZIP64, a broken directory). */
export function declaredUnzippedBytes(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: 22 bytes plus a comment of at most 65,535, at the end of the file.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || at === 0xffffffff) return undefined;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const size = view.getUint32(at + 24, true);
    if (size === 0xffffffff) return undefined;
    total += size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}
