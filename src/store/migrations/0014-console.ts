// Issue #19: console users and their sessions (SPEC §11).
// - console_users: people who sign in at /console. `email_key` is the lower-cased address (unique:
//   Ann@x and ann@x are one person). The password is an Argon2id PHC string; the TOTP secret is
//   sealed with PAYRAIL_MASTER_KEY when set (like bank keys). failed_count/locked_until: 10 failed
//   sign-ins lock the account for 15 minutes. totp_last_step: a code is accepted once.
// - console_user_clients: the API clients whose objects a user sees and acts on.
// - console_sessions: server-side sessions; `id` is the SHA-256 of the cookie's token, so a copy of
//   the table signs nobody in. csrf_token: the synchronizer token of the session's forms.
// - console_setup_links: one-time set-up links (SHA-256 of the token), valid 24 hours.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('last_sign_in_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('console_user_clients')
    .addColumn('user_id', 'text', (c) => c.notNull().references('console_users.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addPrimaryKeyConstraint('console_user_clients_pk', ['user_id', 'client_id'])
    .execute();

  await db.schema
    .createTable('console_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('console_users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('source_address', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_sessions_user').on('console_sessions').column('user_id').execute();

  await db.schema
    .createTable('console_setup_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('console_users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('console_setup_links_user').on('console_setup_links').column('user_id').execute();
}
