// Host-to-host over a real OpenSSH SFTP server on loopback: payrail uploads the pain.001 and
// reads the pain.002s from the server, and the sandbox bank runs alone (`payrail sandbox-bank`)
// against the same server, as a real bank would. The server is killed and restarted mid-run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { BIN } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { sshdSkip, startTestSshd } from '../helpers/sshd.ts';
import type { TestSshServer } from '../helpers/sshd.ts';

const [sqlite] = databaseKinds();
const skip = sshdSkip();

describe('batches over SFTP with the sandbox bank as a separate process', { skip }, () => {
  let db: TestDatabase;
  let app: TestApp;
  let server: TestSshServer;
  let bank: ChildProcess;
  let env: Record<string, string>;

  before(async () => {
    db = await sqlite!.create();
    server = await startTestSshd();
    const settings = server.settings();
    const dir = mkdtempSync(join(tmpdir(), 'payrail-sftp-'));
    writeFileSync(join(dir, 'client_key'), settings.privateKey, { mode: 0o600 });
    env = {
      PAYRAIL_DATA_DIR: dir,
      PAYRAIL_BANK_SFTP_URL: `sftp://${settings.username}@127.0.0.1:${server.port}${settings.root}`,
      PAYRAIL_BANK_SFTP_KEY_FILE: join(dir, 'client_key'),
      PAYRAIL_BANK_SFTP_HOST_KEY: server.hostKeyLine,
      PAYRAIL_SANDBOX_BANK: 'off',
      PAYRAIL_SANDBOX_ACK_DELAY_MS: '300',
    };
    app = await startTestApp(db, { env });
    bank = spawn(process.execPath, [BIN, 'sandbox-bank'], { env: { ...process.env, ...env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, stdio: 'inherit' });
  });
  after(async () => {
    bank?.kill('SIGTERM');
    await app?.close();
    await server?.stop();
    await db?.drop();
  });

  it('a batch reaches COMPLETED through the SFTP server, across a server restart', async () => {
    const alice = await app.authed();
    const sg = await app.createAccount(alice.headers);
    const payments = Array.from({ length: 5 }, (_, i) => ({
      amount: 100 + i,
      receiver: { name: `P${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: i === 1 ? '000000001' : '0123456789' },
    }));
    const res = await app.inject({
      method: 'POST',
      url: '/v1/payment-batches',
      headers: alice.headers,
      payload: { type: 'FAST', paymentDate: todayIn('Asia/Singapore', Date.now()), senderAccountId: sg, currency: 'SGD', payments },
    });
    assert.equal(res.statusCode, 200, res.body);
    const batchId = res.json().id;

    await app.payrail.workers.tick();
    assert.deepEqual(
      readdirSync(join(server.root, 'outbox')).filter((n) => n.endsWith('.xml')),
      [`pain001-${batchId}-1.xml`],
      'uploaded whole, no .part left',
    );

    // The bank's server goes away and comes back; both sides reconnect.
    await server.kill();
    await new Promise((r) => setTimeout(r, 300));
    await server.start();

    const deadline = Date.now() + 30_000;
    let status = '';
    while (Date.now() < deadline) {
      await app.payrail.workers.tick().catch(() => 0);
      status = (await app.inject({ method: 'GET', url: `/v1/payment-batches/${batchId}`, headers: alice.headers })).json().status;
      if (status === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.equal(status, 'COMPLETED');
    const b = (await app.inject({ method: 'GET', url: `/v1/payment-batches/${batchId}`, headers: alice.headers })).json();
    assert.deepEqual([b.summary.completed, b.summary.failed], [4, 1]);
    assert.equal(readdirSync(join(server.root, 'inbox')).filter((n) => n.endsWith('.xml')).length, 0, 'acknowledgements moved out of the inbox');
    assert.equal(readdirSync(join(server.root, 'archive')).filter((n) => n.endsWith('.xml')).length, 3);
    assert.equal(readdirSync(join(env.PAYRAIL_DATA_DIR!, 'bank', 'archive', 'sent')).length, 1, 'a local copy of the file sent');
    assert.equal(readdirSync(join(env.PAYRAIL_DATA_DIR!, 'bank', 'archive', 'received')).length, 3, 'local copies of the acknowledgements');
  });
});
