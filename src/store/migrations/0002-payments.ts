// Payments, their status history, the outbox of events, idempotency keys, and the sandbox bank's
// record of API-transport payments it has received.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('sender_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('sender_account_currency', 'text')
    .addColumn('payment_date', 'text', (c) => c.notNull())
    .addColumn('actual_payment_date', 'text')
    .addColumn('customer_reference', 'text', (c) => c.notNull())
    .addColumn('payment_details', 'text')
    .addColumn('bank_charge_bearer', 'text')
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text')
    .addColumn('bank_charge_amount', 'bigint')
    .addColumn('bank_charge_currency', 'text')
    .addColumn('failure_stage', 'text')
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('bank_stage', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // "Cannot reuse previous customer references" (seed): unique per client, forever.
  await db.schema.createIndex('payments_client_reference').on('payments').columns(['client_id', 'customer_reference']).unique().execute();
  await db.schema.createIndex('payments_client_id').on('payments').columns(['client_id', 'id']).execute();
  await db.schema.createIndex('payments_batch').on('payments').columns(['batch_id', 'id']).execute();
  await db.schema.createIndex('payments_work').on('payments').columns(['status', 'lease_until']).execute();

  await db.schema
    .createTable('payment_status_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('bank_status', 'text')
    .addColumn('reason_code', 'text')
    .addColumn('message', 'text')
    .addColumn('changes', 'text')
    .addColumn('bank_file_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Each stage applies to a payment once: a re-read acknowledgement cannot apply twice.
  await db.schema.createIndex('payment_status_changes_once').on('payment_status_changes').columns(['payment_id', 'stage']).unique().execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('object_sequence', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_client_id').on('events').columns(['client_id', 'id']).execute();
  await db.schema.createIndex('events_object_sequence').on('events').columns(['object_id', 'object_sequence']).unique().execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['client_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expiry').on('idempotency_keys').column('expires_at').execute();

  await db.schema
    .createTable('sandbox_bank_api_payments')
    .addColumn('payment_id', 'text', (c) => c.primaryKey())
    .addColumn('instruction', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
}
