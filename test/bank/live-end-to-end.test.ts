// Live mode end to end (issue #15's "done when"), on SQLite and PostgreSQL: an operator connects a
// bank with the real CLI (`payrail banks add` with the bank's OpenPGP key, `payrail banks pgp-key`
// handed to the bank), a live client's batch and single payment go from the API through payrail's
// OpenPGP and a real OpenSSH SFTP server to a bank played with GnuPG (test/helpers/gpg-bank.ts),
// which decrypts them, checks payrail's signature and answers with pain.002 files it signs and
// encrypts; payrail applies them to COMPLETED and FAILED. A report the bank did not sign goes to
// error/ and changes nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { runCli } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { createGpgBank } from '../helpers/gpg-bank.ts';
import { gpgSkip, startGpg } from '../helpers/gpg.ts';
import type { GpgBank, ReceivedFile } from '../helpers/gpg-bank.ts';
import { sshdAvailable, startTestSshd } from '../helpers/sshd.ts';
import type { TestSshServer } from '../helpers/sshd.ts';

const missing = !sshdAvailable() ? 'sshd is not installed' : gpgSkip() || undefined;
if (missing && process.env.CI) throw new Error(`live end-to-end tests need ${missing} in CI`);
if (missing) console.log(`# skipping the live end-to-end tests: ${missing}`);

