// A payroll file's rows as batches of at most 1,000 payments (SPEC §3), each with the
// Idempotency-Key that makes `payrail import` repeat-safe, and the API's errors on a batch mapped
// back to the file's lines.
import { createHash } from 'node:crypto';
import { columnOfPath } from './columns.ts';
import type { PayrollRow } from './columns.ts';
import type { RowError } from './sheet.ts';

/** The most payments one batch takes (SPEC §3). */
export const CHUNK_SIZE = 1000;

/** What, besides the file, decides which batches an import makes: a change makes new keys. */
export interface KeyOptions {
  type: string;
  account: string;
  currency: string;
  purpose?: string | undefined;
  /** --date as given, or undefined for "today": a rerun tomorrow is then the same import. */
  date?: string | undefined;
}

/** One batch to be: consecutive rows of the file. */
export interface Chunk {
  index: number;
  rows: PayrollRow[];
  idempotencyKey: string;
  firstLine: number;
  lastLine: number;
  /** Minor units; a bigint, as a 1,000-payment sum may pass 2^53 in a currency with tiny units. */
  totalAmount: bigint;
}

/**
 * The Idempotency-Key of chunk `index` of a file: the file's SHA-256, the options and the index,
 * hashed (64 hex characters, well under the API's 255). The same file imported again with the
 * same options sends the same keys, and payrail answers with the batches it created the first time.
 */
export function chunkKey(fileSha256: string, o: KeyOptions, index: number): string {
  const material = JSON.stringify(['payrail-import-v1', CHUNK_SIZE, fileSha256, o.type, o.account, o.currency, o.purpose ?? null, o.date ?? null]);
  return `import-${createHash('sha256').update(material).digest('hex').slice(0, 48)}-${index}`;
}

export function chunkRows(rows: PayrollRow[], fileSha256: string, o: KeyOptions, size = CHUNK_SIZE): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const part = rows.slice(start, start + size);
    const index = chunks.length;
    chunks.push({
      index,
      rows: part,
      idempotencyKey: chunkKey(fileSha256, o, index),
      firstLine: part[0]!.line,
      lastLine: part[part.length - 1]!.line,
      totalAmount: part.reduce((sum, r) => sum + BigInt(r.item.amount), 0n),
    });
  }
  return chunks;
}

/** A field error of an API problem (RFC 9457 `errors[]`). */
export interface ApiFieldError {
  path: string;
  code: string;
  message: string;
}

// `payments[3].receiver.bank` (payrail's form) or `/payments/3/receiver/bank` (JSON Pointer).
const ITEM_PATH = /^(?:payments\[(\d+)\]\.?|\/payments\/(\d+)\/?)(.*)$/;

/**
 * The API's errors on a chunk: those inside a payment as errors of the file's line and column;
 * the others (paymentDate, senderAccountId, …) are about the command's options and come back apart.
 */
export function mapChunkErrors(chunk: Chunk, errors: ApiFieldError[]): { rowErrors: RowError[]; optionErrors: ApiFieldError[] } {
  const rowErrors: RowError[] = [];
  const optionErrors: ApiFieldError[] = [];
  for (const e of errors) {
    const m = ITEM_PATH.exec(e.path);
    const row = m ? chunk.rows[Number(m[1] ?? m[2])] : undefined;
    if (!m || !row) {
      optionErrors.push(e);
      continue;
    }
    const rest = m[3]!.replaceAll('/', '.');
    const field = rest === '' ? undefined : (columnOfPath(rest) ?? rest);
    rowErrors.push({ line: row.line, ...(field !== undefined && { field }), code: e.code, message: e.message });
  }
  return { rowErrors, optionErrors };
}

/** A minor-unit total for JSON: a number while exact, else its digits. */
export const jsonAmount = (n: bigint): number | string => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());
