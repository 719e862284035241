import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.ts';
import type { Database } from '../../src/store/database.ts';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/store/migrate.ts';
import { getOrCreateSetting } from '../../src/store/settings.ts';
import { createServices } from '../../src/services.ts';
import { parseConfig } from '../../src/config.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

for (const kind of databaseKinds()) {
  describe(`storage layer (${kind.name})`, { skip: kind.skip }, () => {
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

    it('applies the migrations once; a second run applies nothing', async () => {
      assert.deepEqual(await migrateToLatest(database.db), MIGRATION_NAMES);
      assert.ok(MIGRATION_NAMES.includes('0001-foundation'));
      assert.deepEqual(await migrateToLatest(database.db), []);
      assert.equal(database.dialect, kind.name);
    });

    it('has the foundation tables', async () => {
      for (const table of ['clients', 'client_secrets', 'signing_keys', 'accounts', 'settings'] as const) {
        const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database.db);
        assert.equal(Number(r.rows[0]!.n), 0, table);
      }
    });

    it('concurrent first use of a setting creates exactly one value', async () => {
      const values = await Promise.all(Array.from({ length: 10 }, (_, i) => getOrCreateSetting(database.db, 'race', () => `v${i}`)));
      assert.equal(new Set(values).size, 1);
    });

    it('a transaction that throws leaves nothing behind', async () => {
      await assert.rejects(
        database.db.transaction().execute(async (tx) => {
          await tx.insertInto('settings').values({ key: 'rolled-back', value: 'x' }).execute();
          throw new Error('boom');
        }),
      );
      const row = await database.db.selectFrom('settings').selectAll().where('key', '=', 'rolled-back').executeTakeFirst();
      assert.equal(row, undefined);
    });

    it('the signing key is created once and survives a restart', async () => {
      const config = parseConfig({ DATABASE_URL: tdb.url, PAYRAIL_PUBLIC_URL: 'http://x.test' });
      const first = createServices({ db: database.db, clock: Date.now, config });
      await first.keys.init();
      const kid = first.keys.signingKey().kid;
      const reopened = await openDatabase(tdb.url);
      try {
        const second = createServices({ db: reopened.db, clock: Date.now, config });
        await second.keys.init();
        assert.equal(second.keys.signingKey().kid, kid);
        assert.deepEqual(
          second.keys
            .jwks()
            .keys.filter((k) => k.use === 'sig')
            .map((k) => k.kid),
          [kid],
        );
      } finally {
        await reopened.close();
      }
    });

    it('keys rotate: the new key signs, the old one stays published', async () => {
      const config = parseConfig({ DATABASE_URL: tdb.url, PAYRAIL_PUBLIC_URL: 'http://x.test' });
      const services = createServices({ db: database.db, clock: Date.now, config });
      await services.keys.init();
      const old = services.keys.signingKey().kid;
      const { signingKid } = await services.keys.rotate();
      assert.notEqual(signingKid, old);
      assert.equal(services.keys.signingKey().kid, signingKid);
      assert.deepEqual(
        services.keys
          .jwks()
          .keys.filter((k) => k.use === 'sig')
          .map((k) => k.kid)
          .sort(),
        [old, signingKid].sort(),
      );
      assert.ok(
        services.keys.jwks().keys.every((k) => !('d' in k)),
        'no private parts in the JWKS',
      );
    });
  });
}
