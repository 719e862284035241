// Migration 0008 on a database that already holds received files: one content received twice
// under two names (a copy read as a duplicate before 0008) must not stop the unique index on
// content; afterwards a received file is unique by content, not by name.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import type { Database } from '../../src/store/database.ts';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.ts';
import { isUniqueViolation } from '../../src/payments/service.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

const AT = '2026-03-10T02:00:00.000Z';
const file = (id: string, name: string, checksum: string, direction: 'in' | 'out' = 'in') => ({
  id,
  direction,
  name,
  message_id: null,
  batch_id: null,
  checksum,
  state: 'applied',
  content: null,
  reason: null,
  created_at: AT,
  updated_at: AT,
});

for (const kind of databaseKinds()) {
  describe(`migration 0008 on existing data (${kind.name})`, { skip: kind.skip }, () => {
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

    it('keeps every row, and received files are then unique by content, not by name', async () => {
      const { db } = database;
      await migrateTo(db, '0007-single-payment-work-index');
      await db
        .insertInto('bank_files')
        .values([
          file('bfile_1', 'a.xml', 'same'),
          file('bfile_2', 'copy-of-a.xml', 'same'),
          file('bfile_3', 'b.xml', 'other'),
          file('bfile_4', 'p1.xml', '0', 'out'),
          file('bfile_5', 'p2.xml', '0', 'out'),
        ])
        .execute();
      assert.equal((await migrateToLatest(db))[0], '0008-bank-statuses');

      const rows = await db.selectFrom('bank_files').select(['id', 'checksum']).orderBy('id').execute();
      assert.deepEqual(rows, [
        { id: 'bfile_1', checksum: 'same' },
        { id: 'bfile_2', checksum: 'same:bfile_2' },
        { id: 'bfile_3', checksum: 'other' },
        { id: 'bfile_4', checksum: '0' },
        { id: 'bfile_5', checksum: '0' },
      ]);
      // A known name with other content: accepted. Known content under any name: refused by the database.
      await db
        .insertInto('bank_files')
        .values(file('bfile_6', 'a.xml', 'new content'))
        .execute();
      await assert.rejects(
        db
          .insertInto('bank_files')
          .values(file('bfile_7', 'c.xml', 'other'))
          .execute(),
        (err) => isUniqueViolation(err),
      );
    });
  });
}
