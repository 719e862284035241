// `payrail import` as a user runs it: the real CLI process against a payrail listening on
// 127.0.0.1 (SQLite and PostgreSQL), through the API with the SDK. Good CSV and XLSX files, every
// kind of bad input reported by line with nothing created, 2,500 rows as 3 batches, a second run
// creating nothing new, a dry run creating nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { startTestApp, SG_ACCOUNT } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { BIN } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';
import { Payrail } from '../../sdk/src/index.ts';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> & { batches?: { id?: string; status: string; count: number; totalAmount: number; firstLine: number; lastLine: number }[] };
}

/** The CLI in a child process, without blocking this one: the server answering it runs here. */
function runImport(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'import', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Generous: a CLI process starts in ~1 s alone, but in far longer on a loaded machine.
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      let json = {};
      try {
        json = JSON.parse(stdout) as Run['json'];
      } catch {
        // usage errors print nothing on stdout
      }
      resolve({ status, stdout, stderr, json });
    });
  });
}

/** The error lines of stderr as "line field: CODE", the message left out. */
const errorLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => /^(line \d+|file)\b/.test(l))
    .map((l) => l.split(': ').slice(0, 2).join(': '));

const todayInSingapore = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Singapore' }).format(new Date());
const dir = mkdtempSync(join(tmpdir(), 'payrail-import-'));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

