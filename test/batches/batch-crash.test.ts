// kill -9 between generating a batch's file and uploading it, and in the middle of applying an
// acknowledgement: after restart every payment reaches its final status once, and exactly one
// file per batch reached the bank, uploaded once (uploads are counted as they are made).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { openDatabase } from '../../src/store/database.ts';
import { accessToken, crashTestEnv, exited, runCli, sgAccountArgs, startServe, stopServers } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';

for (const kind of databaseKinds()) {
  describe(`batches survive kill -9 (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let port: number;
    let dataDir: string;

    before(async () => {
      db = await kind.create();
      port = await freePort();
      env = crashTestEnv(db.url, port);
      dataDir = env.PAYRAIL_DATA_DIR!;
    });
    after(async () => {
      await stopServers(); // a failed assertion must not leave one running
      await db?.drop();
    });

    it('crash after the file is generated, and again mid-ACK, then everything completes once', async () => {
      const base = `http://127.0.0.1:${port}`;
      const client = JSON.parse(runCli(['clients', 'create', '--name', 'crash', '--unlimited'], env).stdout);
      const account = JSON.parse(runCli(sgAccountArgs(client.client_id), env).stdout);

      // 1. The dispatcher dies between recording the file and uploading it.
      // Today in the rail's time zone (FAST runs every day), so the test does not go stale with
      // the calendar.
      const paymentDate = todayIn('Asia/Singapore', Date.now());
      let child = await startServe({ ...env, PAYRAIL_CRASH_AT: 'after-file-generated' }, port);
      const token = await accessToken(base, client);
      const payments = Array.from({ length: 6 }, (_, i) => ({
        amount: 500 + i,
        receiver: { name: `P${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: i === 4 ? '000000000' : '0123456789' },
      }));
      const res = await fetch(`${base}/v1/payment-batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'FAST', paymentDate, senderAccountId: account.id, currency: 'SGD', payments }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      const batch = (await res.json()) as { id: string };
      assert.equal(await exited(child), 'SIGKILL');
      assert.deepEqual(
        readdirSync(join(dataDir, 'bank', 'outbox')).filter((n) => n.endsWith('.xml')),
        [],
        'killed before the upload',
      );

      // 2. Restarted: the same file is uploaded; then the process dies while applying the ACK2.
      child = await startServe({ ...env, PAYRAIL_CRASH_AT: 'mid-ack-apply' }, port);
      assert.equal(await exited(child), 'SIGKILL');

      // 3. Restarted for good: everything completes.
      child = await startServe(env, port);
      const database = await openDatabase(db.url);
      try {
        const deadline = Date.now() + 30_000;
        let status = '';
        while (Date.now() < deadline) {
          status = (await database.db.selectFrom('batches').select('status').where('id', '=', batch.id).executeTakeFirstOrThrow()).status;
          if (status === 'COMPLETED') break;
          await new Promise((r) => setTimeout(r, 200));
        }
        child.kill('SIGTERM');
        await exited(child);
        assert.equal(status, 'COMPLETED');
        const rows = await database.db.selectFrom('payments').select(['id', 'status']).where('batch_id', '=', batch.id).execute();
        assert.deepEqual(rows.map((r) => r.status).sort(), ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED']);
        const events = await database.db.selectFrom('events').select(['type', 'object_id']).execute();
        assert.equal(events.filter((e) => e.object_id === batch.id).length, 1, 'one payment-batches.submitted');
        for (const r of rows) assert.equal(events.filter((e) => e.object_id === r.id).length, 1, `one final event for ${r.id}`);
        const history = await database.db.selectFrom('payment_status_changes').select(['payment_id', 'stage']).execute();
        for (const r of rows) {
          const stages = history.filter((h) => h.payment_id === r.id).map((h) => h.stage);
          assert.equal(new Set(stages).size, stages.length, 'each stage applied once');
        }
        const outbox = readdirSync(join(dataDir, 'bank', 'outbox')).filter((n) => n.endsWith('.xml'));
        assert.deepEqual(outbox, [`pain001-${batch.id}-1.xml`], 'exactly one file reached the bank');
        // Counted as the uploads are made (src/workers/crash-point.ts): the outbox alone would hide a
        // second upload of the same name, which the transport skips.
        const uploads = readFileSync(env.PAYRAIL_TEST_BANK_CALLS!, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('upload '));
        assert.deepEqual(uploads, [`upload pain001-${batch.id}-1.xml`], 'uploaded once');
        const files = await database.db.selectFrom('bank_files').select(['name']).where('direction', '=', 'out').execute();
        assert.equal(files.length, 1);
      } finally {
        await database.close();
      }
    });
  });
}
