// Live single payments travel to the bank in pain.001 files (SPEC §9), collected per connection,
// type, date and sender account (src/payments/single-file-collector.ts):
// - payments.bank_file_id: the out file that carries a single payment. It is set in the same
//   transaction that records the file, only where it is still null, so a payment is never in two
//   files; batch payments keep it null (their file is found through their batch).
// - bank_files.verdict: what the bank said about a single-payment file as a whole, the way a
//   batch's bank_stage and status say it for a batch file: `accepted` once any report accepts it,
//   `rejected` when it was rejected as a whole before that (such a file is never re-labelled).
//   Null for batch files and for files the bank has not judged yet.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payments').addColumn('bank_file_id', 'text').execute();
  await db.schema.createIndex('payments_bank_file').on('payments').columns(['bank_file_id', 'id']).where(sql.ref('bank_file_id'), 'is not', null).execute();
  await db.schema.alterTable('bank_files').addColumn('verdict', 'text').execute();
}
