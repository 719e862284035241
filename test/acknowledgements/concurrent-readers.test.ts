// Two acknowledgement readers (two worker processes) that pick up the same inbox file at the same
// moment apply it once: the file is identified by its content, unique among received files, so the
// second reader's transaction fails on that key and changes nothing (BANKS.md §4.9).
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createAckApplier } from '../../src/acknowledgements/apply.ts';
import { createAckReader } from '../../src/acknowledgements/reader-worker.ts';
import { createLocalTransport } from '../../src/bank/transports/local-transport.ts';
import type { FileTransport } from '../../src/bank/connector.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { reportXml, startBank } from './builders.ts';
import type { Bank, SentPayment } from './builders.ts';

for (const kind of databaseKinds()) {
  describe(`two readers, one file (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let bank: Bank;
    before(async () => {
      db = await kind.create();
      bank = await startBank(db);
    });
    after(async () => {
      await bank?.close();
      await db?.drop();
    });

    /** A reader of its own (its own transport over the same folders) that reads the file, then waits for the other one to have read it too. */
    function reader(arrived: () => Promise<void>, only?: string) {
      const { services, database } = bank.app.payrail;
      const local = createLocalTransport(join(bank.dataDir, 'bank'));
      const transport: FileTransport = {
        ...local,
        // Each reader takes its own file of the inbox when told which.
        listInbox: async () => (await local.listInbox()).filter((n) => only === undefined || n === only),
        async readInbox(name) {
          const bytes = await local.readInbox(name);
          await arrived();
          return bytes;
        },
      };
      const applier = createAckApplier({
        clock: () => Date.now(),
        outbox: services.outbox,
        transitions: services.transitions,
        batches: services.batches,
        dialect: database.dialect,
      });
      return createAckReader({ db: database.db, clock: () => Date.now(), logger: pino({ level: 'silent' }), transport, endpointId: 'sandbox', applier });
    }

    it('both read it at once; it is applied once and archived once', async () => {
      const b = await bank.sentBatch(3);
      const xml = reportXml({
        messageId: 'PSR-CONCURRENT',
        originalMessageId: b.messageId,
        paymentInfos: [
          {
            id: b.id,
            transactions: b.payments.map((p, i) => ({
              endToEndId: p.customerReference,
              status: i === 0 ? 'RJCT' : 'ACSC',
              reasons: i === 0 ? [{ code: 'AC01' }] : [],
            })),
          },
        ],
      });
      writeFileSync(join(bank.bankDir('inbox'), 'PSR.xml'), xml);
      let waiting = 0;
      let release!: () => void;
      const both = new Promise<void>((resolve) => (release = resolve));
      const arrived = async () => {
        if (++waiting === 2) release();
        await both;
      };
      await Promise.all([reader(arrived).tick(), reader(arrived).tick()]);

      assert.equal(waiting, 2, 'both readers read the file');
      const { db: kdb } = bank.app.payrail.database;
      // One record of the file: the second reader neither applied it nor set it aside.
      const files = await kdb.selectFrom('bank_files').select(['name', 'state']).where('direction', '=', 'in').where('name', '=', 'PSR.xml').execute();
      assert.deepEqual(files, [{ name: 'PSR.xml', state: 'applied' }]);
      const ids = b.payments.map((p) => p.id);
      const history = await kdb
        .selectFrom('payment_status_changes')
        .select(['payment_id', 'bank_status'])
        .where('payment_id', 'in', ids)
        .where('bank_status', 'is not', null)
        .execute();
      assert.equal(history.length, 3, 'one status per payment');
      const finals = (await bank.events(ids)).filter(([type]) => type === 'payments.succeeded' || type === 'payments.failed');
      assert.equal(finals.length, 3, 'one final event per payment');
      assert.equal((await bank.batch(b.id)).status, 'COMPLETED');
      assert.deepEqual(
        readdirSync(bank.bankDir('inbox')).filter((n) => n === 'PSR.xml'),
        [],
      );
      assert.deepEqual(readdirSync(bank.bankDir('error')), []);
      assert.deepEqual(
        readdirSync(bank.bankDir('archive')).filter((n) => n.startsWith('PSR.xml')),
        ['PSR.xml'],
      );
    });

    // Two different files of one batch, applied at the same moment: without the batch row locked
    // (PostgreSQL), each reader counted the other's payment as still open and the batch stayed
    // SUBMITTED.
    it('two readers, two different files of one batch at once: the batch and every payment end final', async () => {
      for (let round = 0; round < 15; round++) {
        const b = await bank.sentBatch(2);
        const [p1, p2] = b.payments as [SentPayment, SentPayment];
        // Accepted first (ACK1), so neither file writes the batch row on its own.
        await bank.deliver(
          `ACK1-${round}.xml`,
          reportXml({ messageId: `ACK1-${round}`, originalMessageId: b.messageId, groupStatus: 'ACTC', createdAt: '2026-03-10T09:00:00Z', paymentInfos: [] }),
        );
        const a = reportXml({
          messageId: `PSR-A-${round}`,
          originalMessageId: b.messageId,
          createdAt: '2026-03-10T10:00:00Z',
          paymentInfos: [{ id: b.id, transactions: [{ endToEndId: p1.customerReference, status: 'ACSC' }] }],
        });
        const c = reportXml({
          messageId: `PSR-B-${round}`,
          originalMessageId: b.messageId,
          createdAt: '2026-03-10T11:00:00Z',
          paymentInfos: [{ id: b.id, transactions: [{ endToEndId: p2.customerReference, status: 'RJCT', reasons: [{ code: 'AC01' }] }] }],
        });
        writeFileSync(join(bank.bankDir('inbox'), `A-${round}.xml`), a);
        writeFileSync(join(bank.bankDir('inbox'), `B-${round}.xml`), c);
        let waiting = 0;
        let release!: () => void;
        const both = new Promise<void>((resolve) => (release = resolve));
        const arrived = async () => {
          if (++waiting === 2) release();
          await both;
        };
        await Promise.all([reader(arrived, `A-${round}.xml`).tick(), reader(arrived, `B-${round}.xml`).tick()]);
        const statuses = await Promise.all(b.payments.map(async (p) => (await bank.payment(p.id)).status as string));
        assert.deepEqual(statuses, ['COMPLETED', 'FAILED'], `round ${round}: every payment final`);
        assert.equal((await bank.batch(b.id)).status, 'COMPLETED', `round ${round}: the batch is final`);
        assert.deepEqual(readdirSync(bank.bankDir('error')), []);
      }
    });
  });
}
