// Message-level security: one active gateway key per use *and algorithm* (a signing key plus an
// encryption key per family), and the replay store of private_key_jwt assertions.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 0001 allowed one active key per use; encryption now has two (ECDH-ES and RSA-OAEP-256).
  await db.schema.dropIndex('signing_keys_one_active').execute();
  await db.schema
    .createIndex('signing_keys_one_active_per_alg')
    .on('signing_keys')
    .columns(['use', 'alg'])
    .unique()
    .where(sql.ref('retired_at'), 'is', null)
    .execute();

  // An assertion's jti is kept until the assertion expires; the primary key makes a second use
  // of the same (client, jti) fail atomically, on every instance.
  await db.schema
    .createTable('client_assertion_jtis')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_assertion_jtis_pk', ['client_id', 'jti'])
    .execute();
  await db.schema.createIndex('client_assertion_jtis_expires_at').on('client_assertion_jtis').column('expires_at').execute();
}
