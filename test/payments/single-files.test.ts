// Live single payments travel in pain.001 files (SPEC §9), on SQLite and PostgreSQL: the
// single-file collector writes one file per (endpoint, type, date, sender account…) once the
// group's oldest payment has waited the interval (or at once when the group is full), over a real
// local file transport; the sandbox file bank answers it with pain.002 files and the real ack
// reader applies them with the file's payments as the scope. Test mode keeps the API transport.
import { fileIdOf } from '../../src/bank-files/pain001/identifiers.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createAckApplier } from '../../src/acknowledgements/apply.ts';
import { createAckReader } from '../../src/acknowledgements/reader-worker.ts';
import type { BankEndpoint } from '../../src/bank/endpoints.ts';
import type { FileTransport } from '../../src/bank/connector.ts';
import { createLocalTransport } from '../../src/bank/transports/local-transport.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import { createSingleFileCollector, singleFileMessageIdOf } from '../../src/payments/single-file-collector.ts';
import { createLocalBankFolders } from '../../src/sandbox-bank/bank-folders.ts';
import { createSandboxFileBank } from '../../src/sandbox-bank/file-bank.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { XSD, validateXml } from '../helpers/xsd.ts';
import { NOW } from '../rails/builders.ts';

const INTERVAL = 1000;
const DELAY = 500;
/** A Friday and the Monday after (NOW is Tuesday 2026-03-10). */
const DATE = '2026-03-13';
const LATER_DATE = '2026-03-16';

type Event = { type: string; object_id: string };

/** The local transport, counting the uploads that really wrote a file (a second upload of a name is skipped). */
function countingTransport(root: string): FileTransport & { written: string[]; calls: number } {
  const inner = createLocalTransport(root);
  const counting = Object.assign(Object.create(null) as object, inner, {
    written: [] as string[],
    calls: 0,
    async upload(name: string, content: string) {
      counting.calls++;
      const had = await inner.has(name);
      await inner.upload(name, content);
      if (!had) counting.written.push(name);
    },
  });
  return counting;
}

