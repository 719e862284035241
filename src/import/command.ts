// `payrail import FILE` (SPEC §12): a payroll file into batches, through the API with the SDK as
// any client would (authenticated by PAYRAIL_CLIENT_ID / PAYRAIL_CLIENT_SECRET at PAYRAIL_URL),
// never through the database. Output (docs/IMPORT.md): one JSON object on stdout; each error as a
// line on stderr, with progress; exit 0 done, 1 errors in the file, 2 usage, 3 the API failed.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { RAILS } from '../rails/rails.ts';
import type { RailType } from '../rails/rails.ts';
import { todayIn } from '../calendars/zoned-time.ts';
import { isCurrency } from '../money/currencies.ts';
// The SDK by path, as its own tests take it: git worktrees share one node_modules, whose
// @payrail/sdk link would point at another checkout's sdk/.
import { Payrail, PayrailError } from '../../sdk/src/index.ts';
import type { BatchInput } from '../batches/schemas.ts';
import { EXIT } from './cli.ts';
import { MAX_FILE_BYTES } from './payroll-file.ts';
import { createProgress } from './progress.ts';
import { runImport } from './run.ts';
import type { ApiAnswer, ImportApi, ImportResult } from './run.ts';
import type { RowError } from './sheet.ts';

export interface ImportFlags {
  type: RailType;
  account: string;
  date?: string;
  purpose?: string;
  currency?: string;
  dryRun: boolean;
  concurrency: string;
}

/** Runs the import and prints its outcome; resolves with the exit code. */
export async function importCommand(file: string, flags: ImportFlags): Promise<number> {
  const usage = (message: string) => {
    process.stderr.write(`payrail: ${message} (see 'payrail import --help')\n`);
    return EXIT.usage;
  };
  const clientId = process.env.PAYRAIL_CLIENT_ID;
  const clientSecret = process.env.PAYRAIL_CLIENT_SECRET;
  if (!clientId || !clientSecret) return usage('PAYRAIL_CLIENT_ID and PAYRAIL_CLIENT_SECRET must be set (an API client: payrail clients create)');
  if (flags.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.date)) return usage(`--date must be YYYY-MM-DD, not '${flags.date}'`);
  if (flags.currency !== undefined && !isCurrency(flags.currency)) return usage(`--currency '${flags.currency}' is not an ISO 4217 currency`);
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) return usage('--concurrency must be 1 to 16');
  const size = await stat(file)
    .then((s) => (s.isFile() ? s.size : undefined))
    .catch(() => undefined);
  if (size === undefined) return usage(`cannot read '${file}'`);
  // The size is checked before the file is read: a 2 GB file is refused without loading it.
  if (size > MAX_FILE_BYTES) {
    const error = { line: 0, code: 'FILE_TOO_LARGE', message: `the file is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB: split it into several files` };
    return printResult(file, '', false, { kind: 'file-errors', sha256: '', errors: [error], batches: [] });
  }
  const bytes = new Uint8Array(await readFile(file));

  const payrail = new Payrail({ baseUrl: process.env.PAYRAIL_URL ?? 'http://127.0.0.1:8080', clientId, clientSecret });
  try {
    const account = await payrail.accounts.get(flags.account).catch((err: unknown) => {
      // Another client's account is a 404 too (SPEC: tenant checks); 401/403 go on to the catch below.
      if (err instanceof PayrailError && (err.status === 404 || err.status === 400)) return undefined;
      throw err;
    });
    if (!account) return usage(`no sender account '${flags.account}' for this client`);
    const rail = RAILS[flags.type].currencies;
    const currency =
      flags.currency ??
      (rail.kind === 'listed' && rail.codes.length === 1 ? rail.codes[0] : account.currencies.length === 1 ? account.currencies[0] : undefined);
    if (!currency) return usage(`--currency is needed: the account holds ${account.currencies.join(', ')}`);
    const result = await runImport(
      {
        fileName: basename(file),
        bytes,
        type: flags.type,
        account: flags.account,
        currency,
        purpose: flags.purpose,
        date: flags.date,
        paymentDate: flags.date ?? todayIn(RAILS[flags.type].timeZone, Date.now()),
        // A multi-currency account pays the batch from its balance in the batch's currency.
        senderAccountCurrency: account.currencies.length > 1 && account.currencies.includes(currency) ? currency : undefined,
        dryRun: flags.dryRun,
        concurrency,
      },
      sdkImportApi(payrail),
      createProgress(process.stderr),
    );
    return printResult(file, currency, flags.dryRun, result);
  } catch (err) {
    const what = err instanceof PayrailError ? `${err.message}${err.code ? ` (${err.code})` : ''}` : err instanceof Error ? err.message : String(err);
    if (err instanceof PayrailError && (err.type === 'authentication' || err.type === 'permission')) {
      return usage(`the API refused this client: ${what}; check PAYRAIL_CLIENT_ID, PAYRAIL_CLIENT_SECRET and its scopes`);
    }
    process.stderr.write(`payrail: the API failed: ${what}; run the same command again to resume (batches already created are found, not created twice)\n`);
    return EXIT.apiFailed;
  }
}

