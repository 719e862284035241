// Live mode, review fixes over a real OpenSSH server on loopback, on SQLite and PostgreSQL:
// - a report is believed only from the endpoint its file went to: an ACSC for a live batch sent to
//   dbs-sg, dropped in the sandbox's local inbox or in a second connection's inbox, is set aside to
//   that inbox's error/ with the reason and changes nothing; the genuine one applies, and every
//   received file is recorded with the endpoint it came from (review #1);
// - a file that does not upload keeps its connection in error (state, /readyz) though the inbox
//   reads fine, until it is uploaded (review #8).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import { messageIdOf } from '../../src/batches/dispatcher.ts';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { connectionToAdd } from '../../src/bank/connections/validation.ts';
import type { ConnectionOptions } from '../../src/bank/connections/validation.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { sshdAvailable, startTestSshd } from '../helpers/sshd.ts';
import type { TestSshServer } from '../helpers/sshd.ts';

const available = sshdAvailable();

for (const kind of databaseKinds()) {
  describe(`live mode review fixes (${kind.name})`, { skip: kind.skip || (available ? false : 'sshd is not installed') }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let server: TestSshServer;
    let dir: string;
    let offset = 0;
    const clock = () => Date.now() + offset;
    const env = { PAYRAIL_SANDBOX_BANK: 'off', PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64') };
    let live: Awaited<ReturnType<TestApp['authed']>>;
    let account: string;

    const options = (id: string, bic: string): ConnectionOptions => ({
      id,
      name: id,
      bic,
      profile: 'generic',
      sftpUrl: `sftp://root@127.0.0.1:${server.port}${server.root}/${id}`,
      sftpKeyFile: join(dir, 'client_key'),
      sftpHostKey: server.hostKeyLine,
    });
    const connections = () => app.payrail.services.bankConnections;
    const state = async (id: string) => (await connections().get(id)).state;
    const at = (id: string, ...path: string[]) => join(server.root, id, ...path);
    const batchStatus = async (id: string) =>
      (await app.inject({ method: 'GET', url: `/v1/payment-batches/${id}`, headers: live.headers })).json().status as string;
    /** A live batch to dbs-sg, uploaded and SUBMITTED. */
    async function submittedBatch(): Promise<{ id: string; paymentIds: string[] }> {
      const res = await app.inject({ method: 'POST', url: '/v1/payment-batches', headers: live.headers, payload: batchBody(account) });
      assert.equal(res.statusCode, 200, res.body);
      await app.payrail.workers.tick();
      const id = res.json().id as string;
      assert.equal(await batchStatus(id), 'SUBMITTED');
      return { id, paymentIds: res.json().payments.map((p: { id: string }) => p.id) };
    }
    const completing = (messageId: string, batch: { id: string; paymentIds: string[] }) =>
      writePain002({
        messageId,
        createdAt: new Date(clock()).toISOString().replace(/\.\d+Z$/, 'Z'),
        originalMessageId: messageIdOf(batch.id),
        originalMessageName: 'pain.001.001.09',
        groupStatus: 'ACSC',
        paymentInfoId: batch.id,
        transactions: batch.paymentIds.map((instructionId) => ({ instructionId, status: 'ACSC' })),
      });

    before(async () => {
      db = await kind.create();
      server = await startTestSshd();
      dir = mkdtempSync(join(tmpdir(), 'payrail-live-fixes-'));
      writeFileSync(join(dir, 'client_key'), server.settings().privateKey, { mode: 0o600 });
      app = await startTestApp(db, { env, clock, bankPollIntervalMs: 0 });
      await connections().add(await connectionToAdd(options('dbs-sg', 'DBSSSGSG')));
      await connections().add(await connectionToAdd(options('uob-sg', 'UOVBSGSG')));
      await app.payrail.endpoints.refresh();
      live = await app.authed({ mode: 'live' });
      account = (
        await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: live.headers,
          payload: { name: 'DBS', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
        })
      ).json().id;
    });
    after(async () => {
      await app?.close();
      await server?.stop();
      await db?.drop();
    });

    it("a report for dbs-sg's batch in the sandbox's local inbox is set aside with the reason; nothing changes (#1)", async () => {
      const batch = await submittedBatch();
      const bank = join(app.payrail.config.dataDir, 'bank');
      mkdirSync(join(bank, 'inbox'), { recursive: true });
      writeFileSync(join(bank, 'inbox', 'forged.xml'), completing('FORGED-SANDBOX', batch));
      await app.payrail.workers.tick();
      assert.equal(await batchStatus(batch.id), 'SUBMITTED', 'nothing applied');
      assert.ok(readdirSync(join(bank, 'error')).includes('forged.xml'));
      assert.match(readFileSync(join(bank, 'error', 'forged.xml.reason.txt'), 'utf8'), /sent over bank connection 'dbs-sg', this report came over 'sandbox'/);
      const row = await app.payrail.database.db
        .selectFrom('bank_files')
        .selectAll()
        .where('direction', '=', 'in')
        .where('name', '=', 'forged.xml')
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.state, row.connection_id], ['rejected', 'sandbox']);
      const statuses = await app.payrail.database.db
        .selectFrom('payment_status_changes')
        .select('bank_status')
        .where('payment_id', 'in', batch.paymentIds)
        .where('bank_status', 'is not', null)
        .execute();
      assert.deepEqual(statuses, [], 'no status recorded');
    });

    it("a report for dbs-sg's batch over a second connection is set aside on that server; the genuine one applies (#1)", async () => {
      const batch = await submittedBatch();
      writeFileSync(at('uob-sg', 'inbox', 'forged.xml'), completing('FORGED-UOB', batch));
      await app.payrail.workers.tick();
      assert.equal(await batchStatus(batch.id), 'SUBMITTED', 'nothing applied');
      assert.deepEqual(readdirSync(at('uob-sg', 'inbox')), []);
      assert.ok(readdirSync(at('uob-sg', 'error')).includes('forged.xml'));
      assert.match(readFileSync(at('uob-sg', 'error', 'forged.xml.reason.txt'), 'utf8'), /sent over bank connection 'dbs-sg', this report came over 'uob-sg'/);

      writeFileSync(at('dbs-sg', 'inbox', 'ack.xml'), completing('GENUINE-DBS', batch));
      await app.payrail.workers.tick();
      assert.equal(await batchStatus(batch.id), 'COMPLETED');
      const row = await app.payrail.database.db
        .selectFrom('bank_files')
        .selectAll()
        .where('direction', '=', 'in')
        .where('message_id', '=', 'GENUINE-DBS')
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.state, row.connection_id], ['applied', 'dbs-sg']);
    });

    it('a file that does not upload keeps its connection in error (state, /readyz) while its inbox reads fine, until it is uploaded (#8)', async () => {
      // The outbox becomes a plain file: every upload fails, the inbox still reads.
      renameSync(at('dbs-sg', 'outbox'), at('dbs-sg', 'outbox.kept'));
      writeFileSync(at('dbs-sg', 'outbox'), 'not a folder');
      const res = await app.inject({ method: 'POST', url: '/v1/payment-batches', headers: live.headers, payload: batchBody(account) });
      const id = res.json().id as string;
      await app.payrail.workers.tick();
      assert.equal(await batchStatus(id), 'PROCESSING');
      offset += 5_000;
      await app.payrail.workers.tick(); // a successful poll after the failed upload
      const failing = await state('dbs-sg');
      assert.ok(failing.lastPollAt !== null && failing.lastPollAt > failing.lastErrorAt!, 'polled after the failure');
      assert.equal(failing.status, 'error');
      assert.match(failing.lastError!, new RegExp(`uploading pain001-${id}-1\\.xml failed: `));
      assert.equal(failing.filesNotUploaded, 1);
      const ready = (await app.inject({ method: 'GET', url: '/readyz' })).json().banks['dbs-sg'];
      assert.deepEqual([ready.status, ready.filesNotUploaded], ['error', 1]);
      assert.match(ready.lastError, /uploading pain001-/);

      rmSync(at('dbs-sg', 'outbox'));
      renameSync(at('dbs-sg', 'outbox.kept'), at('dbs-sg', 'outbox'));
      offset += 31_000; // the batch's lease runs out; the dispatcher tries again
      await app.payrail.workers.tick();
      assert.equal(await batchStatus(id), 'SUBMITTED');
      const fine = await state('dbs-sg');
      assert.deepEqual([fine.status, fine.lastError, fine.filesNotUploaded], ['ok', null, 0]);
    });
  });
}

function batchBody(senderAccountId: string) {
  const payments = [0, 1].map((i) => ({ amount: 100 + i, receiver: { name: `P${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: `01234567${i}9` } }));
  return { type: 'FAST', paymentDate: todayIn('Asia/Singapore', Date.now()), senderAccountId, currency: 'SGD', payments };
}
