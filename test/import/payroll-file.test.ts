import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { readPayrollFile } from '../../src/import/payroll-file.ts';
import { MAX_XLSX_UNZIPPED_BYTES } from '../../src/import/xlsx.ts';
import { declaredUnzippedBytes } from '../../src/import/zip-size.ts';

const HEADER = 'name,bank,accountNumber,amount,reference';
const utf8 = (text: string) => new TextEncoder().encode(text);
const readCsv = (text: string | Uint8Array, o: { fileName?: string; maxBytes?: number; maxRows?: number; type?: string } = {}) =>
  readPayrollFile(typeof text === 'string' ? utf8(text) : text, { fileName: 'pay.csv', currency: 'SGD', ...o });
/** The errors as "line code field" strings: what a person would read, compared whole. */
const brief = (errors: { line: number; code: string; field?: string }[]) => errors.map((e) => `${e.line} ${e.code}${e.field ? ` ${e.field}` : ''}`);

async function xlsx(rows: ExcelJS.CellValue[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Payroll');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('payroll file reader: CSV', () => {
  it('reads a good file into batch items, columns in any order, amounts exact', async () => {
    const { rows, errors } = await readCsv(
      'amount,name,bank,accountNumber,reference,details,addressLine1,city,country\n' +
        '1234.56,Alice Tan,DBSSSGSGXXX,0123456789,SAL-1,June salary,1 Main St,Singapore,SG\n' +
        '0.10,Bob Lim,OCBCSGSGXXX,987654321,SAL-2,,,,\n',
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(rows, [
      {
        line: 2,
        item: {
          amount: 123456,
          customerReference: 'SAL-1',
          paymentDetails: 'June salary',
          receiver: {
            name: 'Alice Tan',
            bank: 'DBSSSGSGXXX',
            bankAccountNumber: '0123456789',
            address: { line1: '1 Main St', city: 'Singapore', country: 'SG' },
          },
        },
      },
      { line: 3, item: { amount: 10, customerReference: 'SAL-2', receiver: { name: 'Bob Lim', bank: 'OCBCSGSGXXX', bankAccountNumber: '987654321' } } },
    ]);
  });

  it("country is the address's on a domestic rail (receiver.country is refused there) and the receiver's on a cross-border one", async () => {
    const text = 'amount,name,bank,accountNumber,city,country\n1.00,Alice,DBSSSGSGXXX,0123456789,Singapore,SG\n';
    const domestic = await readCsv(text, { type: 'FAST' });
    assert.deepEqual(domestic.rows[0]!.item.receiver, {
      name: 'Alice',
      bank: 'DBSSSGSGXXX',
      bankAccountNumber: '0123456789',
      address: { city: 'Singapore', country: 'SG' },
    });
    const crossBorder = await readCsv(text, { type: 'TT' });
    assert.deepEqual(crossBorder.rows[0]!.item.receiver, {
      name: 'Alice',
      bank: 'DBSSSGSGXXX',
      bankAccountNumber: '0123456789',
      country: 'SG',
      address: { city: 'Singapore' },
    });
  });

  it('proxy receivers: proxyType + proxyValue, and both or neither of account and proxy is an error', async () => {
    const { rows, errors } = await readCsv(
      'name,accountNumber,proxyType,proxyValue,amount\nA,,MOBILE,+6591234567,5\nB,123,MOBILE,+6591234567,5\nC,,,,5\nD,,UEN,,5\n',
    );
    assert.deepEqual(rows, [{ line: 2, item: { amount: 500, receiver: { name: 'A', proxy: { type: 'MOBILE', value: '+6591234567' } } } }]);
    assert.deepEqual(brief(errors), ['3 AMBIGUOUS_RECEIVER accountNumber', '4 MISSING_VALUE accountNumber', '5 MISSING_VALUE proxyValue']);
  });

  it('numbers rows by the line they start on: quoted newlines, CRLF, blank lines', async () => {
    const { rows, errors } = await readCsv(`${HEADER}\r\n"Tan,\r\nAlice",DBSSSGSGXXX,1,1.00,R1\r\n\r\n,,,,\r\nBob,DBSSSGSGXXX,2,x,R2\r\n`);
    assert.deepEqual(
      rows.map((r) => [r.line, r.item.receiver.name]),
      [[2, 'Tan,\r\nAlice']],
    );
    assert.deepEqual(brief(errors), ['6 INVALID_AMOUNT amount'], 'Bob is on line 6: the quoted CRLF and the blank lines count');
  });

  it('strips a UTF-8 BOM (Excel "CSV UTF-8") and reads a semicolon-separated file', async () => {
    const bom = await readCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(`${HEADER}\nZoë,DBSSSGSGXXX,1,2.50,R1\n`)]));
    assert.deepEqual([bom.errors, bom.rows[0]?.item.receiver.name, bom.rows[0]?.item.amount], [[], 'Zoë', 250]);
    const semi = await readCsv('name;bank;accountNumber;amount;details\n"Lim; Bob";DBSSSGSGXXX;1;2.50;a, b\nAnn;DBSSSGSGXXX;2;1234,50;\n');
    assert.deepEqual(
      semi.rows.map((r) => [r.item.receiver.name, r.item.paymentDetails]),
      [['Lim; Bob', 'a, b']],
    );
    assert.deepEqual(brief(semi.errors), ['3 AMOUNT_THOUSANDS_SEPARATOR amount'], 'a decimal comma is reported, never guessed');
  });

  it('reports a file that is not UTF-8 on every line that is not, and reads none of it', async () => {
    const latin1 = new Uint8Array([...utf8(`${HEADER}\nOK,DBSSSGSGXXX,1,1,R1\nCaf`), 0xe9, ...utf8(',DBSSSGSGXXX,2,1,R2\n')]);
    const r = await readCsv(latin1);
    assert.deepEqual([r.rows, brief(r.errors)], [[], ['3 INVALID_ENCODING']]);
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'name'].flatMap((c) => [c.charCodeAt(0), 0])]);
    assert.deepEqual(brief((await readCsv(utf16)).errors), ['0 INVALID_ENCODING']);
  });

  it('reports duplicate references on both lines, separators and extra decimals by row', async () => {
    const { rows, errors } = await readCsv(
      `${HEADER}\nA,DBSSSGSGXXX,1,1,DUP\nB,DBSSSGSGXXX,2,"1,234.50",R2\nC,DBSSSGSGXXX,3,1.005,R3\nD,DBSSSGSGXXX,4,1,DUP\nE,DBSSSGSGXXX,5,7,R5\n`,
    );
    assert.deepEqual(
      rows.map((r) => r.line),
      [6],
    );
    assert.deepEqual(brief(errors), [
      '2 DUPLICATE_CUSTOMER_REFERENCE reference',
      '3 AMOUNT_THOUSANDS_SEPARATOR amount',
      '4 AMOUNT_TOO_MANY_DECIMALS amount',
      '5 DUPLICATE_CUSTOMER_REFERENCE reference',
    ]);
    assert.match(errors[0]!.message, /also on line 5/);
  });

  it('reports unknown and duplicate columns, and a missing required column once', async () => {
    const { rows, errors } = await readCsv('Name,bank,iban,amount,AMOUNT\nA,DBSSSGSGXXX,1,1,1\nB,DBSSSGSGXXX,2,2,2\n');
    assert.deepEqual(brief(errors), ['1 UNKNOWN_COLUMN iban', '1 DUPLICATE_COLUMN amount', '1 MISSING_COLUMN accountNumber']);
    assert.deepEqual(rows, [], 'without a required column no row is a payment');
  });

  it('reports rows with more fields than the header, and malformed quoting with its line', async () => {
    assert.deepEqual(brief((await readCsv(`${HEADER}\nA,DBSSSGSGXXX,1,1,R1\nB,DBSSSGSGXXX,2,1,234.50,R2\n`)).errors), ['3 WRONG_FIELD_COUNT']);
    const r = await readCsv(`${HEADER}\nA,DBSSSGSGXXX,1,1,R1\nB,"DBS"X,2,1,R2\n`);
    assert.deepEqual([r.rows, brief(r.errors)], [[], ['3 MALFORMED_CSV']]);
  });

  it('refuses whole, with one error: too large, too many rows, neither CSV nor XLSX, empty', async () => {
    const body = `${HEADER}\n${'A,DBSSSGSGXXX,1,1,\n'.repeat(11)}`;
    assert.deepEqual(brief((await readCsv(body, { maxBytes: 100 })).errors), ['0 FILE_TOO_LARGE']);
    assert.deepEqual(brief((await readCsv(body, { maxRows: 10 })).errors), ['0 TOO_MANY_ROWS']);
    assert.deepEqual((await readCsv(body, { maxRows: 11 })).rows.length, 11, 'exactly the limit is fine');
    assert.deepEqual(brief((await readCsv(body, { fileName: 'pay.pdf' })).errors), ['0 UNSUPPORTED_FILE_TYPE']);
    assert.deepEqual(brief((await readCsv(body, { fileName: 'pay.xlsx' })).errors), ['0 UNSUPPORTED_FILE_TYPE']);
    assert.deepEqual(brief((await readCsv(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1]), { fileName: 'pay.xls' })).errors), ['0 UNSUPPORTED_FILE_TYPE']);
    assert.deepEqual(brief((await readCsv('')).errors), ['1 MISSING_HEADER']);
  });
});

