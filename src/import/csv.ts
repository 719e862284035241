// A CSV payroll file to a sheet: UTF-8 only (a UTF-8 BOM is stripped), the delimiter detected from
// the header row, quoted fields (with newlines, quotes and delimiters inside) read by csv-parse.
import { parse } from 'csv-parse/sync';
import type { RowError, SheetResult, SheetRow } from './sheet.ts';
import { isBlankRow } from './sheet.ts';

const BOM = [0xef, 0xbb, 0xbf];
const DELIMITERS = [',', ';', '\t'] as const;

export function readCsv(input: Uint8Array, maxRows: number): SheetResult {
  // Excel's "CSV UTF-8" starts with a BOM: it is UTF-8 all the same, so it is stripped, not refused.
  const bytes = BOM.every((b, i) => input[i] === b) ? input.subarray(3) : input;
  const encodingErrors = checkUtf8(bytes);
  if (encodingErrors.length > 0) return { errors: encodingErrors };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lineAt = lineIndex(buffer);
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    // With `info`, csv-parse gives each record with where it ended (its types do not say so).
    records = parse(buffer, { delimiter: detectDelimiter(buffer), info: true, relax_column_count: true, skip_empty_lines: false }) as unknown as typeof records;
  } catch (err) {
    const e = err as { code?: string; message: string; bytes?: number };
    if (!e.code?.startsWith('CSV_') && e.code !== 'INVALID_OPENING_QUOTE') throw err;
    const line = lineAt(e.bytes ?? 0);
    return { errors: [{ line, code: 'MALFORMED_CSV', message: `the file cannot be read from line ${line} on: ${csvProblem(e.code)}` }] };
  }
  const [head, ...body] = records;
  if (!head || isBlankRow(head.record))
    return { errors: [{ line: 1, code: 'MISSING_HEADER', message: 'the first line must be the header row (name, bank, accountNumber, amount, …)' }] };
  const header = head.record.map((h) => h.trim());
  const rows: SheetRow[] = [];
  const errors: RowError[] = [];
  // info.lines of csv-parse counts a CRLF inside a quoted field as two lines: the line a record
  // starts on is found from the byte where it starts (where the previous one ended) instead.
  let start = head.info.bytes;
  for (const { record, info } of body) {
    const line = lineAt(start);
    start = info.bytes;
    if (isBlankRow(record)) continue;
    if (record.length > header.length && !isBlankRow(record.slice(header.length))) {
      errors.push({
        line,
        code: 'WRONG_FIELD_COUNT',
        message: `${record.length} fields but the header has ${header.length} (an unquoted delimiter in a value?)`,
      });
      continue;
    }
    rows.push({ line, cells: header.map((_, i) => record[i] ?? '') });
  }
  if (rows.length + errors.length > maxRows) return { errors: [tooManyRows(maxRows)] };
  return { sheet: { header, rows }, errors };
}

export const tooManyRows = (maxRows: number): RowError => ({
  line: 0,
  code: 'TOO_MANY_ROWS',
  message: `the file has more than ${maxRows.toLocaleString('en-US')} rows: split it into several files`,
});

/**
 * Every line holding bytes that are not UTF-8, or nothing. A file saved in Windows-1252 or
 * Latin-1 ("Café" as 43 61 66 E9) is refused rather than read with the wrong characters in
 * receivers' names; UTF-16 (what Excel calls "Unicode Text") says so.
 */
function checkUtf8(bytes: Uint8Array): RowError[] {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0)) {
    return [{ line: 0, code: 'INVALID_ENCODING', message: 'the file is UTF-16 or binary, not UTF-8 text: save it as "CSV UTF-8"' }];
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return [];
  } catch {
    const lines = new TextDecoder('utf-8').decode(bytes).split(/\r\n|\n|\r/);
    return lines.flatMap((text, i) =>
      text.includes('\ufffd')
        ? [{ line: i + 1, code: 'INVALID_ENCODING', message: 'bytes that are not UTF-8 (Windows-1252 or Latin-1?): save the file as "CSV UTF-8"' }]
        : [],
    );
  }
}

/** The delimiter the header row uses most outside quotes: ',' (default), ';' (European Excel) or tab. */
function detectDelimiter(buffer: Buffer): string {
  const end = buffer.findIndex((b) => b === 0x0a || b === 0x0d);
  const headerLine = buffer.subarray(0, end === -1 ? buffer.length : end).toString('utf8');
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return DELIMITERS.reduce((best, d) => (counts.get(d)! > counts.get(best)! ? d : best), ',');
}

/** The line (1-based) of a byte offset: line breaks are LF, CRLF or a lone CR. */
function lineIndex(buffer: Buffer): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < buffer.length; i++) {
    const b = buffer[i];
    if (b === 0x0a || (b === 0x0d && buffer[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function csvProblem(code: string | undefined): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by more text (write a quote inside a quoted value as "")';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted value (quote the whole value and write the quote as "")';
    default:
      return `the CSV is malformed (${code ?? 'unknown'})`;
  }
}