for (const kind of databaseKinds()) {
  describe(`live single payments travel in pain.001 files (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = NOW;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let dbs: string;
    let ocbc: string;
    let bankRoot: string;
    let transport: ReturnType<typeof countingTransport>;
    let logLines: string[];
    let collector: ReturnType<typeof createSingleFileCollector>;
    let bank: ReturnType<typeof createSandboxFileBank>;
    let reader: ReturnType<typeof createAckReader>;
    /** Makes the step after the upload fail: the file is at the bank, its payments not yet SUBMITTED. */
    let failKeepCopy = false;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => now });
      alice = await app.authed();
      const account = async (bank: string) =>
        (
          await app.inject({
            method: 'POST',
            url: '/v1/accounts',
            headers: alice.headers,
            payload: { name: 'SG Ops', bank, accountNumber: '0123456789', currencies: ['SGD'] },
          })
        ).json().id as string;
      dbs = await account('DBSSSGSGXXX');
      ocbc = await account('OCBCSGSGXXX');
      bankRoot = mkdtempSync(join(tmpdir(), 'payrail-single-files-'));
      transport = countingTransport(bankRoot);
      logLines = [];
      const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _e, cb) => (logLines.push(String(chunk)), cb()) }));
      const clock = () => now;
      const endpoint: BankEndpoint = {
        id: 'dbs',
        profile: 'generic',
        transport,
        keepCopy: async () => {
          if (failKeepCopy) throw new Error('the audit copy could not be written');
        },
      };
      const { services, database } = app.payrail;
      collector = createSingleFileCollector({
        db: database.db,
        clock,
        logger,
        transitions: services.transitions,
        intervalMs: INTERVAL,
        maxPaymentsPerFile: 5,
        pendingGraceMs: DELAY,
        endpointFor: (senderBank) => (senderBank.startsWith('DBSSSGSG') ? endpoint : undefined),
        endpointById: (id) => (id === endpoint.id ? endpoint : undefined),
      });
      bank = createSandboxFileBank({ folders: createLocalBankFolders(bankRoot), clock, ackDelayMs: DELAY, calendar: services.calendar, logger });
      const applier = createAckApplier({
        clock,
        outbox: services.outbox,
        transitions: services.transitions,
        batches: services.batches,
        dialect: database.dialect,
      });
      reader = createAckReader({ db: database.db, clock, logger, transport, endpointId: endpoint.id, applier });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    async function create(body: Record<string, unknown>): Promise<string> {
      // The client is made live only after its payments are created (goLive): a stand-in until the merge.
      await app.payrail.database.db.updateTable('clients').set({ mode: 'test' }).where('id', '=', alice.clientId).execute();
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: alice.headers,
        payload: { type: 'FAST', amount: 1234, currency: 'SGD', senderAccountId: dbs, paymentDate: DATE, ...body },
      });
      assert.equal(res.statusCode, 202, res.body);
      return res.json().id;
    }
    const receiver = (account = '0123456789') => ({ name: 'Kopi Pte Ltd', bank: 'OCBCSGSGXXX', bankAccountNumber: account });

    /**
     * Live clients are refused at creation on this branch (another branch lifts that): the
     * payments are created by a test client and made live in the database. A stand-in until the merge.
     */
    async function goLive(ids: string[]): Promise<void> {
      const { db: d } = app.payrail.database;
      await d.updateTable('clients').set({ mode: 'live' }).where('id', '=', alice.clientId).execute();
      await d.updateTable('payments').set({ mode: 'live' }).where('id', 'in', ids).execute();
    }

    const row = (id: string) => app.payrail.database.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const outFiles = () => app.payrail.database.db.selectFrom('bank_files').selectAll().where('direction', '=', 'out').orderBy('id').execute();
    const eventsAbout = async (ids: string[]): Promise<Event[]> =>
      (await app.payrail.database.db.selectFrom('events').select(['type', 'object_id']).where('object_id', 'in', ids).orderBy('id').execute()) as Event[];
    const get = async (id: string) => (await app.inject({ method: 'GET', url: `/v1/payments/${id}`, headers: alice.headers })).json();

    /** The bank answers what is due, the reader applies it; a few rounds of the bank's delay. */
    async function bankAnswers(rounds = 5): Promise<void> {
      for (let i = 0; i < rounds; i++) {
        now += DELAY;
        await bank.tick();
        await reader.tick();
      }
    }

    it('payments of one group share one file once the oldest has waited the interval; another date or type gets its own; ACKs settle them', async () => {
      const ok = await create({ receiver: receiver() });
      const ack2 = await create({ receiver: receiver('000000000') });
      now += 300;
      const ack3 = await create({ receiver: receiver('000000001') });
      const otherDate = await create({ receiver: receiver(), paymentDate: LATER_DATE });
      const otherType = await create({ type: 'PAYNOW', receiver: receiver() });
      const ids = [ok, ack2, ack3, otherDate, otherType];
      await goLive(ids);

      // Before the oldest has waited the interval: nothing is written.
      now += INTERVAL - 301;
      assert.equal(await collector.tick(), 0);
      assert.deepEqual(await outFiles(), []);
      // Once it has: that group's file goes (with the payment created 300 ms later); the groups
      // of the other date and type wait for their own oldest.
      now += 1;
      assert.equal(await collector.tick(), 1);
      assert.equal((await outFiles()).length, 1);
      now += 299;
      assert.equal(await collector.tick(), 0);
      now += 1;
      assert.equal(await collector.tick(), 2);
      const files = await outFiles();
      assert.equal(files.length, 3);
      assert.deepEqual(transport.written.sort(), files.map((f) => f.name).sort(), 'each file uploaded once');
      assert.deepEqual(readdirSync(join(bankRoot, 'outbox')).sort(), files.map((f) => f.name).sort());
      const fileOf = async (id: string) => (await row(id)).bank_file_id;
      assert.equal(await fileOf(ok), await fileOf(ack2));
      assert.equal(await fileOf(ok), await fileOf(ack3));
      assert.notEqual(await fileOf(ok), await fileOf(otherDate));
      assert.notEqual(await fileOf(ok), await fileOf(otherType));
      assert.notEqual(await fileOf(otherDate), await fileOf(otherType));
      const shared = files.find((f) => f.id === files.find((x) => x.message_id === singleFileMessageIdOf(ok))?.id)!;
      assert.equal(shared.batch_id, null);
      assert.equal(shared.state, 'uploaded');
      for (const id of [ok, ack2, ack3]) assert.ok(shared.content!.includes(`<InstrId>${fileIdOf(id)}</InstrId>`));
      for (const f of files) {
        assert.deepEqual(
          await validateXml(readFileSync(join(bankRoot, 'outbox', f.name), 'utf8'), XSD['pain.001.001.09']),
          [],
          `${f.name} is a valid pain.001.001.09`,
        );
      }
      for (const id of ids) {
        const p = await get(id);
        assert.equal(p.status, 'SUBMITTED');
        assert.equal(p.batchId, undefined);
      }
      const history = await app.payrail.database.db
        .selectFrom('payment_status_changes')
        .selectAll()
        .where('payment_id', '=', ok)
        .where('stage', '=', 'SUBMITTED')
        .execute();
      assert.equal(history.length, 1);
      assert.equal(history[0]!.bank_file_id, shared.id);
      assert.deepEqual(await eventsAbout(ids), [], 'SUBMITTED is no event for a single payment (as in test mode)');
      // A second pass writes nothing more.
      assert.equal(await collector.tick(), 0);

      await bankAnswers();
      assert.equal((await get(ok)).status, 'COMPLETED');
      assert.equal((await get(otherDate)).status, 'COMPLETED');
      assert.equal((await get(otherType)).status, 'COMPLETED');
      const failedAck2 = await get(ack2);
      assert.equal(failedAck2.status, 'FAILED');
      assert.deepEqual(failedAck2.failure, { stage: 'ACK2', code: 'AC01', message: 'Incorrect account number' });
      const failedAck3 = await get(ack3);
      assert.equal(failedAck3.status, 'FAILED');
      assert.deepEqual(failedAck3.failure, { stage: 'ACK3', code: 'AC04', message: 'Closed account number' });
      const events = await eventsAbout(ids);
      for (const id of [ok, otherDate, otherType])
        assert.deepEqual(
          events.filter((e) => e.object_id === id).map((e) => e.type),
          ['payments.succeeded'],
        );
      for (const id of [ack2, ack3])
        assert.deepEqual(
          events.filter((e) => e.object_id === id).map((e) => e.type),
          ['payments.failed'],
        );
      assert.equal(readdirSync(join(bankRoot, 'inbox')).filter((n) => n.endsWith('.xml')).length, 0, 'every report applied');
      assert.equal(
        (await app.payrail.database.db.selectFrom('bank_files').select('verdict').where('id', '=', shared.id).executeTakeFirstOrThrow()).verdict,
        'accepted',
      );
    });

    it('a group RJCT (ACK1) fails every payment of the file, each with payments.failed and no batch event', async () => {
      const good = await create({ receiver: receiver() });
      const bad = await create({ receiver: receiver('000000002') });
      await goLive([good, bad]);
      now += INTERVAL;
      assert.equal(await collector.tick(), 1);
      assert.equal(await row(good).then((r) => r.bank_file_id), await row(bad).then((r) => r.bank_file_id));
      await bankAnswers();
      for (const id of [good, bad]) {
        const p = await get(id);
        assert.equal(p.status, 'FAILED');
        assert.equal(p.failure.stage, 'ACK1');
        assert.deepEqual(
          (await eventsAbout([id])).map((e) => e.type),
          ['payments.failed'],
        );
      }
      const file = await app.payrail.database.db
        .selectFrom('bank_files')
        .select(['verdict', 'message_id'])
        .where('id', '=', (await row(good)).bank_file_id!)
        .executeTakeFirstOrThrow();
      assert.equal(file.verdict, 'rejected');

      // A file rejected whole stays so: an acceptance read later does not re-label it (nor raise its payments' failure stage).
      writeFileSync(
        join(bankRoot, 'inbox', 'late-acceptance.xml'),
        writePain002({
          messageId: 'LATE-ACTC',
          createdAt: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          originalMessageId: file.message_id!,
          originalMessageName: 'pain.001.001.09',
          groupStatus: 'ACTC',
          transactions: [],
        }),
      );
      await reader.tick();
      assert.deepEqual(
        readdirSync(join(bankRoot, 'inbox')).filter((n) => n.endsWith('.xml')),
        [],
        'the late acceptance was applied',
      );
      for (const id of [good, bad]) assert.equal((await get(id)).failure.stage, 'ACK1');
    });

    it('a payment-information RJCT after the bank accepted the file fails each open payment at ACK2, with no batch event', async () => {
      const ids = [await create({ receiver: receiver() }), await create({ receiver: receiver() })];
      await goLive(ids);
      now += INTERVAL;
      assert.equal(await collector.tick(), 1);
      const file = await app.payrail.database.db
        .selectFrom('bank_files')
        .select(['id', 'message_id'])
        .where('id', '=', (await row(ids[0]!)).bank_file_id!)
        .executeTakeFirstOrThrow();
      // The sandbox's ACK1 (ACTC) only, then the bank rejects the payment-information block.
      now += DELAY;
      await bank.tick();
      now += DELAY;
      await bank.tick();
      await reader.tick();
      assert.deepEqual(
        ids.map(() => 'SUBMITTED'),
        await Promise.all(ids.map(async (id) => (await row(id)).status)),
      );
      writeFileSync(
        join(bankRoot, 'inbox', 'pmtinf-rejected.xml'),
        writePain002({
          version: '03',
          messageId: 'PMTINF-RJCT',
          createdAt: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          originalMessageId: file.message_id!,
          originalMessageName: 'pain.001.001.09',
          paymentInfoId: file.message_id!,
          paymentInfo: { status: 'RJCT', reasons: [{ code: 'AM04' }] },
          transactions: [],
        }),
      );
      await reader.tick();
      assert.deepEqual(
        readdirSync(join(bankRoot, 'inbox')).filter((n) => n.endsWith('.xml')),
        [],
        'applied, not set aside',
      );
      for (const id of ids) {
        const p = await get(id);
        assert.equal(p.status, 'FAILED');
        assert.deepEqual(p.failure, { stage: 'ACK2', code: 'AM04', message: 'Insufficient funds' });
        assert.deepEqual(
          (await eventsAbout([id])).map((e) => e.type),
          ['payments.failed'],
        );
      }
      assert.equal(
        (await app.payrail.database.db.selectFrom('bank_files').select('verdict').where('id', '=', file.id).executeTakeFirstOrThrow()).verdict,
        'accepted',
      );
    });

    it('a full group goes at once, without waiting the interval', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await create({ receiver: receiver(), amount: 100 + i }));
      await goLive(ids);
      assert.equal(await collector.tick(), 1);
      const rows = await Promise.all(ids.map(row));
      assert.ok(rows.every((r) => r.status === 'SUBMITTED' && r.bank_file_id === rows[0]!.bank_file_id));
      await bankAnswers();
      for (const id of ids) assert.equal((await get(id)).status, 'COMPLETED');
    });

    it('two collectors at once: each payment in one file, one file written and uploaded', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await create({ receiver: receiver(), amount: 200 + i }));
      await goLive(ids);
      now += INTERVAL;
      const other = createSingleFileCollector({
        db: app.payrail.database.db,
        clock: () => now,
        logger: pino({ level: 'silent' }),
        transitions: app.payrail.services.transitions,
        intervalMs: INTERVAL,
        endpointFor: () => ({ id: 'dbs', profile: 'generic', transport, keepCopy: async () => {} }),
        endpointById: () => ({ id: 'dbs', profile: 'generic', transport, keepCopy: async () => {} }),
      });
      const filesBefore = (await outFiles()).length;
      const writtenBefore = transport.written.length;
      const [a, b] = await Promise.all([collector.tick(), other.tick()]);
      assert.equal(a + b, 1, 'one of them wrote the file');
      assert.equal((await outFiles()).length, filesBefore + 1);
      assert.equal(transport.written.length, writtenBefore + 1);
      const rows = await Promise.all(ids.map(row));
      assert.ok(rows.every((r) => r.status === 'SUBMITTED' && r.bank_file_id === rows[0]!.bank_file_id));
      await bankAnswers();
      for (const id of ids) assert.equal((await get(id)).status, 'COMPLETED');
    });

    it('a report that arrives before the payments are marked SUBMITTED waits in the inbox, then applies', async () => {
      const id = await create({ receiver: receiver() });
      await goLive([id]);
      now += INTERVAL;
      failKeepCopy = true;
      try {
        assert.equal(await collector.tick(), 1);
      } finally {
        failKeepCopy = false;
      }
      const { bank_file_id: fileId, status } = await row(id);
      assert.equal(status, 'PROCESSING', 'uploaded, not yet marked');
      assert.equal(await collector.tick(), 0, 'recorded just now: left to the collector that recorded it (review #7)');
      const file = await app.payrail.database.db.selectFrom('bank_files').selectAll().where('id', '=', fileId!).executeTakeFirstOrThrow();
      assert.ok(transport.written.includes(file.name));
      now += DELAY;
      await bank.tick();
      now += DELAY;
      await bank.tick(); // ACK1 is in the inbox
      await reader.tick();
      assert.ok(
        readdirSync(join(bankRoot, 'inbox')).some((n) => n.endsWith('.xml')),
        'the report waits',
      );
      assert.equal((await row(id)).status, 'PROCESSING');
      const uploads = transport.written.length;
      assert.equal(await collector.tick(), 1, 'the file is delivered again and marked');
      assert.equal(transport.written.length, uploads, 'the repeated upload wrote nothing');
      assert.equal((await row(id)).status, 'SUBMITTED');
      await bankAnswers();
      assert.equal((await get(id)).status, 'COMPLETED');
    });

    it('a payment the file writer refuses fails at stage SUBMISSION; the others of its group still travel', async () => {
      const good = await create({ receiver: receiver() });
      const planted = await create({ receiver: receiver() });
      await goLive([good, planted]);
      // A value planted in the database, past the request checks (defence in depth).
      await app.payrail.database.db
        .updateTable('payments')
        .set({ receiver: JSON.stringify({ ...receiver(), name: 'Bell\u0001' }) })
        .where('id', '=', planted)
        .execute();
      now += INTERVAL;
      assert.equal(await collector.tick(), 0);
      const failed = await get(planted);
      assert.equal(failed.status, 'FAILED');
      assert.equal(failed.failure.stage, 'SUBMISSION');
      assert.equal(failed.failure.code, 'BANK_FILE_NOT_WRITABLE');
      assert.deepEqual(
        (await eventsAbout([planted])).map((e) => e.type),
        ['payments.failed'],
      );
      assert.ok(!logLines.some((l) => l.includes('Bell')), 'the log never quotes the value');
      assert.equal(await collector.tick(), 1);
      assert.equal((await row(good)).status, 'SUBMITTED');
      assert.equal((await row(planted)).bank_file_id, null);
      await bankAnswers();
      assert.equal((await get(good)).status, 'COMPLETED');
    });

    it('a payment whose sender bank has no connection stays PROCESSING, with a warning', async () => {
      const id = await create({ senderAccountId: ocbc, receiver: receiver() });
      await goLive([id]);
      now += INTERVAL;
      const before = transport.calls;
      assert.equal(await collector.tick(), 0);
      const p = await row(id);
      assert.equal(p.status, 'PROCESSING');
      assert.equal(p.bank_file_id, null);
      assert.equal(transport.calls, before);
      assert.ok(
        logLines.some((l) => l.includes('OCBCSGSGXXX') && l.includes('no bank connection')),
        logLines.join('\n'),
      );
    });

    it('test mode is unchanged: a test-mode single payment is never put in a file and goes over the API transport', async () => {
      const id = await create({ receiver: receiver() });
      now += INTERVAL;
      assert.equal(await collector.tick(), 0);
      assert.equal((await row(id)).bank_file_id, null);
      await app.payrail.workers.tick();
      const p = await row(id);
      assert.equal(p.status, 'SUBMITTED');
      assert.equal(p.bank_file_id, null);
    });
  });
}
