import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FileTransport } from '../../src/bank/connector.ts';
import { createSftpSession } from '../../src/bank/transports/sftp-session.ts';
import { createSftpTransport, HostKeySettingError, parseHostKey, SftpHostKeyError } from '../../src/bank/transports/sftp-transport.ts';
import { sshdSkip, startTestSshd } from '../helpers/sshd.ts';
import type { TestSshServer } from '../helpers/sshd.ts';
import { transportContract } from './transport-contract.ts';

/** A fresh ed25519 public key line: a host key that is not the server's. */
function otherHostKeyLine(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')} impostor`;
}

describe('SFTP transport against a real OpenSSH server', { skip: sshdSkip() }, () => {
  let server: TestSshServer;
  let n = 0;
  const transports: FileTransport[] = [];
  const freshRoot = () => join(server.root, `run-${++n}`);
  const transportAt = (root: string, hostKey?: string, warnings: string[] = []) => {
    const logger = { warn: (_: object, message: string) => void warnings.push(message) };
    const transport = createSftpTransport(server.settings({ root, ...(hostKey && { hostKey }) }), { logger });
    transports.push(transport);
    return transport;
  };

  before(async () => {
    server = await startTestSshd();
  });
  after(async () => {
    await Promise.all(transports.map((t) => t.close()));
    await server?.stop();
  });

  describe('the transport contract', () => {
    transportContract(async () => {
      const root = freshRoot();
      return { transport: createSftpTransport(server.settings({ root })), root, another: () => createSftpTransport(server.settings({ root })) };
    });
  });

  describe('pinned host key', () => {
    it('the SHA256 fingerprint of the right key is accepted as the pin', async () => {
      const root = freshRoot();
      await transportAt(root, parseHostKey(server.hostKeyLine).fingerprint).upload('A.xml', '<A/>');
      assert.ok(existsSync(join(root, 'outbox', 'A.xml')));
    });

    it('another host key is refused: no login, nothing uploaded', async () => {
      const root = freshRoot();
      await assert.rejects(transportAt(root, otherHostKeyLine()).upload('A.xml', '<A/>'), (err: unknown) => {
        return err instanceof SftpHostKeyError && err.message.includes(parseHostKey(server.hostKeyLine).fingerprint);
      });
      assert.equal(existsSync(root), false);
    });

    it('a wrong fingerprint is refused', async () => {
      const wrong = parseHostKey(otherHostKeyLine()).fingerprint;
      await assert.rejects(transportAt(freshRoot(), wrong).has('A.xml'), SftpHostKeyError);
    });

    it('an unreadable host key setting fails when the transport is made, not at the first upload', () => {
      assert.throws(() => createSftpTransport(server.settings({ hostKey: 'trust me' })), HostKeySettingError);
    });
  });

  describe('the server goes away', () => {
    it('killed and restarted between operations: the next operation reconnects and succeeds', async () => {
      const root = freshRoot();
      const warnings: string[] = [];
      const transport = transportAt(root, undefined, warnings);
      await transport.upload('BEFORE.xml', '<before/>');
      await server.kill();
      await server.start();
      await transport.upload('AFTER.xml', '<after/>');
      // Whether the dead connection was noticed while idle or by the upload's first step, at most one retry.
      assert.ok(warnings.length <= 1);
      assert.deepEqual(
        ['BEFORE.xml', 'AFTER.xml'].map((f) => readFileSync(join(root, 'outbox', f), 'utf8')),
        ['<before/>', '<after/>'],
      );
    });

    it('a connection error inside an operation: one retry, on a new connection', async () => {
      const warnings: string[] = [];
      const session = createSftpSession(server.settings({ root: freshRoot() }), { logger: { warn: (_, m) => void warnings.push(m) } });
      const clients: unknown[] = [];
      const result = await session.run(async (client) => {
        clients.push(client);
        if (clients.length === 1) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
        return client.cwd();
      });
      await session.close();
      assert.equal(result, '/root');
      assert.equal(clients.length, 2);
      assert.notEqual(clients[0], clients[1]);
      assert.deepEqual(warnings, ['bank SFTP connection lost; reconnecting']);
    });

    it('a refusal from a live server (no such file) is not retried', async () => {
      const session = createSftpSession(server.settings({ root: freshRoot() }));
      let calls = 0;
      await assert.rejects(
        session.run((client) => (calls++, client.get('/no/such/file'))),
        /No such file/,
      );
      await session.close();
      assert.equal(calls, 1);
    });

    it('a hung server: the operation times out and runs again on a new connection', async () => {
      const root = freshRoot();
      const transport = createSftpTransport(server.settings({ root, operationTimeoutMs: 1_000 }));
      transports.push(transport);
      await transport.upload('BEFORE.xml', '<before/>');
      const frozen = server.freezeSessions();
      try {
        const started = Date.now();
        assert.equal(await transport.has('BEFORE.xml'), true);
        assert.ok(Date.now() - started >= 1_000);
      } finally {
        for (const pid of frozen) process.kill(pid, 'SIGKILL');
      }
    });

    it('down for a while: operations fail with the connection error, then work again once it is back', async () => {
      const root = freshRoot();
      const transport = transportAt(root);
      assert.deepEqual(await transport.listInbox(), []);
      await server.kill();
      await assert.rejects(transport.upload('DURING.xml', '<during/>'), /ECONNREFUSED|refused/i);
      await server.start();
      await transport.upload('DURING.xml', '<during/>');
      assert.equal(readFileSync(join(root, 'outbox', 'DURING.xml'), 'utf8'), '<during/>');
      assert.equal(existsSync(join(root, 'outbox', 'DURING.xml.part')), false);
    });
  });
});
