// Issue #18: a stolen token must not become permanent access.
// - client_key_changes: every change of a client's registered public keys (JWKS), who made it
//   (the operator with the CLI, or the client itself through the API), when, and what changed.
//   Append-only: it is the record an operator reads after an incident.
// - clients.tokens_not_before: access tokens of the client issued before this instant are
//   refused (set by `clients rotate-secret` without a grace period).
// - clients.keys_not_before: key changes through the API need a token obtained, at or after this
//   instant, with a credential that is not older (set by every rotate-secret and disable, grace
//   or not): a thief's token, or the old secret during a grace, cannot plant a key again.
// - client_key_changes.token_jti / source_address (API changes) and os_user (CLI changes): which
//   token, from where, or which operator account made the change.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('client_key_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('added', 'text', (c) => c.notNull())
    .addColumn('replaced', 'text', (c) => c.notNull())
    .addColumn('revoked', 'text', (c) => c.notNull())
    .addColumn('token_jti', 'text')
    .addColumn('source_address', 'text')
    .addColumn('os_user', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_key_changes_client').on('client_key_changes').columns(['client_id', 'id']).execute();

  await db.schema.alterTable('clients').addColumn('tokens_not_before', 'text').execute();
  await db.schema.alterTable('clients').addColumn('keys_not_before', 'text').execute();
}
