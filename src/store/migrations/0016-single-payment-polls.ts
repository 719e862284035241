// Fair polling of submitted single payments (issue 21): each SUBMITTED single payment keeps when it
// is next due to be asked about (payments.next_poll_at; null: at once). The submit worker asks about
// the ones due first, oldest due first, and pushes each back by a time that grows with how long
// the bank has said nothing about it, so payments the bank is slow about do not starve the rest.
// The partial index serves that query and holds single payments only, like payments_single_work.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payments').addColumn('next_poll_at', 'text').execute();
  await db.schema
    .createIndex('payments_single_polls')
    .on('payments')
    .columns(['status', 'next_poll_at', 'id'])
    .where(sql.ref('batch_id'), 'is', null)
    .execute();
}