for (const kind of databaseKinds()) {
  describe(`payrail import against a listening payrail (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let env: Record<string, string>;
    let account: string;
    let payrail: Payrail;
    /** Every batch of the client, as the API lists them. */
    const batchIds = async () => {
      const ids: string[] = [];
      for await (const b of payrail.paymentBatches.list({ limit: 100 })) ids.push(b.id);
      return ids.sort();
    };
    const args = (path: string, ...more: string[]) => [path, '--type', 'FAST', '--account', account, ...more];

    before(async () => {
      db = await kind.create();
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      app = await startTestApp(db, { env: { PORT: String(port), PAYRAIL_PUBLIC_URL: url } });
      await app.payrail.listen();
      const { clientId, secret } = await app.createClient();
      payrail = new Payrail({ baseUrl: url, clientId, clientSecret: secret });
      account = (await payrail.accounts.create(SG_ACCOUNT)).id;
      env = { PAYRAIL_URL: url, PAYRAIL_CLIENT_ID: clientId, PAYRAIL_CLIENT_SECRET: secret };
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it('a good CSV (BOM, semicolons, CRLF, quoted delimiter, columns in any order) becomes one batch with exact amounts', async () => {
      const csv = file(
        'good.csv',
        '\ufeffreference;amount;name;bank;accountNumber;details\r\n' +
          'G-1;1234.56;"Tan; Alice";DBSSSGSGXXX;0123456789;June salary\r\n' +
          'G-2;0.29;Bob Lim;OCBCSGSGXXX;1234567890;\r\n',
      );
      const r = await runImport(args(csv, '--purpose', 'SALA'), env);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(
        r.json.batches?.map((b) => [b.status, b.count, b.totalAmount, b.firstLine, b.lastLine]),
        [['created', 2, 123485, 2, 3]],
      );
      const batch = await payrail.paymentBatches.get(r.json.batches![0]!.id!);
      assert.deepEqual(
        batch.payments.map((p) => [p.customerReference, p.amount]),
        [
          ['G-1', 123456],
          ['G-2', 29],
        ],
        '1234.56 and 0.29 exactly, not 123455 or 28',
      );
      assert.equal(batch.purpose, 'SALA', '--purpose is the batch purpose');
    });

    it('a good XLSX, numbers as numbers and no references, becomes one batch; run again it creates nothing', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('June');
      sheet.addRow(['name', 'bank', 'accountNumber', 'amount']);
      sheet.addRow(['Chan Mei', 'DBSSSGSGXXX', 123456789, 1500.5]);
      sheet.addRow(['Lee Wei', 'DBSSSGSGXXX', '0123456789', 99]);
      const xlsx = file('good.xlsx', new Uint8Array(await workbook.xlsx.writeBuffer()));
      const first = await runImport(args(xlsx), env);
      assert.equal(first.status, 0, first.stderr);
      const id = first.json.batches?.[0]?.id;
      const batch = await payrail.paymentBatches.get(id!);
      assert.deepEqual(
        batch.payments.map((p) => p.amount),
        [150050, 9900],
        'amounts from number cells',
      );
      const before = await batchIds();
      const again = await runImport(args(xlsx), env);
      assert.equal(again.status, 0, again.stderr);
      assert.deepEqual([again.json.created, again.json.existing, again.json.batches?.[0]?.id], [0, 1, id], 'the same batch, replayed by its key');
      assert.deepEqual(await batchIds(), before, 'no new batch');
    });

    it('every bad row is reported with its line, the API’s errors mapped back to lines, before anything is created', async () => {
      const before = await batchIds();
      const csv = file(
        'bad.csv',
        'name,bank,accountNumber,amount,reference,details,notes\n' +
          'A,DBSSSGSGXXX,0123456789,"1,234.50",B-1,,\n' + // line 2: thousands separator
          'B,DBSSSGSGXXX,0123456789,1.005,B-2,,\n' + // line 3: more decimals than SGD has
          'C,DBSSSGSGXXX,0123456789,10.00,B-3,"two\nlines",\n' + // lines 4-5: read right; the API refuses the newline
          'D,XYZ,0123456789,10.00,B-4,,\n' + // line 6: the API refuses the bank
          'E,DBSSSGSGXXX,0123456789,10.00,B-1,,\n', // line 7: B-1 again
      );
      const r = await runImport(args(csv), env);
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(errorLines(r.stderr), [
        'line 1 notes: UNKNOWN_COLUMN',
        'line 2 amount: AMOUNT_THOUSANDS_SEPARATOR',
        'line 2 reference: DUPLICATE_CUSTOMER_REFERENCE',
        'line 3 amount: AMOUNT_TOO_MANY_DECIMALS',
        'line 4 details: INVALID_CHARACTERS',
        'line 6 bank: INVALID_RECEIVER_BANK',
        'line 7 reference: DUPLICATE_CUSTOMER_REFERENCE',
      ]);
      assert.deepEqual(await batchIds(), before, 'nothing was created');
    });

    it('reports a file that is not UTF-8 by line, a missing column once, an unsupported file whole', async () => {
      const latin1 = file(
        'latin1.csv',
        Buffer.concat([
          Buffer.from('name,bank,accountNumber,amount\nOK,DBSSSGSGXXX,0123456789,1\nCaf'),
          Buffer.from([0xe9]),
          Buffer.from(',DBSSSGSGXXX,0123456789,1\n'),
        ]),
      );
      const noAmount = file('no-amount.csv', 'name,bank,accountNumber\nA,DBSSSGSGXXX,0123456789\nB,DBSSSGSGXXX,0123456789\n');
      const pdf = file('pay.pdf', '%PDF-1.7\n');
      const runs = await Promise.all([runImport(args(latin1), env), runImport(args(noAmount), env), runImport(args(pdf), env)]);
      assert.deepEqual(
        runs.map((r) => [r.status, errorLines(r.stderr)]),
        [
          [1, ['line 3: INVALID_ENCODING']],
          [1, ['line 1 amount: MISSING_COLUMN']],
          [1, ['file: UNSUPPORTED_FILE_TYPE']],
        ],
      );
    });

    it('2,500 rows: a dry run creates nothing, the import makes 3 batches, a second run nothing new', async () => {
      const rows = Array.from({ length: 2500 }, (_, i) => `Person ${i},DBSSSGSGXXX,0123456789,${i + 1}.0${i % 10},BIG-${i}`);
      const csv = file('big.csv', `name,bank,accountNumber,amount,reference\n${rows.join('\n')}\n`);
      const before = await batchIds();
      const dry = await runImport(args(csv, '--dry-run', '--date', todayInSingapore()), env);
      assert.equal(dry.status, 0, dry.stderr);
      assert.deepEqual(
        dry.json.batches?.map((b) => [b.status, b.count, b.firstLine, b.lastLine]),
        [
          ['planned', 1000, 2, 1001],
          ['planned', 1000, 1002, 2001],
          ['planned', 500, 2002, 2501],
        ],
      );
      assert.deepEqual(await batchIds(), before, 'the dry run created nothing');

      const first = await runImport(args(csv, '--date', todayInSingapore()), env);
      assert.equal(first.status, 0, first.stderr);
      assert.deepEqual(
        first.json.batches?.map((b) => [b.status, b.count]),
        [
          ['created', 1000],
          ['created', 1000],
          ['created', 500],
        ],
      );
      assert.match(first.stderr, /^creating 3\/3 pymtb_/m, 'plain progress lines when stderr is not a terminal');
      const ids = first.json.batches!.map((b) => b.id!);
      assert.deepEqual(await batchIds(), [...before, ...ids].sort(), 'three new batches');

      const second = await runImport(args(csv, '--date', todayInSingapore()), env);
      assert.equal(second.status, 0, second.stderr);
      assert.deepEqual([second.json.created, second.json.existing], [0, 3], 'nothing new');
      assert.deepEqual(
        second.json.batches?.map((b) => b.id),
        ids,
        'the batch ids of the first run',
      );
      assert.deepEqual(await batchIds(), [...before, ...ids].sort(), 'still three');
    });

    it('usage errors exit 2: a missing option, an account that is not the client’s', async () => {
      const csv = file('usage.csv', 'name,accountNumber,amount\nA,1,1\n');
      const runs = await Promise.all([
        runImport([csv, '--account', account], env),
        runImport([csv, '--type', 'FAST', '--account', 'intacct_nope', '--date', todayInSingapore()], env),
      ]);
      assert.deepEqual(
        runs.map((r) => r.status),
        [2, 2],
        runs.map((r) => r.stderr).join(''),
      );
    });
  });
}
