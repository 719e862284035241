// Live banks end to end (SPEC §9, BANKS.md §1) over a real OpenSSH server on loopback, on SQLite
// and PostgreSQL: a live client's batch goes to the connection of its sender account's bank (8-
// character BIC prefix), its pain.002 dropped in that server's inbox is applied; a bank without a
// connection is 422 BANK_NOT_CONNECTED with nothing stored; a server that is down or shows another
// host key is an error in the connection's state (and /readyz, /metrics) and recovers; a file
// without ACK1 in time raises `bank-files.overdue` once; a connection added by another instance
// on the same database is picked up; the SFTP key is sealed at rest under the master key.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  describe(`live bank connections (${kind.name})`, { skip: kind.skip || (available ? false : 'sshd is not installed') }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let server: TestSshServer;
    let dir: string;
    let offset = 0;
    const clock = () => Date.now() + offset;
    const env = { PAYRAIL_SANDBOX_BANK: 'off', PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64') };
    let live: Awaited<ReturnType<TestApp['authed']>>;
    let connected: string;
    let batchId: string;
    let paymentIds: string[];

    const options = (changes: ConnectionOptions = {}): ConnectionOptions => ({
      id: 'dbs-sg',
      name: 'DBS Singapore',
      bic: 'DBSSSGSG',
      profile: 'generic',
      sftpUrl: `sftp://root@127.0.0.1:${server.port}${server.root}`,
      sftpKeyFile: join(dir, 'client_key'),
      sftpHostKey: server.hostKeyLine,
      ...changes,
    });
    const connections = () => app.payrail.services.bankConnections;
    const state = async (id = 'dbs-sg') => (await connections().get(id)).state;

    before(async () => {
      db = await kind.create();
      server = await startTestSshd();
      dir = mkdtempSync(join(tmpdir(), 'payrail-live-'));
      writeFileSync(join(dir, 'client_key'), server.settings().privateKey, { mode: 0o600 });
      app = await startTestApp(db, { env, clock, bankPollIntervalMs: 0 });
    });
    after(async () => {
      await app?.close();
      await server?.stop();
      await db?.drop();
    });

    it('a connection is stored with its SFTP key sealed under the master key, never listed', async () => {
      await connections().add(await connectionToAdd(options()));
      const row = await app.payrail.database.db.selectFrom('bank_connections').selectAll().where('id', '=', 'dbs-sg').executeTakeFirstOrThrow();
      assert.match(row.sftp_private_key, /^aes-256-gcm\$v1\$/);
      assert.ok(!row.sftp_private_key.includes('PRIVATE KEY'));
      const listed = JSON.stringify(await connections().list());
      assert.ok(!listed.includes(row.sftp_private_key) && !listed.includes('PRIVATE KEY'));
      assert.equal((await connections().load('dbs-sg')).sftpPrivateKey, server.settings().privateKey, 'opens again with the master key');
    });

    it('routes by the first 8 characters of the BIC', async () => {
      await app.payrail.endpoints.refresh();
      const endpoints = app.payrail.endpoints;
      assert.equal(endpoints.forBank('DBSSSGSGXXX')?.id, 'dbs-sg');
      assert.equal(endpoints.forBank('dbsssgsg')?.id, 'dbs-sg');
      assert.equal(endpoints.forBank('DBSSSGSXXXX'), undefined);
      assert.equal(endpoints.forBank('OCBCSGSGXXX'), undefined);
      assert.deepEqual(await connections().connectionFor('DBSSSGSG123'), { id: 'dbs-sg', profile: 'generic' });
      assert.deepEqual(
        endpoints.all().map((e) => e.id),
        ['sandbox', 'dbs-sg'],
      );
    });

    it('a live batch from an account whose bank has no connection is 422 BANK_NOT_CONNECTED; nothing is stored', async () => {
      live = await app.authed({ mode: 'live' });
      const ocbc = (
        await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: live.headers,
          payload: { name: 'OCBC', bank: 'OCBCSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
        })
      ).json().id;
      const batch = await app.inject({ method: 'POST', url: '/v1/payment-batches', headers: live.headers, payload: batchBody(ocbc) });
      assert.equal(batch.statusCode, 422, batch.body);
      assert.equal(batch.json().code, 'BANK_NOT_CONNECTED');
      assert.equal(batch.json().errors[0].path, 'senderAccountId');
      const single = await app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: live.headers,
        payload: {
          type: 'FAST',
          amount: 100,
          currency: 'SGD',
          senderAccountId: ocbc,
          receiver: { name: 'R', bank: 'DBSSSGSGXXX', bankAccountNumber: '0123456789' },
        },
      });
      assert.equal(single.statusCode, 422, single.body);
      assert.equal(single.json().code, 'BANK_NOT_CONNECTED');
      assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/payment-batches', headers: live.headers })).json().data, []);
      assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/payments', headers: live.headers })).json().data, []);
    });

    it("a live batch goes to its connection's SFTP outbox; a pain.002 in that inbox completes it", async () => {
      connected = (
        await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: live.headers,
          payload: { name: 'DBS', legalName: 'Acme Pte. Ltd.', country: 'SG', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
        })
      ).json().id;
      const res = await app.inject({ method: 'POST', url: '/v1/payment-batches', headers: live.headers, payload: batchBody(connected) });
      assert.equal(res.statusCode, 200, res.body);
      batchId = res.json().id;
      paymentIds = res.json().payments.map((p: { id: string }) => p.id);
      await app.payrail.workers.tick();
      // Named by the connection's profile (generic here; the bank profiles are tested in test/bank/live-end-to-end and live-single-payments).
      const name = `pain001-${batchId}-1.xml`;
      assert.deepEqual(readdirSync(join(server.root, 'outbox')), [name]);
      assert.ok(existsSync(join(app.payrail.config.dataDir, 'bank', 'archive', 'dbs-sg', 'sent', name)), 'a local copy is kept per connection');
      const file = await app.payrail.database.db.selectFrom('bank_files').selectAll().where('batch_id', '=', batchId).executeTakeFirstOrThrow();
      assert.equal(file.connection_id, 'dbs-sg');
      assert.equal((await app.inject({ method: 'GET', url: `/v1/payment-batches/${batchId}`, headers: live.headers })).json().status, 'SUBMITTED');
      assert.equal((await state()).filesAwaitingAck1, 1);
      assert.equal((await state()).status, 'ok');

      const ack = (messageId: string, group: string | undefined, transactions: { instructionId: string; status: string; reason?: string }[]) =>
        writePain002({
          messageId,
          createdAt: new Date(clock()).toISOString().replace(/\.\d+Z$/, 'Z'),
          originalMessageId: messageIdOf(batchId),
          originalMessageName: 'pain.001.001.09',
          groupStatus: group,
          paymentInfoId: batchId,
          transactions,
        });
      writeFileSync(join(server.root, 'inbox', 'ack1.xml'), ack('ACK1-1', 'ACTC', []));
      await app.payrail.workers.tick();
      assert.equal((await state()).filesAwaitingAck1, 0, 'ACK1 read');
      writeFileSync(
        join(server.root, 'inbox', 'ack3.xml'),
        ack('ACK3-1', undefined, [
          { instructionId: paymentIds[0]!, status: 'ACSC' },
          { instructionId: paymentIds[1]!, status: 'RJCT', reason: 'AC04' },
        ]),
      );
      await app.payrail.workers.tick();
      const batch = (await app.inject({ method: 'GET', url: `/v1/payment-batches/${batchId}`, headers: live.headers })).json();
      assert.equal(batch.status, 'COMPLETED');
      assert.deepEqual([batch.summary.completed, batch.summary.failed], [1, 1]);
      assert.deepEqual(readdirSync(join(server.root, 'inbox')), [], 'applied files are archived on the server');
      assert.deepEqual(readdirSync(join(app.payrail.config.dataDir, 'bank', 'archive', 'dbs-sg', 'received')).sort(), ['ack1.xml', 'ack3.xml']);
    });

    it('a file without ACK1 after the ack timeout raises bank-files.overdue once (event, error log, metric)', async () => {
      await connections().update('dbs-sg', { ackTimeoutMinutes: 1 });
      await app.payrail.endpoints.refresh();
      const res = await app.inject({ method: 'POST', url: '/v1/payment-batches', headers: live.headers, payload: batchBody(connected) });
      const late = res.json().id;
      await app.payrail.workers.tick();
      assert.equal((await app.inject({ method: 'GET', url: `/v1/payment-batches/${late}`, headers: live.headers })).json().status, 'SUBMITTED');
      const overdue = async () =>
        (await app.inject({ method: 'GET', url: '/v1/events?type=bank-files.overdue', headers: live.headers })).json().data as { data: { id: string } }[];
      await app.payrail.workers.tick();
      assert.deepEqual(await overdue(), [], 'not before the timeout');
      offset += 61_000;
      await app.payrail.workers.tick();
      await app.payrail.workers.tick();
      const events = await overdue();
      assert.equal(events.length, 1);
      assert.equal(events[0]!.data.id, late);
      assert.equal((await state()).filesOverdue, 1);
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(metrics, /payrail_bank_files_overdue\{connection="dbs-sg"\} 1/);
      assert.match(metrics, /payrail_bank_files_awaiting_ack1\{connection="dbs-sg"\} 1/);
      const removal = await connections()
        .remove('dbs-sg')
        .then(
          () => 'removed',
          (err: Error) => err.message,
        );
      assert.match(removal, /waiting for the bank's acknowledgements/, 'refused while a file awaits its acks');
    });

    it('a server that is down is an error in the state, /readyz and /metrics; the connection recovers', async () => {
      await server.kill();
      offset += 60_000;
      await app.payrail.workers.tick();
      const down = await state();
      assert.equal(down.status, 'error');
      assert.match(down.lastError!, /ECONNREFUSED|connect/i);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 200, 'a bank that is down does not make payrail unready');
      assert.equal(ready.json().banks['dbs-sg'].status, 'error');
      assert.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /payrail_bank_poll_errors_total\{connection="dbs-sg"\} [1-9]/);
      // Backoff: the second failure waits 2 s, so a pass 1 s later does not poll.
      const errors = async () =>
        Number(/payrail_bank_poll_errors_total\{connection="dbs-sg"\} (\d+)/.exec((await app.inject({ method: 'GET', url: '/metrics' })).body)?.[1]);
      offset += 1_000;
      await app.payrail.workers.tick();
      assert.equal(await errors(), 2);
      offset += 1_000;
      await app.payrail.workers.tick();
      assert.equal(await errors(), 2, 'waits for its backoff');
      await server.start();
      await app.payrail.workers.tick();
      assert.equal((await state()).status, 'error', 'still waiting');
      offset += 1_500;
      await app.payrail.workers.tick();
      const up = await state();
      assert.equal(up.status, 'ok');
      assert.equal(up.lastError, null);
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).json().banks['dbs-sg'].status, 'ok');
    });

    it('a server showing another host key is an error naming the key; fixing the pin recovers', async () => {
      const other = join(dir, 'other_host_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      await connections().add(await connectionToAdd(options({ id: 'dbs-hk', bic: 'DBSSHKHH', sftpHostKey: readFileSync(`${other}.pub`, 'utf8') })));
      await app.payrail.endpoints.refresh();
      await app.payrail.workers.tick();
      const wrong = await state('dbs-hk');
      assert.equal(wrong.status, 'error');
      assert.match(wrong.lastError!, /presented host key SHA256:.*not the pinned/);
      await connections().update('dbs-hk', { sftpHostKey: server.hostKeyLine });
      await app.payrail.endpoints.refresh();
      await app.payrail.workers.tick();
      assert.equal((await state('dbs-hk')).status, 'ok');
    });

    it('a connection added by another instance on the same database is picked up within a minute', async () => {
      const second = await startTestApp(db, { env, clock, bankPollIntervalMs: 0 });
      try {
        await second.payrail.services.bankConnections.add(await connectionToAdd(options({ id: 'uob-sg', bic: 'UOVBSGSGXXX' })));
        assert.equal(app.payrail.endpoints.forBank('UOVBSGSG'), undefined, 'not yet');
        offset += 31_000;
        await app.payrail.workers.tick();
        assert.equal(app.payrail.endpoints.forBank('UOVBSGSGXXX')?.id, 'uob-sg');
        await second.payrail.services.bankConnections.remove('uob-sg');
        offset += 31_000;
        await app.payrail.workers.tick();
        assert.equal(app.payrail.endpoints.forBank('UOVBSGSGXXX'), undefined, 'and its removal');
      } finally {
        await second.close();
      }
    });

    it('test-mode clients use the sandbox whatever their bank', async () => {
      const test = await app.authed();
      const acct = (
        await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: test.headers,
          payload: { name: 'DBS', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
        })
      ).json().id;
      const res = await app.inject({ method: 'POST', url: '/v1/payment-batches', headers: test.headers, payload: batchBody(acct) });
      await app.payrail.workers.tick();
      const file = await app.payrail.database.db.selectFrom('bank_files').selectAll().where('batch_id', '=', res.json().id).executeTakeFirstOrThrow();
      assert.equal(file.connection_id, 'sandbox');
      assert.ok(existsSync(join(app.payrail.config.dataDir, 'bank', 'outbox', file.name)));
    });
  });
}

function batchBody(senderAccountId: string) {
  const payments = [0, 1].map((i) => ({ amount: 100 + i, receiver: { name: `P${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: `01234567${i}9` } }));
  return { type: 'FAST', paymentDate: todayIn('Asia/Singapore', Date.now()), senderAccountId, currency: 'SGD', payments };
}
