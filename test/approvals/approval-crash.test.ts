// kill -9 between an approval and the dispatch of what it approved (issue #16): the approval is
// kept, the batch leaves after the restart, and exactly one file reaches the bank — also when the
// restarted dispatcher dies once more between generating the file and uploading it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { openDatabase } from '../../src/store/database.ts';
import { accessToken, BIN, crashTestEnv, exited, runCli, sgAccountArgs, startServe, stopServers } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';

for (const kind of databaseKinds()) {
  describe(`an approval survives kill -9 (${kind.name})`, { skip: kind.skip }, () => {
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
      await stopServers();
      await db?.drop();
    });

    it('killed after the approval committed, then after the file was generated: one file, batch COMPLETED', async () => {
      const base = `http://127.0.0.1:${port}`;
      const cli = (args: string[]) => {
        const r = runCli(args, env);
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout);
      };
      const maker = cli(['clients', 'create', '--name', 'maker', '--unlimited']);
      const checker = cli([
        'clients',
        'create',
        '--name',
        'checker',
        '--unlimited',
        '--scopes',
        'payments:approve,payments:read',
        '--organisation',
        maker.client_id,
      ]);
      const account = cli(sgAccountArgs(maker.client_id));
      cli(['approvals', 'set-policy', '--client', maker.client_id, '--above', '0', '--approvers', '1']);
      const token = (c: { client_id: string; client_secret: string }) => accessToken(base, c);

      let child = await startServe({ ...env, PAYRAIL_CRASH_AT: 'after-approval' }, port);
      const paymentDate = todayIn('Asia/Singapore', Date.now());
      const payments = Array.from({ length: 4 }, (_, i) => ({
        amount: 700 + i,
        receiver: { name: `P${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789' },
      }));
      const res = await fetch(`${base}/v1/payment-batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token(maker)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'FAST', paymentDate, senderAccountId: account.id, currency: 'SGD', payments }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      const batch = (await res.json()) as { id: string; approval: { status: string } };
      assert.equal(batch.approval.status, 'PENDING');
      // Held: the running dispatcher leaves it alone.
      await new Promise((r) => setTimeout(r, 500));
      const outbox = join(dataDir, 'bank', 'outbox');
      const sent = () => (existsSync(outbox) ? readdirSync(outbox).filter((n) => n.endsWith('.xml')) : []);
      assert.deepEqual(sent(), []);

      // 1. The approval commits; the process dies before answering or dispatching.
      const approving = fetch(`${base}/v1/payment-batches/${batch.id}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token(checker)}` },
      });
      await assert.rejects(approving);
      assert.equal(await exited(child), 'SIGKILL');
      assert.deepEqual(sent(), [], 'killed before any dispatch');

      // 2. Restarted: the approved batch is dispatched at once; the process dies before the upload
      // (maybe before it answers /healthz, so it is not awaited as a server).
      child = spawn(process.execPath, [BIN, 'serve'], {
        env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), PAYRAIL_CRASH_AT: 'after-file-generated' },
        stdio: 'ignore',
      });
      assert.equal(await exited(child), 'SIGKILL');
      assert.deepEqual(sent(), []);

      // 3. Restarted for good.
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
        assert.deepEqual(sent(), [`pain001-${batch.id}-1.xml`], 'exactly one file reached the bank');
        // The outbox skips a file of the same name: only the witnessed calls can show a second upload.
        const uploads = readFileSync(env.PAYRAIL_TEST_BANK_CALLS!, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('upload '));
        assert.deepEqual(uploads, [`upload pain001-${batch.id}-1.xml`], 'uploaded exactly once');
        assert.equal((await database.db.selectFrom('bank_files').select('id').where('direction', '=', 'out').execute()).length, 1);
        const approval = await database.db.selectFrom('approvals').selectAll().where('object_id', '=', batch.id).executeTakeFirstOrThrow();
        assert.equal(approval.status, 'APPROVED');
        const events = (await database.db.selectFrom('events').select('type').where('object_id', '=', batch.id).orderBy('id').execute()).map((e) => e.type);
        assert.deepEqual(events, ['payment-batches.approval_required', 'payment-batches.approved', 'payment-batches.submitted']);
      } finally {
        await database.close();
      }
      const audit = cli(['audit', 'list', '--object', batch.id]);
      assert.deepEqual(
        audit.map((e: { action: string; actor: { id: string } }) => [e.action, e.actor.id]),
        [['approval.approve', checker.client_id]],
      );
    });
  });
}
