// Bank statuses as real banks send them (BANKS.md §4):
// - A received file is identified by its content, not its name (§4.9): a second file under a known
//   name with other content is applied, the same bytes twice once. Received files are unique by
//   SHA-256; a database from before may hold one content twice (a copy under another name, read as
//   a duplicate then): the later rows keep their history links and get their id appended to the
//   checksum, so the unique index can be built on existing data. A received report's own creation
//   time (GrpHdr/CreDtTm) is kept: it tells which of two reports the bank wrote first.
// - A payment's history records every bank status, several per stage (ACTC, ACCP, ACSP… are all
//   intermediate): a status from a file is recorded once per (payment, file, stage, status), the file
//   being applied once; a status from the API transport (no file) once per (payment, stage), as before.
//   Each row also keeps the level the status was given at and the bank's own text (AddtlInf).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update bank_files set checksum = checksum || ':' || id
    where direction = 'in' and exists (
      select 1 from bank_files earlier
      where earlier.direction = 'in' and earlier.checksum = bank_files.checksum and earlier.id < bank_files.id)`.execute(db);
  await db.schema.dropIndex('bank_files_name').execute();
  await db.schema.createIndex('bank_files_name').on('bank_files').columns(['direction', 'name']).execute();
  await db.schema.alterTable('bank_files').addColumn('report_created_at', 'text').execute();
  await db.schema.createIndex('bank_files_in_content').on('bank_files').column('checksum').unique().where(sql.ref('direction'), '=', 'in').execute();

  await db.schema.alterTable('payment_status_changes').addColumn('level', 'text').execute();
  await db.schema.alterTable('payment_status_changes').addColumn('reason_text', 'text').execute();
  await db.schema.dropIndex('payment_status_changes_once').execute();
  await db.schema
    .createIndex('payment_status_changes_once')
    .on('payment_status_changes')
    .columns(['payment_id', 'stage'])
    .unique()
    .where(sql.ref('bank_file_id'), 'is', null)
    .execute();
  await db.schema
    .createIndex('payment_status_changes_once_per_file')
    .on('payment_status_changes')
    .columns(['payment_id', 'bank_file_id', 'stage', 'bank_status'])
    .unique()
    .where(sql.ref('bank_file_id'), 'is not', null)
    .execute();
}