function printResult(file: string, currency: string, dryRun: boolean, result: ImportResult): number {
  const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  if (result.kind === 'option-errors') {
    for (const e of result.errors) process.stderr.write(`payrail: ${e.path ? `${e.path}: ` : ''}${e.code}: ${e.message}\n`);
    out({ file, errors: result.errors });
    return EXIT.usage;
  }
  if (result.kind === 'file-errors') {
    for (const e of result.errors) process.stderr.write(`${errorLine(e)}\n`);
    process.stderr.write(
      `payrail: ${result.errors.length} error(s) in ${file}; ${result.batches.length === 0 ? 'nothing was created' : `${result.batches.length} batch(es) exist`}\n`,
    );
    out({ file, sha256: result.sha256 || undefined, errors: result.errors, batches: result.batches });
    return EXIT.fileErrors;
  }
  out({
    file,
    sha256: result.sha256,
    ...(dryRun && { dryRun: true }),
    currency,
    rows: result.rows,
    created: result.batches.filter((b) => b.status === 'created').length,
    existing: result.batches.filter((b) => b.status === 'existing').length,
    batches: result.batches,
  });
  return EXIT.ok;
}

/** One error as a line a person reads: `line 12 amount: AMOUNT_TOO_MANY_DECIMALS: …` (line 0: the file). */
export const errorLine = (e: RowError) => `${e.line === 0 ? 'file' : `line ${e.line}`}${e.field ? ` ${e.field}` : ''}: ${e.code}: ${e.message}`;

/** The API through the SDK: a refusal (4xx) is an answer to map to lines, anything else throws. */
function sdkImportApi(payrail: Payrail): ImportApi {
  const refusal = (err: unknown): ApiAnswer => {
    if (!(err instanceof PayrailError) || err.status === undefined || err.status >= 500 || err.status === 429 || err.status === 401) throw err;
    return { ok: false, status: err.status, code: err.code, message: err.message, errors: err.errors };
  };
  return {
    async validate(body: BatchInput) {
      try {
        await payrail.paymentBatches.validate(body);
        return { ok: true, replayed: false };
      } catch (err) {
        if (err instanceof PayrailError && err.status === 404) throw new Error('this payrail has no POST /v1/payment-batches/validate (it predates dry runs)');
        return refusal(err);
      }
    },
    async create(body: BatchInput, idempotencyKey: string) {
      try {
        const { data, headers } = await payrail.core.requestWithResponse<{ id: string }>({
          method: 'POST',
          path: '/v1/payment-batches',
          body,
          idempotent: true,
          options: { idempotencyKey },
        });
        return { ok: true, batchId: data.id, replayed: headers.get('idempotent-replayed') === 'true' };
      } catch (err) {
        return refusal(err);
      }
    },
  };
}
