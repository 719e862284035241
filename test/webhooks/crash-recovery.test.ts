// kill -9 while a webhook is in flight: after a restart the delivery is made (again, with the same
// webhook-id: at least once), every event reaches the receiver, and the attempt that was cut off
// was never recorded as an answer. Runs the real `payrail serve` in a child process.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import { runCli, startServe, stopServers } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';
import { startReceiver, verifyWith } from './receiver.ts';
import type { Receiver } from './receiver.ts';

for (const kind of databaseKinds()) {
  describe(`webhook delivery under kill -9 (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let receiver: Receiver;
    let env: Record<string, string>;
    let base: string;
    let port: number;

    before(async () => {
      db = await kind.create();
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      env = {
        PAYRAIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'payrail-webhook-crash-')),
        DATABASE_URL: db.url,
        PAYRAIL_SANDBOX_ACK_DELAY_MS: '100',
        PAYRAIL_WEBHOOK_RETRY_BASE_MS: '200',
        PAYRAIL_PUBLIC_URL: base,
      };
      // The first delivery hangs: the server is killed while it waits for the answer.
      receiver = await startReceiver((n) => (n === 0 ? 'hang' : 200));
    });
    after(async () => {
      await stopServers(); // a failed assertion must not leave one running
      await receiver?.close();
      await db?.drop();
    });

    it('an in-flight delivery is made after a restart, with the same webhook-id; every event arrives', { timeout: 90_000 }, async () => {
      const client = JSON.parse(runCli(['clients', 'create', '--name', 'webhook crash', '--unlimited'], env).stdout);
      const account = JSON.parse(
        runCli(
          ['accounts', 'create', '--client', client.client_id, '--name', 'SG', '--bank', 'DBSSSGSGXXX', '--number', '0123456789', '--currencies', 'SGD'],
          env,
        ).stdout,
      );
      let child = await startServe(env, port);
      try {
        const auth = await fetch(`${base}/v1.0/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret }),
        });
        const headers = { authorization: `Bearer ${((await auth.json()) as { access_token: string }).access_token}`, 'content-type': 'application/json' };
        const endpoint = (await (
          await fetch(`${base}/v1/webhook-endpoints`, { method: 'POST', headers, body: JSON.stringify({ url: `${receiver.url}/hooks` }) })
        ).json()) as { id: string; secret: string };
        for (const number of ['0123456789', '000000000', '0123456789']) {
          const res = await fetch(`${base}/v1/payments`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              type: 'FAST',
              amount: 1000,
              currency: 'SGD',
              senderAccountId: account.id,
              receiver: { name: 'Crash Test', bank: 'DBSSSGSGXXX', bankAccountNumber: number },
            }),
          });
          assert.equal(res.status, 202);
        }

        await receiver.waitFor(1, 20_000);
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        child = await startServe(env, port);

        // The dead worker's lease on the endpoint runs out (timeout + 5 s), then all three arrive.
        await receiver.waitFor(4, 40_000);
        const database = await openDatabase(db.url);
        try {
          const deadline = Date.now() + 10_000;
          let rows = await database.db.selectFrom('webhook_deliveries').select(['id', 'event_id', 'status']).orderBy('id').execute();
          while (rows.some((d) => d.status !== 'delivered') && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
            rows = await database.db.selectFrom('webhook_deliveries').select(['id', 'event_id', 'status']).orderBy('id').execute();
          }
          assert.deepEqual(
            rows.map((d) => d.status),
            ['delivered', 'delivered', 'delivered'],
          );
          const events = await database.db.selectFrom('events').select('id').orderBy('id').execute();
          assert.deepEqual(
            rows.map((d) => d.event_id),
            events.map((e) => e.id),
          );

          const ids = receiver.received.map((q) => String(q.headers['webhook-id']));
          assert.equal(ids[1], ids[0], 'the cut-off delivery is sent again with the same webhook-id');
          assert.deepEqual([...new Set(ids)].sort(), events.map((e) => e.id).sort(), 'every event arrived');
          for (const request of receiver.received) verifyWith(endpoint.secret, request);

          const attempts = await database.db.selectFrom('webhook_attempts').select(['delivery_id', 'status_code']).execute();
          assert.equal(attempts.length, 3, 'one recorded attempt per delivery: the cut-off one left no answer behind');
          assert.ok(attempts.every((a) => a.status_code === 200));
        } finally {
          await database.close();
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      }
    });
  });
}
