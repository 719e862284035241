// A payroll file (CSV or XLSX, SPEC §12) read into batch items, with every problem by line: the
// reader of `payrail import` and of the console's upload preview. Nothing here talks to the API:
// the rail rules are checked by it (POST /v1/payment-batches/validate), this checks the file.
import { RAILS, isRailType } from '../rails/rails.ts';
import { isCurrency } from '../money/currencies.ts';
import { rowsFromSheet } from './columns.ts';
import type { PayrollRow } from './columns.ts';
import { readCsv } from './csv.ts';
import type { RowError, SheetResult } from './sheet.ts';

export type { PayrollRow } from './columns.ts';
export type { RowError } from './sheet.ts';
export { COLUMNS, columnOfPath } from './columns.ts';
export { formatAmount, parseAmount } from './amount.ts';

/** The limits SPEC §12's tools share: larger files are refused whole, with one error. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILE_ROWS = 100_000;

export interface ReadOptions {
  /** The file's name: its extension tells CSV from a file that is neither CSV nor XLSX. */
  fileName: string;
  /** The batch currency: how many decimals an amount may have. */
  currency: string;
  /** The batch's rail: on a cross-border one (CBFT, TT) `country` is the receiver's country, elsewhere its address's. */
  type?: string;
  maxBytes?: number;
  maxRows?: number;
}

/**
 * Every row of the file as a batch item, and every problem found, sorted by line (line 0: the
 * file as a whole). Rows with a problem are left out of `rows`; a file with a file-level problem
 * (encoding, size, type, malformed CSV) has no rows. Lines are those a person sees: the header is
 * line 1, and a CSV row whose quoted value holds a newline is numbered by the line it starts on.
 */
export async function readPayrollFile(bytes: Uint8Array, o: ReadOptions): Promise<{ rows: PayrollRow[]; errors: RowError[] }> {
  const maxBytes = o.maxBytes ?? MAX_FILE_BYTES;
  const maxRows = o.maxRows ?? MAX_FILE_ROWS;
  if (!isCurrency(o.currency)) return fileError('INVALID_CURRENCY', `'${o.currency}' is not an ISO 4217 currency`);
  if (bytes.byteLength > maxBytes) {
    // "larger than 10 MB (10,485,761 bytes)", not "10.0 MB; the limit is 10.0 MB": the console
    // reads a body of at most the limit plus one byte, so that is the size this says most.
    return fileError(
      'FILE_TOO_LARGE',
      `the file is larger than ${sizeText(maxBytes)} (${bytes.byteLength.toLocaleString('en-US')} bytes): split it into several files`,
    );
  }
  const read = await readSheet(bytes, o.fileName, maxRows);
  if (!read.sheet) return { rows: [], errors: read.errors };
  const crossBorder = o.type !== undefined && isRailType(o.type) && RAILS[o.type].crossBorder;
  const { rows, errors } = rowsFromSheet(read.sheet, o.currency, crossBorder);
  return { rows, errors: [...read.errors, ...errors].sort((a, b) => a.line - b.line) };
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** CSV or XLSX by content first (an XLSX is a zip), then by name; anything else is refused. */
function readSheet(bytes: Uint8Array, fileName: string, maxRows: number): SheetResult | Promise<SheetResult> {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  // exceljs is loaded only for a workbook: it takes longer to load than a CSV takes to read.
  if (startsWith(bytes, ZIP)) return import('./xlsx.ts').then((x) => x.readXlsx(bytes, maxRows));
  if (startsWith(bytes, OLE)) return fileError('UNSUPPORTED_FILE_TYPE', 'an Excel 97-2003 (.xls) workbook: save it as .xlsx or as CSV UTF-8');
  if (extension === 'xlsx' || extension === 'xlsm') return fileError('UNSUPPORTED_FILE_TYPE', `'${fileName}' is named like an XLSX workbook but is not one`);
  if (!['csv', 'txt', 'tsv', ''].includes(extension)) {
    return fileError('UNSUPPORTED_FILE_TYPE', `'${fileName}' is neither a CSV (.csv, UTF-8) nor an XLSX (.xlsx) file`);
  }
  return readCsv(bytes, maxRows);
}

function fileError(code: string, message: string): { rows: PayrollRow[]; errors: RowError[] } {
  return { rows: [], errors: [{ line: 0, code, message }] };
}

const MIB = 1024 * 1024;
/** A size limit as the page and the CLI say it: "10 MB" (binary megabytes, as MAX_FILE_BYTES is), else bytes. */
const sizeText = (n: number) => (n % MIB === 0 ? `${n / MIB} MB` : `${n.toLocaleString('en-US')} bytes`);
