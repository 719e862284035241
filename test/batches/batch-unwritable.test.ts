// Defence in depth behind the request checks: a batch whose pain.001 cannot be written (a value
// planted in the database, bypassing the API) ends FAILED at stage SUBMISSION with the seed's
// rejection events and an error log line, instead of staying PROCESSING and being retried forever.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { BANK_FILE_NOT_WRITABLE } from '../../src/batches/dispatcher.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

for (const kind of databaseKinds()) {
  describe(`a batch that cannot be written as a file ends FAILED (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let dataDir: string;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    const logLines: { level: number; msg: string; batchId?: string; paymentId?: string; path?: string; raw: string }[] = [];

    before(async () => {
      db = await kind.create();
      dataDir = mkdtempSync(join(tmpdir(), 'payrail-unwritable-'));
      const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push({ ...JSON.parse(String(chunk)), raw: String(chunk) }), done()) });
      app = await startTestApp(db, { clock: () => NOW, env: { PAYRAIL_DATA_DIR: dataDir }, logger: pino({ level: 'warn' }, sink) });
      alice = await app.authed();
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const sql = () => app.payrail.database.db;
    async function account(name: string): Promise<string> {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: alice.headers,
        payload: { name, bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id;
    }
    async function batch(senderAccountId: string, tag: string): Promise<{ id: string; payments: { id: string }[] }> {
      const payments = [0, 1, 2].map((i) => ({
        amount: 1000 + i,
        customerReference: `${tag}-${kind.name}-${i}`,
        receiver: { name: `Employee ${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789' },
      }));
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: alice.headers,
        payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId, currency: 'SGD', payments },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    }
    const get = async (url: string) => (await app.inject({ method: 'GET', url, headers: alice.headers })).json();
    const eventsOf = async (ids: string[]) => {
      const all = (await get('/v1/events?limit=100')).data as { id: string; type: string; data: { id: string } }[];
      return all
        .filter((e) => ids.includes(e.data.id))
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((e) => `${e.type} ${e.data.id}`);
    };

    async function assertFailed(b: { id: string; payments: { id: string }[] }, what: RegExp) {
      const got = await get(`/v1/payment-batches/${b.id}`);
      assert.equal(got.status, 'FAILED');
      assert.equal(got.failure.stage, 'SUBMISSION');
      assert.equal(got.failure.code, BANK_FILE_NOT_WRITABLE);
      assert.match(got.failure.message, what);
      assert.deepEqual(got.summary, { ...got.summary, processing: 0, failed: 3 });
      for (const p of b.payments) {
        const payment = await get(`/v1/payments/${p.id}`);
        assert.equal(payment.status, 'FAILED');
        assert.deepEqual(payment.failure, got.failure);
        const history = (await get(`/v1/payments/${p.id}/events`)).data as { stage: string; status: string }[];
        assert.ok(
          history.some((h) => h.stage === 'SUBMISSION' && h.status === 'FAILED'),
          JSON.stringify(history),
        );
      }
      // The seed's order for a batch rejected whole: the batch first, then each payment.
      assert.deepEqual(await eventsOf([b.id, ...b.payments.map((p) => p.id)]), [
        `payment-batches.rejected ${b.id}`,
        ...b.payments.map((p) => `payments.failed ${p.id}`),
      ]);
      assert.ok(
        logLines.some((l) => l.level === 50 && l.batchId === b.id),
        'an error-level log line names the batch',
      );
      assert.ok(!readdirSync(join(dataDir, 'bank', 'outbox')).some((n) => n.includes(b.id)), 'no file reached the bank');
    }

    it('a control character planted in a receiver name: the batch and its payments FAILED, the others still sent', async () => {
      const sg = await account('SG Payroll');
      const bad = await batch(sg, 'BAD');
      const good = await batch(sg, 'GOOD');
      const victim = await sql().selectFrom('payments').select(['id', 'receiver']).where('id', '=', bad.payments[1]!.id).executeTakeFirstOrThrow();
      await sql()
        .updateTable('payments')
        .set({ receiver: JSON.stringify({ ...JSON.parse(victim.receiver), name: 'Bell\u0001' }) })
        .where('id', '=', victim.id)
        .execute();

      await app.payrail.workers.tick();
      await assertFailed(bad, /receiver\.name/);
      assert.equal((await get(`/v1/payment-batches/${good.id}`)).status, 'SUBMITTED');

      // The log and the failure name the field, the payment and the character, never the value.
      const line = logLines.find((l) => l.level === 50 && l.batchId === bad.id)!;
      assert.equal(line.paymentId, victim.id);
      assert.equal(line.path, 'payments[1].receiver.name');
      assert.ok(!line.raw.includes('Bell'), line.raw);
      assert.match(line.raw, /U\+0001/);
      const failure = (await get(`/v1/payment-batches/${bad.id}`)).failure;
      assert.ok(!failure.message.includes('Bell'), failure.message);

      // Final: a later pass changes nothing and sends nothing.
      await app.payrail.workers.tick();
      await assertFailed(bad, /receiver\.name/);
    });

    it("U+FFFF planted in the sender account's name: every batch of the account fails the same way", async () => {
      const sg = await account('SG Operating');
      const bad = await batch(sg, 'ACCT');
      await sql().updateTable('accounts').set({ name: 'Operating\uFFFF' }).where('id', '=', sg).execute();
      await app.payrail.workers.tick();
      await assertFailed(bad, /debtor\.name/);
      const line = logLines.find((l) => l.level === 50 && l.batchId === bad.id)!;
      assert.equal(line.path, 'debtor.name');
      assert.ok(!line.raw.includes('Operating'), line.raw);
    });
  });
}
