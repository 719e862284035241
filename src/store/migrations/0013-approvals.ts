// Issue #16: approvals (maker-checker) and the audit log (SPEC §10, §11).
// - clients.organisation_id: clients of one organisation approve each other's payments; by
//   default a client is an organisation of its own (existing clients: their own id).
// - approval_policies: per client, optionally per sender account (one row each; an account's
//   policy replaces the client's for that account): above which amount, how many approvers.
// - approvals: one row per batch or single payment held for approval, with the approvals given
//   so far and its outcome, and the creator's mode (test or live): only a client of that mode
//   may decide it or see it in the queue, so sandbox credentials never release live money. Decisions take this row's lock (PostgreSQL: FOR UPDATE; SQLite's
//   write transactions are serial), so exactly one of two racing decisions wins.
// - payments/batches.approval_status (null, PENDING, APPROVED, REJECTED, EXPIRED): the hold. The
//   dispatcher and the single-payment worker claim only rows whose approval_status is null or
//   APPROVED (src/approvals/hold.ts); `approval` is the approval object as the API shows it.
// - batches.actual_payment_date: the date a late approval rolled the batch to (the file's date).
// - audit_log: append-only record of who changed what, when and from where. A trigger on both
//   databases refuses UPDATE and DELETE (and on PostgreSQL TRUNCATE; SQLite has none), so not
//   even a bug in payrail can rewrite it.
import { PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clients').addColumn('organisation_id', 'text').execute();
  await sql`update clients set organisation_id = id`.execute(db);

  for (const table of ['payments', 'batches']) {
    await db.schema.alterTable(table).addColumn('approval_status', 'text').execute();
    await db.schema.alterTable(table).addColumn('approval', 'text').execute();
  }
  await db.schema.alterTable('batches').addColumn('actual_payment_date', 'text').execute();

  await db.schema
    .createTable('approval_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('above', 'bigint', (c) => c.notNull())
    .addColumn('approvers', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('approval_policies_client')
    .on('approval_policies')
    .column('client_id')
    .unique()
    .where(sql.ref('account_id'), 'is', null)
    .execute();
  await db.schema
    .createIndex('approval_policies_account')
    .on('approval_policies')
    .columns(['client_id', 'account_id'])
    .unique()
    .where(sql.ref('account_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('approvals', 'text', (c) => c.notNull())
    .addColumn('rejection', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approvals_organisation').on('approvals').columns(['organisation_id', 'mode', 'status', 'id']).execute();
  await db.schema.createIndex('approvals_expiry').on('approvals').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('source_address', 'text')
    .addColumn('os_user', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_object').on('audit_log').columns(['object_id', 'id']).execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only: % refused', tg_op; end $$`.execute(db);
    await sql`create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
    // TRUNCATE empties a table without firing row triggers: refused by a statement trigger.
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only: UPDATE refused'); end`.execute(
      db,
    );
    await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only: DELETE refused'); end`.execute(
      db,
    );
  }
}
