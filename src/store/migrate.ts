// Numbered, append-only migrations, applied on start and by `payrail migrate`. The same files run
// on SQLite and PostgreSQL; Kysely's migrator takes a lock so concurrent starts apply them once.
import { Migrator } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001-foundation.ts';
import * as m0002 from './migrations/0002-payments.ts';
import * as m0003 from './migrations/0003-batches.ts';
import * as m0004 from './migrations/0004-webhooks.ts';
import * as m0005 from './migrations/0005-jose.ts';
import * as m0006 from './migrations/0006-calendar-closures.ts';
import * as m0007 from './migrations/0007-single-payment-work-index.ts';
import * as m0008 from './migrations/0008-bank-statuses.ts';
import * as m0009 from './migrations/0009-client-key-changes.ts';
import * as m0010 from './migrations/0010-bank-connections.ts';
import * as m0011 from './migrations/0011-bank-profile-fields.ts';
import * as m0012 from './migrations/0012-single-payment-files.ts';
import * as m0013 from './migrations/0013-approvals.ts';
import * as m0014 from './migrations/0014-console.ts';
import * as m0015 from './migrations/0015-work-notifications.ts';
import * as m0016 from './migrations/0016-single-payment-polls.ts';
import * as m0017 from './migrations/0017-console-set-up-by.ts';
import * as m0018 from './migrations/0018-webhook-delivery-work.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-payments': m0002,
  '0003-batches': m0003,
  '0004-webhooks': m0004,
  '0005-jose': m0005,
  '0006-calendar-closures': m0006,
  '0007-single-payment-work-index': m0007,
  '0008-bank-statuses': m0008,
  '0009-client-key-changes': m0009,
  '0010-bank-connections': m0010,
  '0011-bank-profile-fields': m0011,
  '0012-single-payment-files': m0012,
  '0013-approvals': m0013,
  '0014-console': m0014,
  '0015-work-notifications': m0015,
  '0016-single-payment-polls': m0016,
  '0017-console-set-up-by': m0017,
  '0018-webhook-delivery-work': m0018,
};

/** Every migration, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider, migrationTableName: 'payrail_migrations', migrationLockTableName: 'payrail_migrations_lock' });
}

/** Applies the migrations up to and including `name` (tests of a migration on existing data). */
export async function migrateTo(db: Db, name: string): Promise<void> {
  const { error } = await migrator(db).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Applies every pending migration; returns the names applied now. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
