// What a payroll file is read into before its columns mean anything: the header row and the rows
// of text cells, each with the line (CSV) or row number (XLSX) a person sees in an editor.

/** A problem with the file or one of its rows; line 0 is the file as a whole. */
export interface RowError {
  line: number;
  field?: string;
  code: string;
  message: string;
}

/** One row of text cells, as many as the header has (missing trailing cells are ''). */
export interface SheetRow {
  line: number;
  cells: string[];
}

export interface Sheet {
  header: string[];
  rows: SheetRow[];
}

/** A sheet, or why the file could not be read as one (the errors say where). */
export type SheetResult = { sheet: Sheet; errors: RowError[] } | { sheet?: undefined; errors: RowError[] };

/** Rows a spreadsheet leaves behind (",,,," under the data) carry nothing: they are skipped. */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}
