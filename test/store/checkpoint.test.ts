// SQLite WAL checkpoints run from a timer of their own, not inside a request's COMMIT (issue #21
// point 6, src/store/checkpoint.ts). SQLite only: PostgreSQL has no WAL file of ours to manage.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { startCheckpointer } from '../../src/store/checkpoint.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'payrail-wal-'));
const walSize = (file: string) => {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
};

describe('SQLite WAL checkpoints off the request path', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an idle database has its WAL copied back and truncated to zero bytes, with no request made', async () => {
    const file = join(dir, 'idle.db');
    const database = await openDatabase(`sqlite:${file}`);
    try {
      await migrateToLatest(database.db); // a few hundred KB of WAL
      const written = walSize(file);
      assert.ok(written > 0, 'the migrations wrote to the WAL');
      const deadline = Date.now() + 5000;
      while (walSize(file) > 0 && Date.now() < deadline) await sleep(50);
      assert.equal(walSize(file), 0, `the WAL (${written} bytes) was truncated by the timer within 5 s`);
    } finally {
      await database.close();
    }
  });

  it('a WAL past the size bound is checkpointed while writes go on, and the writers never wait', async () => {
    const file = join(dir, 'busy.db');
    const writer = new SQLite(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('create table t (x text)');
    const checkpointer = startCheckpointer(file, { intervalMs: 60_000, maxWalBytes: 256 * 1024 });
    try {
      const insert = writer.prepare('insert into t values (?)');
      const big = 'x'.repeat(4000);
      for (let i = 0; i < 100; i++) insert.run(big); // ~400 KB of WAL
      // The checkpoint runs in the checkpointer's thread: nothing is copied back by the time tick()
      // returns (run on this thread, the database file would have grown already), and it is copied
      // back while this thread is blocked.
      const before = statSync(file).size;
      const done = checkpointer.tick();
      assert.equal(statSync(file).size, before, 'tick() returned before the checkpoint ran: it runs elsewhere');
      const blocker = new Int32Array(new SharedArrayBuffer(4));
      const deadline = Date.now() + 10_000;
      while (statSync(file).size <= before && Date.now() < deadline) Atomics.wait(blocker, 0, 0, 20);
      assert.ok(statSync(file).size > before, `the database file grew past ${before} bytes while this thread was blocked`);
      assert.equal(await done, 'large', 'past the bound: checkpointed although the WAL is still growing');
      // Copied back: a reader that starts now finds every row in the database file.
      const [state] = writer.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      assert.equal(state!.log, state!.checkpointed, 'every frame of the WAL is in the database');
      const size = walSize(file);
      for (let i = 0; i < 10; i++) insert.run(big); // the next writer starts the WAL again from its beginning
      assert.ok(walSize(file) <= size, `the WAL did not grow past ${size} bytes (${walSize(file)})`);
      // Written over in place, the WAL keeps its size: still busy (not idle), so copied back, not truncated.
      assert.equal(await checkpointer.tick(), 'large', 'written since the last look, and past the bound');
      // Then nothing more is written: idle, although the file is still past the bound. Truncated.
      await sleep(20);
      assert.equal(await checkpointer.tick(), 'idle', 'not written since the last look: idle');
      assert.equal(walSize(file), 0, 'an idle WAL goes back to zero bytes, whatever its size');
    } finally {
      await checkpointer.stop();
      writer.close();
    }
  });
});