for (const kind of databaseKinds()) {
  describe(`live mode end to end: API → OpenPGP → SFTP → a GnuPG bank → COMPLETED / FAILED (${kind.name})`, { skip: kind.skip || missing || false }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let server: TestSshServer;
    let bank: GpgBank;
    let dir: string;
    let env: Record<string, string>;
    let live: Awaited<ReturnType<TestApp['authed']>>;
    let account: string;
    let bankRoot: string;

    const get = async (url: string) => (await app.inject({ method: 'GET', url, headers: live.headers })).json();
    /** Runs the workers until the bank has received `count` files (the single-payment interval is 0). */
    const filesAtBank = async (count: number): Promise<ReceivedFile[]> => {
      const files: ReceivedFile[] = [];
      for (let i = 0; i < 20 && files.length < count; i++) {
        await app.payrail.workers.tick();
        files.push(...bank.takeFiles());
      }
      assert.equal(files.length, count, 'files uploaded to the bank');
      return files;
    };
    const endToEndOf = (file: ReceivedFile, customerReference: string) => {
      const p = file.instruction.payments.find((x) => x.endToEndId === customerReference);
      assert.ok(p, `${customerReference} is in ${file.name}`);
      return { instructionId: p.instructionId, endToEndId: p.endToEndId };
    };

    before(async () => {
      db = await kind.create();
      server = await startTestSshd();
      dir = mkdtempSync(join(tmpdir(), 'payrail-live-e2e-'));
      bankRoot = join(server.root, 'h2h');
      bank = createGpgBank(bankRoot);
      writeFileSync(join(dir, 'client_key'), server.settings().privateKey, { mode: 0o600 });
      env = {
        PAYRAIL_DATA_DIR: dir,
        DATABASE_URL: db.url,
        PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64'),
        PAYRAIL_SANDBOX_BANK: 'off',
        PAYRAIL_SINGLE_FILE_INTERVAL_MS: '0',
      };
      app = await startTestApp(db, { env, bankPollIntervalMs: 0 });
    });
    after(async () => {
      await app?.close();
      await server?.stop();
      bank?.close();
      await db?.drop();
    });

    it('the operator connects the bank with the CLI and exchanges OpenPGP keys', async () => {
      const added = runCli(
        [
          'banks',
          'add',
          '--id',
          'dbs-sg',
          '--name',
          'DBS Singapore',
          '--bic',
          'DBSSSGSG',
          '--profile',
          'dbs-sg',
          '--sftp-url',
          `sftp://root@127.0.0.1:${server.port}${bankRoot}`,
          '--sftp-key-file',
          join(dir, 'client_key'),
          '--sftp-host-key',
          server.hostKeyLine,
          '--pgp-bank-key',
          bank.publicKeyFile,
          '--customer-id',
          'ACME001',
        ],
        env,
      );
      assert.equal(added.status, 0, added.stderr);
      assert.equal(JSON.parse(added.stdout).id, 'dbs-sg');
      const key = runCli(['banks', 'pgp-key'], env);
      assert.equal(key.status, 0, key.stderr);
      assert.match(key.stdout, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
      bank.trust(key.stdout);
      const check = runCli(['banks', 'check', 'dbs-sg'], env);
      assert.equal(check.status, 0, check.stderr + check.stdout);
      await app.payrail.endpoints.refresh();
      live = await app.authed({ mode: 'live' });
      const res = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: live.headers,
        payload: { name: 'Payroll', legalName: 'Acme Pte. Ltd.', country: 'SG', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
      });
      assert.equal(res.statusCode, 201, res.body);
      account = res.json().id;
    });

    it("a live batch travels signed and encrypted; the bank's signed reports complete one payment and fail the other", async () => {
      const payments = [0, 1].map((i) => ({
        amount: 1500 + i,
        customerReference: `PAYROLL-${i}`,
        receiver: { name: `Employee ${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: `01234567${i}9` },
      }));
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: live.headers,
        payload: { type: 'FAST', paymentDate: todayIn('Asia/Singapore', Date.now()), senderAccountId: account, currency: 'SGD', purpose: 'SALA', payments },
      });
      assert.equal(res.statusCode, 200, res.body);
      const batchId: string = res.json().id;
      const [file] = await filesAtBank(1);
      assert.ok(file!.name.endsWith('.pgp'), file!.name);
      assert.match(readFileSync(join(bankRoot, 'outbox', file!.name), 'latin1'), /^-----BEGIN PGP MESSAGE-----/, 'ASCII-armoured by default');
      // The bank reads what payrail meant: the batch's payments, amounts and profile elements.
      assert.deepEqual(
        file!.instruction.payments.map((p) => [p.endToEndId, p.amount]),
        [
          ['PAYROLL-0', 1500],
          ['PAYROLL-1', 1501],
        ],
      );
      assert.match(file!.xml, /<CtgyPurp><Cd>SALA<\/Cd><\/CtgyPurp>/);
      assert.match(file!.xml, /ACME001/, 'the bank customer id is the initiating party');
      assert.equal((await get(`/v1/payment-batches/${batchId}`)).status, 'SUBMITTED');

      bank.answer('ack1-batch.xml.pgp', bank.report(file!, { messageId: 'BANKACK1B', groupStatus: 'ACTC' }));
      bank.answer(
        'ack3-batch.xml.pgp',
        bank.report(file!, {
          messageId: 'BANKACK3B',
          transactions: [
            { ...endToEndOf(file!, 'PAYROLL-0'), status: 'ACSC' },
            { ...endToEndOf(file!, 'PAYROLL-1'), status: 'RJCT', reasons: [{ code: 'AC04', texts: ['Account closed'] }] },
          ],
        }),
      );
      await app.payrail.workers.tick();
      await app.payrail.workers.tick();
      const batch = await get(`/v1/payment-batches/${batchId}`);
      assert.equal(batch.status, 'COMPLETED');
      const byRef = Object.fromEntries(batch.payments.map((p: { customerReference: string }) => [p.customerReference, p]));
      assert.equal(byRef['PAYROLL-0'].status, 'COMPLETED');
      assert.equal(byRef['PAYROLL-1'].status, 'FAILED');
      const failed = await get(`/v1/payments/${byRef['PAYROLL-1'].id}`);
      // Rejected before any clearing status of its own: stage ACK2 (a bank's rejection after ACSP/ACSC would be ACK3).
      assert.deepEqual(failed.failure, { stage: 'ACK2', code: 'AC04', message: 'Account closed' });
      assert.deepEqual(readdirSync(join(bankRoot, 'inbox')), [], 'applied reports are moved out of the inbox');
    });

    it('a live single payment travels in a pain.001 file too and completes; --pgp-binary makes the file binary', async () => {
      // The batch's file was ASCII-armoured (the default); the operator switches the bank to binary.
      const updated = runCli(['banks', 'update', 'dbs-sg', '--pgp-binary'], env);
      assert.equal(updated.status, 0, updated.stderr);
      await app.payrail.endpoints.refresh();
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: live.headers,
        payload: {
          type: 'FAST',
          amount: 2500,
          currency: 'SGD',
          senderAccountId: account,
          customerReference: 'VENDOR-7',
          receiver: { name: 'Vendor', bank: 'OCBCSGSGXXX', bankAccountNumber: '0987654321' },
        },
      });
      assert.ok([200, 201, 202].includes(res.statusCode), res.body);
      const id: string = res.json().id;
      const [file] = await filesAtBank(1);
      assert.deepEqual(
        file!.instruction.payments.map((p) => p.endToEndId),
        ['VENDOR-7'],
      );
      assert.ok(
        !readFileSync(join(bankRoot, 'outbox', file!.name))
          .subarray(0, 40)
          .toString('latin1')
          .includes('-----BEGIN PGP'),
        'a binary OpenPGP message',
      );
      assert.equal((await get(`/v1/payments/${id}`)).status, 'SUBMITTED');
      bank.answer(
        'ack-single.xml.pgp',
        bank.report(file!, { messageId: 'BANKACKS1', groupStatus: 'ACTC', transactions: [{ ...endToEndOf(file!, 'VENDOR-7'), status: 'ACSC' }] }),
      );
      await app.payrail.workers.tick();
      assert.equal((await get(`/v1/payments/${id}`)).status, 'COMPLETED');
    });

    it('a report the bank did not sign is moved to error/ and applies nothing', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: live.headers,
        payload: {
          type: 'FAST',
          amount: 700,
          currency: 'SGD',
          senderAccountId: account,
          customerReference: 'VENDOR-8',
          receiver: { name: 'Vendor', bank: 'OCBCSGSGXXX', bankAccountNumber: '0987654321' },
        },
      });
      const id: string = res.json().id;
      const [file] = await filesAtBank(1);
      const report = bank.report(file!, {
        messageId: 'FORGED1',
        groupStatus: 'RJCT',
        transactions: [{ ...endToEndOf(file!, 'VENDOR-8'), status: 'RJCT', reason: 'AM04' }],
      });
      // Encrypted to payrail (so it decrypts) but not signed by the bank: anyone could have made it.
      const forger = startGpg();
      try {
        forger.import(runCli(['banks', 'pgp-key'], env).stdout);
        const forged = forger.ok(['--armor', '--recipient', 'payrail@localhost', '--encrypt'], report).stdout;
        writeFileSync(join(bankRoot, 'inbox', 'forged.xml.pgp'), forged);
      } finally {
        forger.close();
      }
      await app.payrail.workers.tick();
      assert.equal((await get(`/v1/payments/${id}`)).status, 'SUBMITTED', 'nothing applied');
      assert.ok(readdirSync(join(bankRoot, 'error')).includes('forged.xml.pgp'), 'moved to error/');
      assert.deepEqual(readdirSync(join(bankRoot, 'inbox')), []);
    });
  });
}
