// kill -9 at deterministic points between accepting payments and completing them: first after the
// bank took a multi-row submission (SUBMITTED not recorded yet), then inside the one transaction
// that records SUBMITTED for many payments at once (rows written, not committed). After restart no
// accepted payment is lost, each reaches the bank once (the interrupted ones once more per crash,
// idempotently), each final event is written once. Calls to the bank are counted as they are
// made, not read from the bank's table.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.ts';
import { accessToken, BIN, crashTestEnv, exited, runCli, sgAccountArgs, startServe, stopServers } from '../helpers/cli.ts';
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
    let callLog: string;
    /** The payment ids of every submission that reached the bank, in order (src/workers/crash-point.ts). */
    const submissions = () =>
      existsSync(callLog)
        ? readFileSync(callLog, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('submit '))
            .map((l) => l.slice('submit '.length))
        : [];

    before(async () => {
      db = await kind.create();
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      env = crashTestEnv(db.url, port, { ackDelayMs: 150 });
      callLog = env.PAYRAIL_TEST_BANK_CALLS!;
    });
    after(async () => {
      await stopServers(); // a failed assertion must not leave one running
      await db?.drop();
    });

    it('every accepted payment reaches a final status once, with one event, submitted once (once more only where it crashed)', async () => {
      const client = JSON.parse(runCli(['clients', 'create', '--name', 'crash', '--unlimited'], env).stdout);
      const account = JSON.parse(runCli(sgAccountArgs(client.client_id), env).stdout);
      // 1. An API-only instance accepts the payments (no worker runs yet), then stops.
      let child = await startServe({ ...env, PAYRAIL_ROLE: 'api' }, port);
      const token = await accessToken(base, client);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const accepted: string[] = [];
      const outcomes = ['0123456789', '000000000', '000000001', '000000002', '000000003'];
      for (let n = 0; n < PAYMENTS; n++) {
        const res = await fetch(`${base}/v1/payments`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            type: 'FAST',
            amount: 1000 + n,
            currency: 'SGD',
            senderAccountId: account.id,
            receiver: { name: 'Crash Test', bank: 'DBSSSGSGXXX', bankAccountNumber: outcomes[n % outcomes.length] },
          }),
        });
        assert.equal(res.status, 202);
        accepted.push(((await res.json()) as { id: string }).id);
      }
      child.kill('SIGTERM');
      await exited(child);

      // 2. The worker dies (SIGKILL) right after the bank took the payments (many in one call),
      // before recording them; then, restarted, inside the transaction recording SUBMITTED for many.
      const crashAt = async (point: string) => {
        const crashed = spawn(process.execPath, [BIN, 'serve'], {
          env: { ...process.env, ...env, LOG_LEVEL: 'silent', PORT: String(port), PAYRAIL_CRASH_AT: point },
          stdio: 'ignore',
        });
        const guard = setTimeout(() => crashed.kill('SIGTERM'), 90_000); // never reached the point: fails below, does not hang
        assert.equal(await exited(crashed), 'SIGKILL', `it died at ${point}`);
        clearTimeout(guard);
      };
      await crashAt('after-payment-submitted');
      const beforeRestart = submissions();
      assert.ok(beforeRestart.length > 1, `it died after a multi-row submission (${beforeRestart.length} payments in it)`);
      await crashAt('mid-single-payments-apply');
      const secondCrash = submissions().slice(beforeRestart.length);
      assert.ok(secondCrash.length > 1, `the second run submitted many again before dying (${secondCrash.length})`);
      {
        const database = await openDatabase(db.url);
        try {
          const rows = await database.db.selectFrom('payments').select('status').execute();
          assert.deepEqual(new Set(rows.map((r) => r.status)), new Set(['PROCESSING']), 'the multi-row transaction cut short wrote nothing');
          const history = await database.db.selectFrom('payment_status_changes').select('id').where('stage', '=', 'SUBMITTED').execute();
          assert.equal(history.length, 0, 'no SUBMITTED history row survived the crash');
        } finally {
          await database.close();
        }
      }

      // 3. Restarted: the lease runs out, the interrupted payment is submitted again, the rest once.
      child = await startServe(env, port);

      // Let the restarted server finish everything.
      const database = await openDatabase(db.url);
      try {
        const deadline = Date.now() + 30_000;
        let pending = Infinity;
        while (Date.now() < deadline) {
          const r = await database.db
            .selectFrom('payments')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', 'in', ['PROCESSING', 'SUBMITTED'])
            .executeTakeFirstOrThrow();
          pending = Number(r.n);
          if (pending === 0) break;
          await new Promise((res) => setTimeout(res, 200));
        }
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
        assert.equal(pending, 0, 'every payment reached a final status');

        const stored = await database.db.selectFrom('payments').select(['id', 'status']).execute();
        for (const id of accepted)
          assert.ok(
            stored.some((p) => p.id === id),
            `accepted payment ${id} is still there`,
          );
        assert.equal(stored.length, accepted.length, 'no payment was created twice or out of nowhere');

        // Every call that reached the bank, counted (the sandbox's own table ignores a repeat): each
        // payment once, and once more for each crash that cut off its SUBMITTED (submission is
        // idempotent by payment id, so the bank still has it once).
        const calls = submissions();
        assert.deepEqual([...new Set(calls)].sort(), [...accepted].sort(), 'every accepted payment was submitted');
        for (const id of accepted) {
          const interrupted = Number(beforeRestart.includes(id)) + Number(secondCrash.includes(id));
          const made = calls.filter((c) => c === id).length;
          assert.ok(made <= 1 + interrupted, `payment ${id} was submitted ${made} times, interrupted ${interrupted} times`);
        }
        const bankRows = await sql<{ n: number }>`select count(*) as n from sandbox_bank_api_payments`.execute(database.db);
        assert.equal(Number(bankRows.rows[0]!.n), stored.length, 'the bank holds each payment once');

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
