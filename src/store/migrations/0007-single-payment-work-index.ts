// The submit worker polls single payments (PROCESSING to send, SUBMITTED to ask about) by status
// in id order. The index it had, (status, lease_until) over every payment, also held each batch
// payment: one more index entry to write per batch payment on insert and at each status change,
// and a poll for SUBMITTED single payments walked every SUBMITTED batch payment too. Batch
// payments move with their batch's file and are never polled one by one, so the index now holds
// single payments only.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('payments_work').execute();
  await db.schema.createIndex('payments_single_work').on('payments').columns(['status', 'id']).where(sql.ref('batch_id'), 'is', null).execute();
}
