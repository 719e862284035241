// Group commit (src/store/group-commit.ts): on SQLite, concurrent transactions share one commit,
// each answered only after it; a failing one is rolled back alone. On PostgreSQL each transaction
// commits on its own, with the same answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.ts';
import type { Database, Tx } from '../../src/store/database.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

const insert = (tx: Tx, name: string) => sql`insert into group_commit_probe (name) values (${name})`.execute(tx);

async function names(database: Database): Promise<string[]> {
  const r = await sql<{ name: string }>`select name from group_commit_probe order by name`.execute(database.db);
  return r.rows.map((row) => row.name);
}

for (const kind of databaseKinds()) {
  describe(`transactions of concurrent requests (${kind.name})`, { skip: kind.skip }, () => {
    let tdb: TestDatabase;
    let database: Database;

    before(async () => {
      tdb = await kind.create();
      database = await openDatabase(tdb.url);
      await sql`create table group_commit_probe (name text primary key)`.execute(database.db);
    });
    after(async () => {
      await database?.close();
      await tdb?.drop();
    });

    it('a transaction that throws is rolled back alone; the others commit and get their results', async () => {
      // The row the duplicate collides with is there before the group: on PostgreSQL the four run on
      // connections of their own, and two inserts of one new name would race for which one fails.
      await sql`insert into group_commit_probe (name) values ('z')`.execute(database.db);
      const results = await Promise.allSettled([
        database.transact(async (tx) => (await insert(tx, 'a'), 'A')),
        database.transact(async (tx) => {
          await insert(tx, 'b');
          throw new Error('b changed its mind');
        }),
        // A unique violation: the database refuses this one, the group goes on.
        database.transact(async (tx) => (await insert(tx, 'z'), 'duplicate')),
        database.transact(async (tx) => (await insert(tx, 'c'), 'C')),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
      );
      assert.equal((results[0] as PromiseFulfilledResult<string>).value, 'A');
      assert.equal((results[1] as PromiseRejectedResult).reason.message, 'b changed its mind');
      assert.equal((results[3] as PromiseFulfilledResult<string>).value, 'C');
      assert.deepEqual(await names(database), ['a', 'c', 'z']);
      await sql`delete from group_commit_probe where name = 'z'`.execute(database.db);
    });

    if (kind.name === 'sqlite') {
      it('each transaction of a group sees the rows of those before it (as if run one after another)', async () => {
        const seen = await Promise.all(
          ['d', 'e', 'f'].map((name) =>
            database.transact(async (tx) => {
              await insert(tx, name);
              const r = await sql<{ n: number }>`select count(*) as n from group_commit_probe where name in ('d', 'e', 'f')`.execute(tx);
              return Number(r.rows[0]!.n);
            }),
          ),
        );
        assert.deepEqual(seen, [1, 2, 3]);
      });

      it('concurrent transactions share one commit, and none is answered before it', async () => {
        // Another connection to the same file sees only committed rows.
        const outside = new SQLite(tdb.url.slice('sqlite:'.length), { readonly: true });
        try {
          const count = () => (outside.prepare("select count(*) as n from group_commit_probe where name like 'g%'").get() as { n: number }).n;
          const visibleOutside: number[] = [];
          let answered = 0;
          const all = Array.from({ length: 10 }, (_, i) =>
            database
              .transact(async (tx) => {
                await insert(tx, `g${i}`);
                visibleOutside.push(count());
                assert.equal(answered, 0, 'an earlier transaction of the group was answered before the commit');
              })
              .then(() => answered++),
          );
          await Promise.all(all);
          // While the ten ran, not one row was committed: they were committed together, after.
          assert.deepEqual(visibleOutside, Array(10).fill(0));
          assert.equal(count(), 10);
        } finally {
          outside.close();
        }
      });
    }
  });
}
