// The seed's sample timeline end to end, through pain.001 out, the sandbox bank and pain.002 in
// (local folders), on both databases, plus a batch rejected whole at ACK1 and the ack reader's
// refusals (re-read, malformed, unknown, out of order).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { XSD, validateXml } from '../helpers/xsd.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import { fileNameOf, messageIdOf } from '../../src/batches/dispatcher.ts';

const DELAY = 1000;

for (const kind of databaseKinds()) {
  describe(`a batch from request to COMPLETED through bank files (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = NOW;
    let dataDir: string;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let sg: string;

    before(async () => {
      db = await kind.create();
      dataDir = mkdtempSync(join(tmpdir(), 'payrail-batch-'));
      app = await startTestApp(db, { clock: () => now, env: { PAYRAIL_DATA_DIR: dataDir, PAYRAIL_SANDBOX_ACK_DELAY_MS: String(DELAY) } });
      alice = await app.authed();
      sg = (
        await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: alice.headers,
          payload: { name: 'SG Payroll', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
        })
      ).json().id;
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const bankDir = (sub: string) => join(dataDir, 'bank', sub);
    async function step(ms = DELAY) {
      now += ms;
      // Twice: the sandbox writes files, the reader then applies them.
      await app.payrail.workers.tick();
      await app.payrail.workers.tick();
    }
    const item = (i: number, account = '0123456789') => ({
      amount: 10_000 + i,
      customerReference: `SALARY-${kind.name}-${i}`,
      receiver: { name: `Employee ${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: account },
    });
    const getBatch = async (id: string) => (await app.inject({ method: 'GET', url: `/v1/payment-batches/${id}`, headers: alice.headers })).json();
    const eventsOf = async (ids: string[]) => {
      const all = (await app.inject({ method: 'GET', url: '/v1/events?limit=100', headers: alice.headers })).json().data as {
        id: string;
        type: string;
        data: { id: string };
      }[];
      return all.filter((e) => ids.includes(e.data.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
    };

    it("the seed's sample timeline: 400 → fixed → SUBMITTED → ACK1 → ACK2 rejects 2 → ACK3 settles 8 → COMPLETED", async () => {
      const items = Array.from({ length: 10 }, (_, i) => item(i));
      const broken = structuredClone(items);
      broken[2]!.receiver.bank = 'NOT A BIC';
      (broken[5] as { amount: number }).amount = -5;
      const refused = await app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: alice.headers,
        payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId: sg, currency: 'SGD', payments: broken },
      });
      assert.equal(refused.statusCode, 400);
      assert.deepEqual(
        refused
          .json()
          .errors.map((e: { path: string }) => e.path)
          .sort(),
        ['payments[2].receiver.bank', 'payments[5].amount'],
      );
      assert.equal((await app.inject({ method: 'GET', url: '/v1/payments', headers: alice.headers })).json().data.length, 0);

      items[3] = item(3, '000000000');
      items[8] = item(8, '000000000');
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: alice.headers,
        payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId: sg, currency: 'SGD', payments: items },
      });
      assert.equal(res.statusCode, 200, res.body);
      const batch = res.json();
      assert.equal(batch.status, 'PROCESSING');

      await step(0);
      let b = await getBatch(batch.id);
      assert.equal(b.status, 'SUBMITTED');
      assert.equal(b.summary.submitted, 10);
      const sent = readdirSync(bankDir('outbox')).filter((n) => n.endsWith('.xml'));
      assert.deepEqual(sent, [`pain001-${batch.id}-1.xml`]);
      // The file the bank receives is a valid pain.001.001.09 (the official XSD), with the ten payments.
      const dispatched = readFileSync(join(bankDir('outbox'), sent[0]!), 'utf8');
      assert.deepEqual(await validateXml(dispatched, XSD['pain.001.001.09']), []);
      assert.match(dispatched, /<GrpHdr>.*<NbOfTxs>10<\/NbOfTxs>/s);
      assert.equal(dispatched.match(/<CdtTrfTxInf>/g)?.length, 10);

      await step(); // ACK1 ACTC
      b = await getBatch(batch.id);
      assert.equal(b.status, 'SUBMITTED');
      await step(); // ACK2: two AC01
      b = await getBatch(batch.id);
      assert.deepEqual([b.summary.failed, b.summary.submitted], [2, 8]);
      await step(); // ACK3: eight settled
      b = await getBatch(batch.id);
      assert.equal(b.status, 'COMPLETED');
      assert.deepEqual(b.summary, { count: 10, totalAmount: 100_045, processing: 0, submitted: 0, completed: 8, failed: 2 });

      const failed = await app.inject({ method: 'GET', url: `/v1/payments/${b.payments[3].id}`, headers: alice.headers });
      assert.deepEqual(failed.json().failure, { stage: 'ACK2', code: 'AC01', message: 'Incorrect account number' });

      const events = await eventsOf([batch.id, ...b.payments.map((p: { id: string }) => p.id)]);
      assert.deepEqual(
        events.map((e) => e.type),
        ['payment-batches.submitted', 'payments.failed', 'payments.failed', ...Array(8).fill('payments.succeeded')],
      );
      assert.equal(readdirSync(bankDir('inbox')).filter((n) => n.endsWith('.xml')).length, 0, 'every ack was archived');
      assert.equal(readdirSync(bankDir('archive')).filter((n) => n.includes('ACK')).length, 3);
    });

    it('a batch with 000000002 is rejected whole at ACK1: rejected event, then every payment failed', async () => {
      const items = [item(20), item(21, '000000002'), item(22)];
      const batch = (
        await app.inject({
          method: 'POST',
          url: '/v1/payment-batches',
          headers: alice.headers,
          payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId: sg, currency: 'SGD', payments: items },
        })
      ).json();
      await step(0);
      await step();
      const b = await getBatch(batch.id);
      assert.equal(b.status, 'FAILED');
      assert.equal(b.summary.failed, 3);
      const events = await eventsOf([batch.id, ...b.payments.map((p: { id: string }) => p.id)]);
      assert.deepEqual(
        events.map((e) => e.type),
        ['payment-batches.submitted', 'payment-batches.rejected', 'payments.failed', 'payments.failed', 'payments.failed'],
      );
      await step();
      await step();
      assert.equal((await eventsOf([batch.id, ...b.payments.map((p: { id: string }) => p.id)])).length, 5, 'nothing more happens');
    });

    it('000000003 in a batch: ACWC with the next business day and a bank charge', async () => {
      const batch = (
        await app.inject({
          method: 'POST',
          url: '/v1/payment-batches',
          headers: alice.headers,
          payload: {
            type: 'MEPS',
            paymentDate: '2026-03-11',
            senderAccountId: sg,
            currency: 'SGD',
            payments: [{ ...item(30, '000000003'), receiver: { ...item(30, '000000003').receiver, address: { line1: '1 Raffles Place' } } }],
          },
        })
      ).json();
      for (let i = 0; i < 4; i++) await step(i === 0 ? 0 : DELAY);
      const p = (await app.inject({ method: 'GET', url: `/v1/payments/${batch.payments[0].id}`, headers: alice.headers })).json();
      assert.equal(p.status, 'COMPLETED');
      assert.equal(p.actualPaymentDate, '2026-03-12');
      assert.equal(p.bankChargeAmount, 500);
      assert.equal(p.bankChargeCurrency, 'SGD');
    });

    it('re-reading an applied acknowledgement changes nothing', async () => {
      const before = (await app.inject({ method: 'GET', url: '/v1/events?limit=100', headers: alice.headers })).json().data.length;
      const ack3 = readdirSync(bankDir('archive')).find((n) => n.endsWith('.ACK3.xml'))!;
      copyFileSync(join(bankDir('archive'), ack3), join(bankDir('inbox'), ack3));
      await step(0);
      assert.equal(existsSync(join(bankDir('inbox'), ack3)), false);
      const after = (await app.inject({ method: 'GET', url: '/v1/events?limit=100', headers: alice.headers })).json().data.length;
      assert.equal(after, before);
    });

    it('the same report under another name is applied as a duplicate: nothing changes', async () => {
      const before = (await app.inject({ method: 'GET', url: '/v1/events?limit=100', headers: alice.headers })).json().data.length;
      const ack2 = readdirSync(bankDir('archive')).find((n) => n.endsWith('.ACK2.xml'))!;
      copyFileSync(join(bankDir('archive'), ack2), join(bankDir('inbox'), `copy-of-${ack2}`));
      await step(0);
      const after = (await app.inject({ method: 'GET', url: '/v1/events?limit=100', headers: alice.headers })).json().data.length;
      assert.equal(after, before);
    });

    it('malformed, unknown and out-of-order files are moved to the error folder with a reason', async () => {
      writeFileSync(join(bankDir('inbox'), 'garbage.xml'), '<<<not xml');
      const ack1 = readdirSync(bankDir('archive')).find((n) => n.endsWith('.ACK1.xml'))!;
      const unknown = readFileSync(join(bankDir('archive'), ack1), 'utf8')
        .replaceAll(/PYMTB[0-9A-Z]+-1/g, 'PYMTBUNKNOWNUNKNOWNUNKNOWN0-1')
        .replaceAll(/pymtb_[0-9A-Z]+/g, 'pymtb_UNKNOWNUNKNOWNUNKNOWN0');
      writeFileSync(join(bankDir('inbox'), 'unknown.xml'), unknown);
      // An ACK2 naming another batch's payments under this batch's message id. (Transaction
      // statuses without an ACK1 are no longer out of order, BANKS.md §4.3: this file is set aside
      // because its payments are unknown to the batch.)
      const fresh = (
        await app.inject({
          method: 'POST',
          url: '/v1/payment-batches',
          headers: alice.headers,
          payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId: sg, currency: 'SGD', payments: [item(40)] },
        })
      ).json();
      await step(0);
      const ack2 = readdirSync(bankDir('archive')).find((n) => n.endsWith('.ACK2.xml'))!;
      const template = readFileSync(join(bankDir('archive'), ack2), 'utf8');
      const original = /<OrgnlMsgId>([^<]+)<\/OrgnlMsgId>/.exec(template)![1]!;
      const early = template.replaceAll(original, `${fresh.id.replace('pymtb_', 'PYMTB')}-1`);
      writeFileSync(join(bankDir('inbox'), 'early.xml'), early);
      await app.payrail.workers.tick();
      const errors = readdirSync(bankDir('error'));
      for (const name of ['garbage.xml', 'unknown.xml', 'early.xml']) assert.ok(errors.includes(name), `${name} set aside (${errors.join(', ')})`);
      assert.match(
        readFileSync(
          join(
            bankDir('error'),
            errors.find((n) => n.startsWith('garbage') && n !== 'garbage.xml')!,
          ),
          'utf8',
        ),
        /pain\.002|readable|XML/i,
      );
      assert.equal((await getBatch(fresh.id)).status, 'SUBMITTED', 'nothing half-applied');
      assert.match(
        readFileSync(
          join(
            bankDir('error'),
            errors.find((n) => n.startsWith('early') && n !== 'early.xml')!,
          ),
          'utf8',
        ),
        /names no payment of the batch/,
      );
    });

    it('an ACK1 that comes before its batch is recorded SUBMITTED waits in the inbox, then applies', async () => {
      const batch = (
        await app.inject({
          method: 'POST',
          url: '/v1/payment-batches',
          headers: alice.headers,
          payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId: sg, currency: 'SGD', payments: [item(50)] },
        })
      ).json();
      // Another dispatcher holds the batch: its file is recorded and uploaded, its SUBMITTED commit not done yet.
      const { db } = app.payrail.database;
      const stamp = new Date(now).toISOString();
      await db
        .updateTable('batches')
        .set({ lease_owner: 'd_other', lease_until: new Date(now + 3600_000).toISOString() })
        .where('id', '=', batch.id)
        .execute();
      await db
        .insertInto('bank_files')
        .values({
          id: `bfile_${batch.id.slice(6)}`,
          direction: 'out',
          name: fileNameOf(batch.id),
          message_id: messageIdOf(batch.id),
          batch_id: batch.id,
          checksum: '0',
          state: 'generated',
          content: null,
          reason: null,
          created_at: stamp,
          updated_at: stamp,
        })
        .execute();
      const name = `${messageIdOf(batch.id)}.ACK1.xml`;
      const ack1 = writePain002({
        messageId: `ACK1-${messageIdOf(batch.id)}`.slice(0, 35),
        createdAt: '2026-03-09T09:00:00Z',
        originalMessageId: messageIdOf(batch.id),
        originalMessageName: 'pain.001.001.09',
        groupStatus: 'ACTC',
        transactions: [],
      });
      writeFileSync(join(bankDir('inbox'), name), ack1);
      await app.payrail.workers.tick();
      assert.ok(existsSync(join(bankDir('inbox'), name)), 'the ACK1 waits in the inbox');
      assert.ok(!readdirSync(bankDir('error')).includes(name), 'and is not set aside');
      // The other dispatcher commits.
      await db.updateTable('batches').set({ status: 'SUBMITTED', lease_owner: null, lease_until: null }).where('id', '=', batch.id).execute();
      await db.updateTable('payments').set({ status: 'SUBMITTED', bank_stage: 'SUBMITTED' }).where('batch_id', '=', batch.id).execute();
      await app.payrail.workers.tick();
      assert.ok(!existsSync(join(bankDir('inbox'), name)), 'applied and archived');
      const row = await db.selectFrom('batches').select(['status', 'bank_stage']).where('id', '=', batch.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'SUBMITTED', bank_stage: 'ACK1' });
    });
  });
}
