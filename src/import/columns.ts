// The columns of a payroll file (SPEC §12) and how a row of them becomes one payment of a batch.
// Only what the file itself can get wrong is checked here (columns, missing values, amounts,
// duplicate references); the rail rules are the API's, whose errors map back to these columns.
import type { BatchItem } from '../batches/schemas.ts';
import { parseAmount } from './amount.ts';
import type { RowError, Sheet } from './sheet.ts';

export const COLUMNS = [
  'name',
  'bank',
  'accountNumber',
  'proxyType',
  'proxyValue',
  'amount',
  'reference',
  'details',
  'addressLine1',
  'addressLine2',
  'addressLine3',
  'city',
  'country',
] as const;
export type Column = (typeof COLUMNS)[number];

/** A row that became a payment: the line it came from and the batch item. */
export interface PayrollRow {
  line: number;
  item: BatchItem;
}

/** Where each column is (header names match case-insensitively), or the header's problems. */
function mapHeader(sheet: Sheet): { index: Map<Column, number>; errors: RowError[] } {
  const byLowerName = new Map(COLUMNS.map((c) => [c.toLowerCase(), c]));
  const index = new Map<Column, number>();
  const errors: RowError[] = [];
  sheet.header.forEach((name, i) => {
    const column = byLowerName.get(name.toLowerCase());
    if (name === '') {
      // A trailing delimiter leaves a nameless empty column: harmless unless something is in it.
      if (sheet.rows.some((r) => r.cells[i]!.trim() !== ''))
        errors.push({ line: 1, code: 'UNKNOWN_COLUMN', message: `column ${i + 1} has values but no name` });
    } else if (!column) {
      errors.push({ line: 1, field: name, code: 'UNKNOWN_COLUMN', message: `unknown column '${name}'; the columns are ${COLUMNS.join(', ')}` });
    } else if (index.has(column)) {
      errors.push({ line: 1, field: column, code: 'DUPLICATE_COLUMN', message: `column '${column}' appears twice` });
    } else index.set(column, i);
  });
  for (const column of ['name', 'amount'] as const) {
    if (!index.has(column)) errors.push({ line: 1, field: column, code: 'MISSING_COLUMN', message: `the header has no '${column}' column` });
  }
  const proxy = index.has('proxyType') || index.has('proxyValue');
  if (proxy && !index.has('proxyType'))
    errors.push({ line: 1, field: 'proxyType', code: 'MISSING_COLUMN', message: "'proxyValue' needs a 'proxyType' column" });
  if (proxy && !index.has('proxyValue'))
    errors.push({ line: 1, field: 'proxyValue', code: 'MISSING_COLUMN', message: "'proxyType' needs a 'proxyValue' column" });
  if (!proxy && !index.has('accountNumber')) {
    errors.push({ line: 1, field: 'accountNumber', code: 'MISSING_COLUMN', message: "the header needs 'accountNumber', or 'proxyType' and 'proxyValue'" });
  }
  return { index, errors };
}

/** A row's values by column: trimmed ('' for an empty cell or a column the file does not have). */
type Values = Record<Column, string>;
const EMPTY = Object.fromEntries(COLUMNS.map((c) => [c, ''])) as Values;

/**
 * Every row of the sheet as a batch item, and every problem with its line. A column missing from
 * the header is reported once (by mapHeader), not again on every row. (No closures are made per
 * row: a 100,000-row file is read in well under a second.)
 */
export function rowsFromSheet(sheet: Sheet, currency: string, crossBorder = false): { rows: PayrollRow[]; errors: RowError[] } {
  const { index, errors } = mapHeader(sheet);
  const present = [...index.entries()];
  const rows: PayrollRow[] = [];
  const referenceLines = new Map<string, number[]>();
  for (const { line, cells } of sheet.rows) {
    // Values are trimmed: spreadsheets keep stray spaces that no bank field wants.
    const v = { ...EMPTY };
    for (const [column, i] of present) v[column] = cells[i]!.trim();
    const before = errors.length;
    const amount = checkRow(line, v, index, currency, errors);
    if (v.reference !== '') {
      const lines = referenceLines.get(v.reference);
      if (lines) lines.push(line);
      else referenceLines.set(v.reference, [line]);
    }
    if (errors.length === before) rows.push({ line, item: itemOf(v, amount, crossBorder) });
  }
  const duplicated = new Set<number>();
  for (const [reference, lines] of referenceLines) {
    if (lines.length < 2) continue;
    for (const line of lines) {
      duplicated.add(line);
      const others = lines.filter((l) => l !== line).join(', ');
      errors.push({ line, field: 'reference', code: 'DUPLICATE_CUSTOMER_REFERENCE', message: `reference '${reference}' is also on line ${others}` });
    }
  }
  // Without a required column no row is a payment: none is given on (the API would only say
  // again, on every row, what the one MISSING_COLUMN says).
  const complete = !errors.some((e) => e.code === 'MISSING_COLUMN');
  return { rows: complete ? rows.filter((r) => !duplicated.has(r.line)) : [], errors: errors.sort((a, b) => a.line - b.line) };
}

