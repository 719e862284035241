// Live single payments over a real bank connection (SPEC §9, BANKS.md §1), on SQLite and
// PostgreSQL, through the API as a live client, over a real OpenSSH server on loopback: refused
// with BANK_NOT_CONNECTED while no connection serves the sender's bank; checked at creation against
// the profile of the connection the DATABASE has, also by an API-only instance that never read the
// connections again; the connection cannot be removed while a live payment or batch from its bank
// is open; the file takes the connection's profile (its file name) and id, and becomes overdue
// once; a file written for one connection is delivered again over that connection even after the
// bank's BIC moved to another.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileNameFor } from '../../src/bank-files/profiles/file-name.ts';
import { connectionToAdd } from '../../src/bank/connections/validation.ts';
import type { ConnectionOptions } from '../../src/bank/connections/validation.ts';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { singleFileMessageIdOf } from '../../src/payments/single-file-collector.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { sshdAvailable, startTestSshd } from '../helpers/sshd.ts';
import type { TestSshServer } from '../helpers/sshd.ts';

const available = sshdAvailable();
const DEBTOR = { legalName: 'Acme Pte. Ltd.', country: 'SG' };

for (const kind of databaseKinds()) {
  describe(`live single payments over a bank connection (${kind.name})`, { skip: kind.skip || (available ? false : 'sshd is not installed') }, () => {
    let db: TestDatabase;
    /** Runs the workers (the delivery side). */
    let app: TestApp;
    /** An API-only instance: it read the connections once, at start, when there were none. */
    let api: TestApp;
    let server: TestSshServer;
    let dir: string;
    let offset = 0;
    const clock = () => Date.now() + offset;
    const env = { PAYRAIL_SANDBOX_BANK: 'off', PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64'), PAYRAIL_SINGLE_FILE_INTERVAL_MS: '0' };
    let live: Awaited<ReturnType<TestApp['authed']>>;
    let dbs: string;
    let bare: string;
    let ocbc: string;
    let open: string;
    /** The payment whose file went over dbs-sg after DBS moved to another connection. */
    let moved: string;

    const options = (changes: ConnectionOptions = {}): ConnectionOptions => ({
      id: 'dbs-sg',
      name: 'DBS Singapore',
      bic: 'DBSSSGSG',
      profile: 'dbs-sg',
      ackTimeoutMinutes: '1',
      sftpUrl: `sftp://root@127.0.0.1:${server.port}${server.root}`,
      sftpKeyFile: join(dir, 'client_key'),
      sftpHostKey: server.hostKeyLine,
      ...changes,
    });
    const connections = () => app.payrail.services.bankConnections;
    const paymentBody = (senderAccountId: string, amount = 1234) => ({
      type: 'FAST',
      amount,
      currency: 'SGD',
      senderAccountId,
      paymentDate: todayIn('Asia/Singapore', clock()),
      receiver: { name: 'Kopi Pte Ltd', bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789' },
    });
    const pay = (on: TestApp, who: { headers: Record<string, string> }, senderAccountId: string, amount?: number) =>
      on.inject({ method: 'POST', url: '/v1/payments', headers: who.headers, payload: paymentBody(senderAccountId, amount) });
    const payment = (id: string) => app.payrail.database.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const fileOf = async (id: string) =>
      app.payrail.database.db
        .selectFrom('bank_files')
        .selectAll()
        .where('id', '=', (await payment(id)).bank_file_id!)
        .executeTakeFirstOrThrow();
    const account = async (on: TestApp, who: { headers: Record<string, string> }, body: Record<string, unknown>) => {
      const res = await on.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: who.headers,
        payload: { name: 'Ops', accountNumber: '0123456789', currencies: ['SGD'], ...body },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    };

    before(async () => {
      db = await kind.create();
      server = await startTestSshd();
      dir = mkdtempSync(join(tmpdir(), 'payrail-live-single-'));
      writeFileSync(join(dir, 'client_key'), server.settings().privateKey, { mode: 0o600 });
      app = await startTestApp(db, { env, clock, bankPollIntervalMs: 0 });
      api = await startTestApp(db, { env, clock, bankPollIntervalMs: 0 });
      live = await api.authed({ mode: 'live' });
      dbs = await account(api, live, { bank: 'DBSSSGSGXXX', ...DEBTOR });
      bare = await account(api, live, { bank: 'DBSSSGSGXXX' });
      ocbc = await account(api, live, { bank: 'OCBCSGSGXXX', ...DEBTOR });
    });
    after(async () => {
      await api?.close();
      await app?.close();
      await server?.stop();
      await db?.drop();
    });

    it('without a connection for its bank, a live single payment is 422 BANK_NOT_CONNECTED; nothing is stored', async () => {
      const res = await pay(api, live, dbs);
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().code, 'BANK_NOT_CONNECTED');
      assert.equal(res.json().errors[0].path, 'senderAccountId');
      assert.deepEqual((await api.inject({ method: 'GET', url: '/v1/payments', headers: live.headers })).json().data, []);
    });

    it("an API-only instance checks a live payment against the profile of the connection in the database, added elsewhere; a test client's stays generic", async () => {
      await connections().add(await connectionToAdd(options()));
      assert.equal(api.payrail.endpoints.forBank('DBSSSGSGXXX'), undefined, 'the API instance has not read the connections again');
      // dbs-sg needs the debtor's legal name and country: the account without them is refused.
      const refused = await pay(api, live, bare);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.deepEqual(
        refused.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`),
        ['senderAccountId REQUIRED_BY_BANK'],
      );
      assert.match(refused.json().errors[0].message, /profile dbs-sg/);
      assert.equal(
        await app.payrail.database.db.selectFrom('payments').select('id').where('sender_account_id', '=', bare).executeTakeFirst(),
        undefined,
        'nothing stored',
      );
      assert.equal((await pay(api, live, ocbc)).json().code, 'BANK_NOT_CONNECTED', 'another bank is still not connected');
      const accepted = await pay(api, live, dbs);
      assert.equal(accepted.statusCode, 202, accepted.body);
      open = accepted.json().id;
      // A test client is checked against the sandbox's profile (generic) whatever its bank.
      const test = await api.authed();
      const res = await pay(api, test, await account(api, test, { bank: 'DBSSSGSGXXX' }));
      assert.equal(res.statusCode, 202, res.body);
    });

    it('the connection cannot be removed while a live single payment or batch from its bank is open, though no file was written yet', async () => {
      assert.equal((await payment(open)).status, 'PROCESSING');
      assert.equal((await payment(open)).bank_file_id, null);
      const refusal = () =>
        connections()
          .remove('dbs-sg')
          .then(
            () => 'removed',
            (err: Error) => err.message,
          );
      assert.match(await refusal(), /serves the bank of 0 live batch\(es\) and 1 live single payment\(s\) still PROCESSING or SUBMITTED/);
      const batch = await api.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: live.headers,
        payload: {
          type: 'FAST',
          paymentDate: todayIn('Asia/Singapore', clock()),
          senderAccountId: dbs,
          currency: 'SGD',
          payments: [{ amount: 100, receiver: paymentBody(dbs).receiver }],
        },
      });
      assert.equal(batch.statusCode, 200, batch.body);
      assert.match(await refusal(), /serves the bank of 1 live batch\(es\) and 1 live single payment\(s\)/);
      assert.equal((await connections().get('dbs-sg')).id, 'dbs-sg', 'still there');
    });

    it("a live single payment's file goes over the connection in its profile, recorded with its id, and becomes overdue once", async () => {
      await app.payrail.workers.tick();
      const file = await fileOf(open);
      assert.equal(file.connection_id, 'dbs-sg');
      assert.equal(file.state, 'uploaded');
      const messageId = singleFileMessageIdOf(open);
      assert.equal(
        file.name,
        fileNameFor('dbs-sg', { messageId, batchId: messageId, attempt: 1, paymentDate: (await payment(open)).payment_date, createdAt: file.created_at }),
      );
      assert.match(file.name, /^DBS-\d{8}-PYMTS\w+\.xml$/);
      assert.ok(readdirSync(join(server.root, 'outbox')).includes(file.name), 'at the bank');
      assert.equal((await payment(open)).status, 'SUBMITTED');

      const overdue = async () =>
        (
          (await app.inject({ method: 'GET', url: '/v1/events?type=bank-files.overdue', headers: live.headers })).json().data as { data: { id: string } }[]
        ).filter((e) => e.data.id === open);
      await app.payrail.workers.tick();
      assert.deepEqual(await overdue(), [], 'not before the ack timeout');
      offset += 61_000;
      await app.payrail.workers.tick();
      offset += 61_000;
      await app.payrail.workers.tick();
      const events = await overdue();
      assert.equal(events.length, 1, 'once');
      assert.notEqual((await fileOf(open)).overdue_at, null);
    });

    it("a file left undelivered goes over the connection it was written for, even after its bank's BIC moved to another connection", async () => {
      await server.kill();
      const res = await pay(api, live, dbs, 4321);
      assert.equal(res.statusCode, 202, res.body);
      const id: string = res.json().id;
      await app.payrail.workers.tick();
      const written = await fileOf(id);
      assert.deepEqual([written.connection_id, written.state], ['dbs-sg', 'generated'], 'recorded, the upload failed');
      // The operator moves DBS to a new connection (another folder) before the file went out.
      await server.start();
      mkdirSync(join(server.root, 'moved'), { recursive: true });
      await connections().update('dbs-sg', { bics: ['DBSSHKHH'] });
      await connections().add(
        await connectionToAdd(options({ id: 'dbs-sg-new', sftpUrl: `sftp://root@127.0.0.1:${server.port}${join(server.root, 'moved')}` })),
      );
      // Twice: a refresh already under way (started by the update) may have read the connections before the add.
      await app.payrail.endpoints.refresh();
      await app.payrail.endpoints.refresh();
      assert.equal(app.payrail.endpoints.forBank('DBSSSGSGXXX')?.id, 'dbs-sg-new');
      offset += 120_000; // past the poller's and the collector's backoffs
      await app.payrail.workers.tick();
      const delivered = await fileOf(id);
      assert.equal(delivered.state, 'uploaded');
      assert.equal(delivered.connection_id, 'dbs-sg');
      assert.ok(
        readdirSync(join(server.root, 'outbox')).includes(delivered.name),
        "at the bank of the connection it was written for (that connection's profile and PGP)",
      );
      assert.ok(!existsSync(join(server.root, 'moved', 'outbox', delivered.name)), 'not at the new one');
      assert.equal((await payment(id)).status, 'SUBMITTED');
      // Its bank routes elsewhere now, yet the answers to the files sent over dbs-sg come over it:
      // these two single-payment files and the batch's file keep it from being removed.
      const removal = await connections()
        .remove('dbs-sg')
        .then(
          () => 'removed',
          (err: Error) => err.message,
        );
      assert.match(removal, /has 3 file\(s\) waiting for the bank's acknowledgements/);
      moved = id;
    });

    it('a file whose connection was removed meanwhile (another instance still sending over it) is still watched, with the default 120-minute timeout', async () => {
      const { db: d } = app.payrail.database;
      // What a removal racing another instance's delivery leaves (remove() itself refuses here).
      await d.deleteFrom('bank_connections').where('id', '=', 'dbs-sg').execute();
      // Read from the table: the clock moves past the access token's lifetime here.
      const overdue = () => d.selectFrom('events').select('id').where('type', '=', 'bank-files.overdue').where('object_id', '=', moved).execute();
      offset += 61_000;
      await app.payrail.workers.tick();
      assert.deepEqual(await overdue(), [], "the removed connection's 1 minute no longer applies");
      offset += 120 * 60_000;
      await app.payrail.workers.tick();
      await app.payrail.workers.tick();
      assert.equal((await overdue()).length, 1, 'overdue once after the default timeout');
    });
  });
}
