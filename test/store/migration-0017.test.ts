// Migration 0017 on a database that already holds console users: each gets `set_up_by` from the
// audit log, the console user who wrote its newest create or reset (null when the operator did).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import type { Database } from '../../src/store/database.ts';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

const AT = '2026-03-10T02:00:00.000Z';
const user = (id: string) => ({
  id,
  email: `${id}@example.com`,
  email_key: `${id}@example.com`,
  role: 'maker' as const,
  status: 'active' as const,
  password_hash: null,
  totp_secret: null,
  totp_last_step: null,
  failed_count: 0,
  locked_until: null,
  last_sign_in_at: null,
  created_at: AT,
  updated_at: AT,
});
let seq = 0;
const entry = (object: string, action: string, actor: { kind: string; id: string }) => ({
  // ULIDs sort by time: a growing suffix stands for later entries.
  id: `aud_${String(++seq).padStart(4, '0')}`,
  actor_kind: actor.kind,
  actor_id: actor.id,
  source_address: null,
  os_user: null,
  action,
  object_type: 'console-user',
  object_id: object,
  details: '{}',
  created_at: AT,
});

for (const kind of databaseKinds()) {
  describe(`migration 0017 on existing console users (${kind.name})`, { skip: kind.skip }, () => {
    let tdb: TestDatabase;
    let database: Database;
    before(async () => {
      tdb = await kind.create();
      database = await openDatabase(tdb.url);
    });
    after(async () => {
      await database?.close();
      await tdb?.drop();
    });

    it('set_up_by is the console user of the newest create or reset, null when the operator did it', async () => {
      const { db } = database;
      await migrateTo(db, '0016-single-payment-polls');
      await db.insertInto('console_users').values(['usr_a', 'usr_b', 'usr_c', 'usr_d', 'usr_e'].map(user)).execute();
      const admin = { kind: 'user', id: 'usr_admin' };
      const other = { kind: 'user', id: 'usr_other' };
      const operator = { kind: 'operator', id: 'root' };
      await db
        .insertInto('audit_log')
        .values([
          entry('usr_a', 'console_user.create', admin),
          entry('usr_b', 'console_user.create', operator),
          entry('usr_b', 'console_user.disable', other),
          entry('usr_c', 'console_user.create', admin),
          entry('usr_c', 'console_user.reset', operator),
          entry('usr_d', 'console_user.create', operator),
          entry('usr_d', 'console_user.reset', other),
          entry('usr_d', 'console_user.setup', { kind: 'user', id: 'usr_d' }),
        ])
        .execute();
      assert.equal((await migrateToLatest(db))[0], '0017-console-set-up-by');

      const rows = await db.selectFrom('console_users').select(['id', 'set_up_by']).orderBy('id').execute();
      assert.deepEqual(rows, [
        { id: 'usr_a', set_up_by: 'usr_admin' },
        { id: 'usr_b', set_up_by: null },
        { id: 'usr_c', set_up_by: null },
        { id: 'usr_d', set_up_by: 'usr_other' },
        { id: 'usr_e', set_up_by: null },
      ]);
    });
  });
}
