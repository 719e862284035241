// Batches and the bank files that carry them (pain.001 out, pain.002 in).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payment_date', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('sender_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('sender_account_currency', 'text')
    .addColumn('payment_count', 'integer', (c) => c.notNull())
    .addColumn('total_amount', 'bigint', (c) => c.notNull())
    .addColumn('bank_stage', 'text')
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('batches_client_id').on('batches').columns(['client_id', 'id']).execute();
  await db.schema.createIndex('batches_work').on('batches').columns(['status', 'lease_until']).execute();

  await db.schema
    .createTable('bank_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('batch_id', 'text')
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One file per batch reaches the bank; a received file (by name) is applied once.
  await db.schema.createIndex('bank_files_one_per_batch').on('bank_files').column('batch_id').unique().where(sql.ref('direction'), '=', 'out').execute();
  await db.schema.createIndex('bank_files_name').on('bank_files').columns(['direction', 'name']).unique().execute();
  await db.schema.createIndex('bank_files_message').on('bank_files').columns(['direction', 'message_id']).execute();
}