/** The row's problems, pushed onto `errors`; its amount in minor units when it has a good one. */
function checkRow(line: number, v: Values, index: Map<Column, number>, currency: string, errors: RowError[]): number {
  const missing = (field: Column, message: string) => errors.push({ line, field, code: 'MISSING_VALUE', message });
  if (index.has('name') && v.name === '') missing('name', 'the receiver has no name');
  let amount = 0;
  if (index.has('amount')) {
    const parsed = v.amount === '' ? undefined : parseAmount(v.amount, currency);
    if (!parsed) missing('amount', 'no amount');
    else if (!parsed.ok) errors.push({ line, field: 'amount', code: parsed.code, message: parsed.message });
    else amount = parsed.minorUnits;
  }
  const { accountNumber, proxyType, proxyValue } = v;
  if (accountNumber !== '' && (proxyType !== '' || proxyValue !== '')) {
    errors.push({ line, field: 'accountNumber', code: 'AMBIGUOUS_RECEIVER', message: 'both an account number and a proxy: give one of them' });
  } else if (accountNumber === '' && proxyType === '' && proxyValue === '') {
    if (index.has('accountNumber') || index.has('proxyType'))
      missing(index.has('accountNumber') ? 'accountNumber' : 'proxyValue', 'no account number or proxy');
  } else if (accountNumber === '' && proxyType === '') missing('proxyType', 'a proxy value without its type');
  else if (accountNumber === '' && proxyValue === '') missing('proxyValue', 'a proxy type without its value');
  return amount;
}

/**
 * The batch item of a row whose values were checked: empty cells are absent fields. `country` is
 * the receiver's country on a cross-border rail (receiver.country, which CBFT and TT require), and
 * its address's country on the others (receiver.country is refused there).
 */
function itemOf(v: Values, amount: number, crossBorder: boolean): BatchItem {
  const receiver: BatchItem['receiver'] = { name: v.name };
  if (v.bank !== '') receiver.bank = v.bank;
  if (v.accountNumber !== '') receiver.bankAccountNumber = v.accountNumber;
  if (v.proxyType !== '') receiver.proxy = { type: v.proxyType, value: v.proxyValue };
  if (v.country !== '' && crossBorder) receiver.country = v.country;
  const addressCountry = v.country !== '' && !crossBorder;
  if (v.addressLine1 !== '' || v.addressLine2 !== '' || v.addressLine3 !== '' || v.city !== '' || addressCountry) {
    const address: NonNullable<BatchItem['receiver']['address']> = {};
    if (v.addressLine1 !== '') address.line1 = v.addressLine1;
    if (v.addressLine2 !== '') address.line2 = v.addressLine2;
    if (v.addressLine3 !== '') address.line3 = v.addressLine3;
    if (v.city !== '') address.city = v.city;
    if (addressCountry) address.country = v.country;
    receiver.address = address;
  }
  const item: BatchItem = { amount } as BatchItem;
  if (v.reference !== '') item.customerReference = v.reference;
  if (v.details !== '') item.paymentDetails = v.details;
  item.receiver = receiver;
  return item;
}

/** The path of an item field in the API's errors ("receiver.bank") → the file's column. */
const COLUMN_OF_PATH: Record<string, Column> = {
  amount: 'amount',
  customerReference: 'reference',
  paymentDetails: 'details',
  'receiver.name': 'name',
  'receiver.bank': 'bank',
  'receiver.branchCode': 'bank',
  'receiver.bankAccountNumber': 'accountNumber',
  'receiver.proxy': 'proxyType',
  'receiver.proxy.type': 'proxyType',
  'receiver.proxy.value': 'proxyValue',
  'receiver.country': 'country',
  'receiver.address': 'addressLine1',
  'receiver.address.line1': 'addressLine1',
  'receiver.address.line2': 'addressLine2',
  'receiver.address.line3': 'addressLine3',
  'receiver.address.city': 'city',
  'receiver.address.country': 'country',
};

/** The column an API error path inside one payment points at ("receiver.bank" → bank), if any. */
export function columnOfPath(path: string): Column | undefined {
  return COLUMN_OF_PATH[path];
}
