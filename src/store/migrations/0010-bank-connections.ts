// Issue #15: live banks (BANKS.md §1).
// - bank_connections: one row per real bank payrail talks to over SFTP (host-to-host): who it is,
//   the pain.001 profile, where its server is, the pinned host key, payrail's SFTP private key
//   (sealed with PAYRAIL_MASTER_KEY when set), the bank's OpenPGP public key, how long an
//   acknowledgement may take, and the poll state every instance writes (last successful poll,
//   last error). Secrets live only here and are never listed.
// - bank_connection_bics: the 8-character BIC prefixes each connection serves. The primary key
//   makes two connections claiming one prefix impossible, even when two operators race.
// - bank_files.connection_id: which endpoint a file went to or came from (`sandbox` in test mode;
//   every file before this migration was the sandbox's). bank_files.uploaded_at: when an out file
//   reached the bank (the ack timeout counts from it); overdue_at: when `bank-files.overdue` was
//   raised for it (once per file).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bank_connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bics', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('sftp_host', 'text', (c) => c.notNull())
    .addColumn('sftp_port', 'integer', (c) => c.notNull())
    .addColumn('sftp_user', 'text', (c) => c.notNull())
    .addColumn('sftp_root', 'text', (c) => c.notNull())
    .addColumn('sftp_private_key', 'text', (c) => c.notNull())
    .addColumn('sftp_host_key', 'text', (c) => c.notNull())
    .addColumn('pgp_bank_key', 'text')
    .addColumn('pgp_armor', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('require_signed_acks', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('customer_id', 'text')
    .addColumn('ack_timeout_minutes', 'integer', (c) => c.notNull().defaultTo(120))
    .addColumn('last_poll_at', 'text')
    .addColumn('last_poll_error', 'text')
    .addColumn('last_error_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bank_connection_bics')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('bank_connections.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('bank_connection_bics_connection').on('bank_connection_bics').column('connection_id').execute();

  await db.schema.alterTable('bank_files').addColumn('connection_id', 'text').execute();
  await db.schema.alterTable('bank_files').addColumn('uploaded_at', 'text').execute();
  await db.schema.alterTable('bank_files').addColumn('overdue_at', 'text').execute();
  await sql`update bank_files set connection_id = 'sandbox'`.execute(db);
  await sql`update bank_files set uploaded_at = updated_at where direction = 'out' and state = 'uploaded'`.execute(db);
  await db.schema.createIndex('bank_files_awaiting').on('bank_files').columns(['connection_id', 'direction', 'state']).execute();
}
