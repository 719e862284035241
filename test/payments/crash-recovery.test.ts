// kill -9 at arbitrary moments between accepting payments and completing them: after restart no
// accepted payment is lost, none reaches the bank twice, and each final event is written once.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.ts';
import { runCli, startServe, stopServers } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';

const PAYMENTS = 24;

for (const kind of databaseKinds()) {
  describe(`crash safety of single payments under kill -9 (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let base: string;
    let port: number;

    before(async () => {
      db = await kind.create();
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      env = { PAYRAIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'payrail-crash-')), DATABASE_URL: db.url, PAYRAIL_SANDBOX_ACK_DELAY_MS: '150', PAYRAIL_WORKER_LEASE_MS: '1000', PAYRAIL_PUBLIC_URL: base };
    });
    after(async () => {
      await stopServers(); // a failed assertion must not leave one running
      await db?.drop();
    });

    it('every accepted payment reaches a final status once, with one event, submitted once', async () => {
      const client = JSON.parse(runCli(['clients', 'create', '--name', 'crash', '--unlimited'], env).stdout);
      const account = JSON.parse(runCli(['accounts', 'create', '--client', client.client_id, '--name', 'SG', '--bank', 'DBSSSGSGXXX', '--number', '0123456789', '--currencies', 'SGD'], env).stdout);
      let child = await startServe(env, port);
      const token = ((await (await fetch(`${base}/v1.0/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret }) })).json()) as { access_token: string }).access_token;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const accepted: string[] = [];
      const outcomes = ['0123456789', '000000000', '000000001', '000000002', '000000003'];

      // Accept payments while killing the server now and then, mid-flight.
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < PAYMENTS / 3; i++) {
          const n = accepted.length;
          const res = await fetch(`${base}/v1/payments`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ type: 'FAST', amount: 1000 + n, currency: 'SGD', senderAccountId: account.id, receiver: { name: 'Crash Test', bank: 'DBSSSGSGXXX', bankAccountNumber: outcomes[n % outcomes.length] } }),
          }).catch(() => undefined);
          if (res?.status === 202) accepted.push(((await res.json()) as { id: string }).id);
        }
        await new Promise((r) => setTimeout(r, 80 + round * 120));
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        child = await startServe(env, port);
      }

      // Let the restarted server finish everything.
      const database = await openDatabase(db.url);
      try {
        const deadline = Date.now() + 30_000;
        let pending = Infinity;
        while (Date.now() < deadline) {
          const r = await database.db.selectFrom('payments').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['PROCESSING', 'SUBMITTED']).executeTakeFirstOrThrow();
          pending = Number(r.n);
          if (pending === 0) break;
          await new Promise((res) => setTimeout(res, 200));
        }
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
        assert.equal(pending, 0, 'every payment reached a final status');

        const stored = await database.db.selectFrom('payments').select(['id', 'status']).execute();
        for (const id of accepted) assert.ok(stored.some((p) => p.id === id), `accepted payment ${id} is still there`);
        assert.equal(stored.length, accepted.length, 'no payment was created twice or out of nowhere');

        const bankRows = await sql<{ n: number }>`select count(*) as n from sandbox_bank_api_payments`.execute(database.db);
        assert.equal(Number(bankRows.rows[0]!.n), stored.length, 'the bank received each payment once');

        const events = await database.db.selectFrom('events').select(['object_id', 'type']).execute();
        assert.equal(events.length, stored.length, 'one final event per payment');
        for (const p of stored) {
          const mine = events.filter((e) => e.object_id === p.id);
          assert.equal(mine.length, 1, `payment ${p.id} has one event`);
          assert.equal(mine[0]!.type, p.status === 'COMPLETED' ? 'payments.succeeded' : 'payments.failed');
        }
      } finally {
        await database.close();
      }
    });
  });
}