describe('payroll file reader: XLSX', () => {
  it('reads numbers exactly, formulas by their result, rich text, by content whatever the name', async () => {
    const bytes = await xlsx([
      ['name', 'bank', 'accountNumber', 'amount', 'reference'],
      ['Alice', 'DBSSSGSGXXX', 123456789, 1234.56, 'R1'],
      [{ richText: [{ text: 'Bob ' }, { text: 'Lim' }] }, 'DBSSSGSGXXX', '0012', { formula: 'B1', result: 0.3 } as ExcelJS.CellValue, 'R2'],
    ]);
    const { rows, errors } = await readPayrollFile(bytes, { fileName: 'upload.bin', currency: 'SGD' });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rows.map((r) => [r.line, r.item.receiver.name, r.item.receiver.bankAccountNumber, r.item.amount]),
      [
        [2, 'Alice', '123456789', 123456],
        [3, 'Bob Lim', '0012', 30],
      ],
    );
  });

  it('reports float residue, dates, error values and every row problem by row number', async () => {
    const bytes = await xlsx([
      ['name', 'bank', 'accountNumber', 'amount', 'reference', 'extra'],
      ['A', 'DBSSSGSGXXX', '1', 0.1 + 0.2, 'R1'],
      ['B', 'DBSSSGSGXXX', '2', new Date(Date.UTC(2024, 0, 1)), 'R2'],
      [],
      ['C', 'DBSSSGSGXXX', '3', { error: '#N/A' } as ExcelJS.CellValue, 'R3'],
      ['D', 'DBSSSGSGXXX', 1e21, 5, 'R1'],
    ]);
    const { rows, errors } = await readPayrollFile(bytes, { fileName: 'pay.xlsx', currency: 'SGD' });
    assert.deepEqual(rows, []);
    assert.deepEqual(brief(errors), [
      '1 UNKNOWN_COLUMN extra',
      '2 AMOUNT_TOO_MANY_DECIMALS amount',
      '3 UNREADABLE_CELL amount',
      '5 UNREADABLE_CELL amount',
      '6 UNREADABLE_CELL accountNumber',
    ]);
    assert.match(errors[1]!.message, /0\.30000000000000004/, 'the float residue is shown, not rounded away');
  });

  it('refuses a zip that is not a workbook, and a sheet over the row limit, with one error', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    assert.deepEqual(brief((await readPayrollFile(zip, { fileName: 'pay.xlsx', currency: 'SGD' })).errors), ['0 UNREADABLE_XLSX']);
    const bytes = await xlsx([['name', 'accountNumber', 'amount'], ...Array.from({ length: 4 }, (_, i) => [`N${i}`, '1', 1])]);
    assert.deepEqual(brief((await readPayrollFile(bytes, { fileName: 'pay.xlsx', currency: 'SGD', maxRows: 3 })).errors), ['0 TOO_MANY_ROWS']);
  });
});

