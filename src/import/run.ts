// `payrail import`, the steps: read the file, have the API validate every batch-to-be, and only
// when nothing is wrong anywhere create the batches, each under an Idempotency-Key derived from the
// file (src/import/chunks.ts). The API is behind ImportApi: the SDK in the command (cli.ts).
import { createHash } from 'node:crypto';
import type { BatchInput } from '../batches/schemas.ts';
import { chunkRows, jsonAmount, mapChunkErrors } from './chunks.ts';
import type { ApiFieldError, Chunk, KeyOptions } from './chunks.ts';
import { readPayrollFile } from './payroll-file.ts';
import type { RowError } from './sheet.ts';
import type { Progress } from './progress.ts';

/** How the API answered a validate or a create that it refused (4xx). */
export interface ApiRefusal {
  ok: false;
  status: number;
  code: string;
  message: string;
  errors: ApiFieldError[];
}

export type ApiAnswer = { ok: true; batchId?: string; replayed: boolean } | ApiRefusal;

/** The calls an import makes. Failures other than a refusal (network, 5xx after retries) throw. */
export interface ImportApi {
  validate(body: BatchInput): Promise<ApiAnswer>;
  create(body: BatchInput, idempotencyKey: string): Promise<ApiAnswer>;
}

export interface ImportOptions extends KeyOptions {
  fileName: string;
  bytes: Uint8Array;
  /** The payment date sent: --date, or today in the rail's time zone. */
  paymentDate: string;
  senderAccountCurrency?: string | undefined;
  dryRun: boolean;
  /** Batches validated or created at once. */
  concurrency: number;
}

/** A batch of the result: created now, found from an earlier run, or (dry run) planned. */
export interface BatchOutcome {
  id?: string;
  status: 'created' | 'existing' | 'planned';
  firstLine: number;
  lastLine: number;
  count: number;
  totalAmount: number | string;
}

/** What an import ended with: the exit code says which (docs/IMPORT.md). */
export type ImportResult =
  | { kind: 'done'; sha256: string; rows: number; batches: BatchOutcome[] }
  | { kind: 'file-errors'; sha256: string; errors: RowError[]; batches: BatchOutcome[] }
  | { kind: 'option-errors'; errors: ApiFieldError[] };

export async function runImport(o: ImportOptions, api: ImportApi, progress: Progress): Promise<ImportResult> {
  const sha256 = createHash('sha256').update(o.bytes).digest('hex');
  const read = await readPayrollFile(o.bytes, { fileName: o.fileName, currency: o.currency, type: o.type });
  const chunks = chunkRows(read.rows, sha256, o);
  const body = (chunk: Chunk): BatchInput => ({
    type: o.type as BatchInput['type'],
    paymentDate: o.paymentDate,
    senderAccountId: o.account,
    ...(o.senderAccountCurrency !== undefined && { senderAccountCurrency: o.senderAccountCurrency }),
    currency: o.currency,
    ...(o.purpose !== undefined && { purpose: o.purpose }),
    payments: chunk.rows.map((r) => r.item),
  });

  // 1. Every chunk is validated, even when the file already has errors: every error at once.
  const existing = new Map<number, string>();
  const errors: RowError[] = [...read.errors];
  const optionErrors = new Map<string, ApiFieldError>();
  progress.start('validating', chunks.length);
  await eachLimited(chunks, o.concurrency, async (chunk) => {
    let answer = await api.validate(body(chunk));
    // A repeat of an import that went through: its references are used, by its own batch. Only a
    // create with the chunk's key can tell (it replays the batch, or is refused and creates
    // nothing); a dry run sends no create, and reports the references as used.
    if (!answer.ok && !o.dryRun && answer.errors.length > 0 && answer.errors.every((e) => e.code === 'DUPLICATE_CUSTOMER_REFERENCE')) {
      answer = await api.create(body(chunk), chunk.idempotencyKey);
      if (answer.ok && answer.batchId) existing.set(chunk.index, answer.batchId);
    }
    if (!answer.ok) collectRefusal(chunk, answer, errors, optionErrors);
    progress.step();
  });
  progress.end();
  if (optionErrors.size > 0) return { kind: 'option-errors', errors: [...optionErrors.values()] };
  if (errors.length > 0) return { kind: 'file-errors', sha256, errors: sortByLine(errors), batches: [] };

  const outcome = (chunk: Chunk, status: BatchOutcome['status'], id?: string): BatchOutcome => ({
    ...(id !== undefined && { id }),
    status,
    firstLine: chunk.firstLine,
    lastLine: chunk.lastLine,
    count: chunk.rows.length,
    totalAmount: jsonAmount(chunk.totalAmount),
  });
  if (o.dryRun) return { kind: 'done', sha256, rows: read.rows.length, batches: chunks.map((c) => outcome(c, 'planned')) };

  // 2. Nothing is wrong: the batches are created (or, from an earlier run, replayed).
  const batches: (BatchOutcome | undefined)[] = chunks.map((c) => (existing.has(c.index) ? outcome(c, 'existing', existing.get(c.index)) : undefined));
  const todo = chunks.filter((c) => !existing.has(c.index));
  progress.start('creating', todo.length);
  await eachLimited(todo, o.concurrency, async (chunk) => {
    // After one refusal no further batch is started: the file is to be fixed first.
    if (errors.length > 0) return;
    const answer = await api.create(body(chunk), chunk.idempotencyKey);
    if (!answer.ok) collectRefusal(chunk, answer, errors, optionErrors);
    else {
      batches[chunk.index] = outcome(chunk, answer.replayed ? 'existing' : 'created', answer.batchId);
      progress.step(`${answer.batchId} (lines ${chunk.firstLine}-${chunk.lastLine})`);
    }
  });
  progress.end();
  const made = batches.filter((b): b is BatchOutcome => b !== undefined);
  if (optionErrors.size > 0) return { kind: 'option-errors', errors: [...optionErrors.values()] };
  if (errors.length > 0) return { kind: 'file-errors', sha256, errors: sortByLine(errors), batches: made };
  return { kind: 'done', sha256, rows: read.rows.length, batches: made };
}

/** A refused validate or create, as errors of the file's lines or of the options. */
function collectRefusal(chunk: Chunk, answer: ApiRefusal, errors: RowError[], optionErrors: Map<string, ApiFieldError>): void {
  if (answer.code === 'IDEMPOTENCY_KEY_REUSED') {
    // The same file and options went in before with another body: a default --date that was
    // another day then. Its batches exist; creating them again would pay twice.
    errors.push({
      line: chunk.firstLine,
      code: 'ALREADY_IMPORTED',
      message: `lines ${chunk.firstLine}-${chunk.lastLine} of this file were imported before with another payment date; nothing was created for them`,
    });
    return;
  }
  const { rowErrors, optionErrors: other } = mapChunkErrors(chunk, answer.errors);
  errors.push(...rowErrors);
  for (const e of other) optionErrors.set(`${e.path} ${e.code}`, e);
  if (answer.errors.length === 0) optionErrors.set(answer.code, { path: '', code: answer.code, message: answer.message });
}

const sortByLine = (errors: RowError[]) => errors.sort((a, b) => a.line - b.line);

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
