// Operator closures: declared once (CLI or service), stored, and picked up by every instance.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../src/config.ts';
import { createServices } from '../../src/services.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { Database } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { runCli } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

const NOW = Date.parse('2026-03-10T02:00:00Z');

for (const kind of databaseKinds()) {
  describe(`calendar closures (${kind.name})`, { skip: kind.skip }, () => {
    let tdb: TestDatabase;
    let database: Database;
    before(async () => {
      tdb = await kind.create();
      database = await openDatabase(tdb.url);
      await migrateToLatest(database.db);
    });
    after(async () => {
      await database?.close();
      await tdb?.drop();
    });

    const services = () => createServices({ db: database.db, clock: () => NOW, config: parseConfig({ DATABASE_URL: tdb.url }) });

    it('a closure declared by one instance moves value dates in another after refresh', async () => {
      const a = services();
      const b = services();
      assert.equal(b.calendar.valueDateFor('ACH', '2026-03-11', NOW), '2026-03-11');
      await a.closures.close('HK', '2026-03-11', 'typhoon signal 8');
      assert.equal(a.calendar.valueDateFor('ACH', '2026-03-11', NOW), '2026-03-12', 'the declaring instance knows at once');
      assert.equal(await b.closures.refresh(), 1);
      assert.equal(b.calendar.isBusinessDay('HK', '2026-03-11'), false);
      assert.equal(b.calendar.isBusinessDay('SG', '2026-03-11'), true, 'only that market');
      assert.equal(b.calendar.valueDateFor('FPS', '2026-03-11', NOW), '2026-03-11', '24x7 rails are not affected');
      await a.closures.close('HK', '2026-03-11', 'again');
      assert.deepEqual(await a.closures.list(), [{ market: 'HK', date: '2026-03-11', reason: 'typhoon signal 8' }]);
    });
  });
}

describe('payrail calendar close / closures', () => {
  const env = { PAYRAIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'payrail-cal-')), DATABASE_URL: '' };
  it('declares and lists closures; refuses bad input with exit 1', () => {
    const closed = runCli(['calendar', 'close', '--market', 'SG', '--date', '2026-07-21', '--reason', 'black rainstorm'], env);
    assert.equal(closed.status, 0, closed.stderr);
    assert.deepEqual(JSON.parse(closed.stdout), { market: 'SG', date: '2026-07-21', reason: 'black rainstorm' });
    assert.deepEqual(JSON.parse(runCli(['calendar', 'closures'], env).stdout), [{ market: 'SG', date: '2026-07-21', reason: 'black rainstorm' }]);
    const bad = runCli(['calendar', 'close', '--market', 'SG', '--date', '2026-02-30'], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /2026-02-30/);
    assert.equal(runCli(['calendar', 'close', '--market', 'JP', '--date', '2026-07-21'], env).status, 1);
  });
});
