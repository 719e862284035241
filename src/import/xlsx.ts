// An XLSX payroll file to a sheet: the first worksheet, row 1 the header, every cell as the text
// it holds. Numbers come from exceljs as JS numbers and are written back as their shortest exact
// decimal (src/import/amount.ts); formulas count by their cached result; dates are not read.
import ExcelJS from 'exceljs';
import { numberCellText } from './amount.ts';
import type { RowError, SheetResult, SheetRow } from './sheet.ts';
import { isBlankRow } from './sheet.ts';
import { tooManyRows } from './csv.ts';
import { declaredUnzippedBytes } from './zip-size.ts';

/** The most an XLSX may unpack to: 100,000 rows of a payroll sheet take a fraction of it. */
export const MAX_XLSX_UNZIPPED_BYTES = 128 * 1024 * 1024;

type CellText = { ok: true; text: string } | { ok: false; message: string };

export async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<SheetResult> {
  const unzipped = declaredUnzippedBytes(bytes);
  if (unzipped === undefined || unzipped > MAX_XLSX_UNZIPPED_BYTES)
    return {
      errors: [
        {
          line: 0,
          code: unzipped === undefined ? 'UNREADABLE_XLSX' : 'FILE_TOO_LARGE',
          message:
            unzipped === undefined
              ? 'the file is a zip whose directory cannot be read: save it again from Excel as .xlsx'
              : `the workbook unpacks to more than ${MAX_XLSX_UNZIPPED_BYTES / 1024 / 1024} MB: split it, or save it as CSV`,
        },
      ],
    };
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's types want Node's Buffer of an older @types/node; a Buffer is what it reads.
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    return { errors: [{ line: 0, code: 'UNREADABLE_XLSX', message: 'the file is a zip but not a readable XLSX workbook: save it again from Excel as .xlsx' }] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.actualRowCount === 0)
    return { errors: [{ line: 1, code: 'MISSING_HEADER', message: 'the first worksheet is empty: row 1 must be the header row' }] };
  // Counted before any row is turned into a payment (the unpacked size was bounded above).
  if (sheet.actualRowCount - 1 > maxRows) return { errors: [tooManyRows(maxRows)] };
  const errors: RowError[] = [];
  const headerCells = sheet.getRow(1);
  const width = headerCells.cellCount;
  const header: string[] = [];
  for (let c = 1; c <= width; c++) {
    const t = cellText(headerCells.getCell(c).value);
    header.push(t.ok ? t.text.trim() : '');
  }
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  if (header.length === 0)
    return { errors: [{ line: 1, code: 'MISSING_HEADER', message: 'row 1 must be the header row (name, bank, accountNumber, amount, …)' }] };
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const cells: string[] = [];
    let readable = true;
    for (let c = 1; c <= Math.max(row.cellCount, header.length); c++) {
      const t = cellText(row.getCell(c).value);
      const column = header[c - 1];
      if (!t.ok) {
        errors.push({ line, ...(column ? { field: column } : {}), code: 'UNREADABLE_CELL', message: `${row.getCell(c).address}: ${t.message}` });
        readable = false;
      } else if (column === undefined && t.text.trim() !== '') {
        errors.push({ line, code: 'WRONG_FIELD_COUNT', message: `${row.getCell(c).address} has a value but its column has no header` });
        readable = false;
      } else cells.push(t.text);
    }
    if (readable && !isBlankRow(cells)) rows.push({ line, cells: header.map((_, i) => cells[i] ?? '') });
  });
  return { sheet: { header, rows }, errors };
}

/** The text of a cell value as exceljs gives it, or why it has none that can be trusted. */
function cellText(value: ExcelJS.CellValue): CellText {
  if (value === null || value === undefined) return { ok: true, text: '' };
  if (typeof value === 'string') return { ok: true, text: value };
  if (typeof value === 'number') {
    const text = numberCellText(value);
    // 1e+21 or 1e-7: no exact digits to read; an account number that long must be a text cell.
    return /e/i.test(text) ? { ok: false, message: `the number ${text} has no exact digits: format the column as Text` } : { ok: true, text };
  }
  if (typeof value === 'boolean') return { ok: true, text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { ok: false, message: 'a date: no payroll column holds dates' };
  if ('error' in value) return { ok: false, message: `the error value ${value.error}` };
  if ('richText' in value) return { ok: true, text: value.richText.map((r) => r.text).join('') };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined) return { ok: false, message: 'a formula without a saved result: open and save the file in Excel' };
    return cellText(result as ExcelJS.CellValue);
  }
  if ('text' in value) return { ok: true, text: typeof value.text === 'string' ? value.text : '' };
  return { ok: false, message: 'a value of an unknown kind' };
}