describe('payroll file reader: an XLSX that would unpack too large (a zip bomb)', () => {
  it('is refused from its zip directory before anything is unpacked; an ordinary workbook is read', async () => {
    const good = await xlsx([
      ['name', 'bank', 'accountNumber', 'amount', 'reference'],
      ['A', 'DBSSSGSGXXX', '1', 5, 'R1'],
    ]);
    const declared = declaredUnzippedBytes(good);
    assert.ok(declared !== undefined && declared > 0 && declared < MAX_XLSX_UNZIPPED_BYTES, `an ordinary workbook declares ${declared} bytes`);
    assert.equal((await readPayrollFile(good, { fileName: 'pay.xlsx', currency: 'SGD' })).rows.length, 1);
    // The same file, its first central directory entry claiming 200 MB (a bomb's part does).
    const bomb = good.slice();
    const view = new DataView(bomb.buffer);
    let at = bomb.length - 22;
    while (view.getUint32(at, true) !== 0x06054b50) at--;
    const first = view.getUint32(at + 16, true);
    view.setUint32(first + 24, 200 * 1024 * 1024, true);
    const { rows, errors } = await readPayrollFile(bomb, { fileName: 'pay.xlsx', currency: 'SGD' });
    assert.deepEqual(rows, []);
    assert.deepEqual(brief(errors), ['0 FILE_TOO_LARGE']);
  });
});
