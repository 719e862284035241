// `payrail banks add|list|update|remove|check` as an operator runs them (the real command in a child
// process) against a real sshd, on SQLite and PostgreSQL: good input prints JSON without a secret;
// bad input is one line naming the problem, exit 1, and nothing stored or changed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { createGpgBank } from '../helpers/gpg-bank.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { sshdAvailable, startTestSshd } from '../helpers/sshd.ts';
import type { TestSshServer } from '../helpers/sshd.ts';

const available = sshdAvailable();

for (const kind of databaseKinds()) {
  describe(`payrail banks (${kind.name})`, { skip: kind.skip || (available ? false : 'sshd is not installed') }, () => {
    let db: TestDatabase;
    let server: TestSshServer;
    let dir: string;
    let env: Record<string, string>;
    let add: (changes?: Record<string, string | undefined>) => string[];

    before(async () => {
      db = await kind.create();
      server = await startTestSshd();
      dir = mkdtempSync(join(tmpdir(), 'payrail-banks-cli-'));
      writeFileSync(join(dir, 'client_key'), server.settings().privateKey, { mode: 0o600 });
      writeFileSync(join(dir, 'a_public_key.pub'), `${server.hostKeyLine}\n`);
      env = { PAYRAIL_DATA_DIR: dir, DATABASE_URL: db.url, PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64') };
      add = (changes = {}) => {
        const options: Record<string, string | undefined> = {
          '--id': 'dbs-sg',
          '--name': 'DBS Singapore',
          '--bic': 'DBSSSGSG,DBSSSGSGXXX',
          '--profile': 'dbs-sg',
          '--sftp-url': `sftp://root@127.0.0.1:${server.port}${server.root}`,
          '--sftp-key-file': join(dir, 'client_key'),
          '--sftp-host-key': server.hostKeyLine,
          ...changes,
        };
        return ['banks', 'add', ...Object.entries(options).flatMap(([k, v]) => (v === undefined ? [] : [k, v]))];
      };
    });
    after(async () => {
      await server?.stop();
      await db?.drop();
    });

    const list = () =>
      JSON.parse(runCli(['banks', 'list'], env).stdout) as {
        id: string;
        name: string;
        bics: string[];
        ackTimeoutMinutes: number;
        sftp: { privateKeySealed: boolean };
        state: { status: string; filesAwaitingAck1: number };
      }[];
    const refused = (args: string[], message: RegExp) => {
      const r = runCli(args, env);
      assert.equal(r.status, 1, r.stdout);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.match(r.stderr, message);
    };

    it('add prints the connection without its secret; list shows it and its state, the key sealed', () => {
      const r = runCli([...add(), '--customer-id', 'CUST-001', '--ack-timeout-minutes', '90'], env);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(Object.keys(out)[0], 'id');
      assert.equal(out.id, 'dbs-sg');
      assert.deepEqual(out.bics, ['DBSSSGSG', 'DBSSSGSGXXX']);
      assert.equal(out.ackTimeoutMinutes, 90);
      assert.deepEqual(out.pgp, { bankKey: false, armor: true, requireSignedAcks: false });
      const key = readFileSync(join(dir, 'client_key'), 'utf8');
      const listed = runCli(['banks', 'list'], env).stdout;
      assert.ok(!r.stdout.includes('PRIVATE KEY') && !listed.includes('PRIVATE KEY') && !listed.includes(key.split('\n')[1]!));
      const [c] = list();
      assert.equal(c!.sftp.privateKeySealed, true);
      assert.deepEqual(c!.state, {
        status: 'unknown',
        lastPollAt: null,
        lastError: null,
        lastErrorAt: null,
        filesAwaitingAck1: 0,
        filesOverdue: 0,
        filesNotUploaded: 0,
      });
    });

    it('bad input is one line naming the problem, and nothing is stored', () => {
      refused(add({ '--id': 'x1', '--bic': 'OCBCSGSG', '--sftp-key-file': join(dir, 'missing') }), /--sftp-key-file: cannot read .*missing: ENOENT/);
      refused(
        add({ '--id': 'x2', '--bic': 'OCBCSGSG', '--profile': 'citi' }),
        /--profile: 'citi' is not a profile \(one of generic, jpm-apac, hsbc-hk, dbs-sg\)/,
      );
      refused(add({ '--id': 'x3', '--bic': 'OCBC-SG' }), /--bic: 'OCBC-SG' is not a BIC/);
      refused(add({ '--id': 'x4', '--bic': 'OCBCSGSG', '--sftp-host-key': 'not a key' }), /--sftp-host-key: the host key must be an OpenSSH public key line/);
      refused(
        add({ '--id': 'x5', '--bic': 'OCBCSGSG', '--sftp-key-file': join(dir, 'a_public_key.pub') }),
        /--sftp-key-file: .*a_public_key.pub holds a public key; give the private key/,
      );
      refused(add({ '--id': 'x6', '--bic': 'OCBCSGSG', '--sftp-url': 'https://bank.example/x' }), /--sftp-url: the scheme must be sftp/);
      refused(add({ '--id': 'x7', '--bic': 'OCBCSGSG', '--pgp-bank-key': join(dir, 'missing.asc') }), /--pgp-bank-key: cannot read/);
      refused(add({ '--id': 'x8', '--bic': 'DBSSSGSGABC' }), /--bic: DBSSSGSG is already served by bank connection 'dbs-sg'/);
      refused(add(), /--id: a bank connection 'dbs-sg' exists already/);
      refused(add({ '--id': 'x9', '--sftp-host-key': undefined }), /--sftp-host-key is required/);
      assert.deepEqual(
        list().map((c) => c.id),
        ['dbs-sg'],
      );
    });

    it('update changes only what is given; a bad option changes nothing', () => {
      const r = runCli(['banks', 'update', 'dbs-sg', '--name', 'DBS SG', '--ack-timeout-minutes', '30'], env);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).name, 'DBS SG');
      refused(['banks', 'update', 'dbs-sg', '--name', 'Other', '--bic', 'NOPE'], /--bic: 'NOPE' is not a BIC/);
      refused(['banks', 'update', 'dbs-sg', '--ack-timeout-minutes', '0'], /--ack-timeout-minutes: '0' must be a whole number/);
      refused(['banks', 'update', 'nope', '--name', 'X'], /no bank connection with id 'nope'/);
      const [c] = list();
      assert.deepEqual([c!.name, c!.ackTimeoutMinutes, c!.bics], ['DBS SG', 30, ['DBSSSGSG', 'DBSSSGSGXXX']]);
    });

    it('signed acknowledgements follow the bank key: on when a key is added later, off when removed; asked for without a key is one line', () => {
      const bank = createGpgBank(mkdtempSync(join(tmpdir(), 'payrail-banks-cli-pgp-')));
      try {
        refused(
          [...add({ '--id': 'x10', '--bic': 'OCBCSGSG' }), '--require-signed-acks'],
          /--require-signed-acks: needs the bank's OpenPGP key .*--pgp-bank-key FILE/,
        );
        refused(['banks', 'update', 'dbs-sg', '--require-signed-acks'], /--require-signed-acks: the connection has no bank OpenPGP key/);
        const pgp = () => (list()[0] as unknown as { pgp: { bankKey: boolean; requireSignedAcks: boolean } }).pgp;
        assert.deepEqual(pgp(), { bankKey: false, armor: true, requireSignedAcks: false });
        const keyAdded = runCli(['banks', 'update', 'dbs-sg', '--pgp-bank-key', bank.publicKeyFile], env);
        assert.equal(keyAdded.status, 0, keyAdded.stderr);
        assert.deepEqual(pgp(), { bankKey: true, armor: true, requireSignedAcks: true }, 'a key added later switches signed acks on');
        refused(['banks', 'update', 'dbs-sg', '--no-pgp-bank-key', '--require-signed-acks'], /--require-signed-acks: the connection has no bank OpenPGP key/);
        assert.deepEqual(pgp(), { bankKey: true, armor: true, requireSignedAcks: true }, 'nothing changed');
        assert.equal(runCli(['banks', 'update', 'dbs-sg', '--no-pgp-bank-key'], env).status, 0);
        assert.deepEqual(pgp(), { bankKey: false, armor: true, requireSignedAcks: false }, 'and off with the key');
        assert.equal(runCli(['banks', 'update', 'dbs-sg', '--pgp-bank-key', bank.publicKeyFile, '--no-require-signed-acks'], env).status, 0);
        assert.deepEqual(pgp(), { bankKey: true, armor: true, requireSignedAcks: false }, 'unless told otherwise');
        assert.equal(runCli(['banks', 'update', 'dbs-sg', '--no-pgp-bank-key'], env).status, 0);
        assert.deepEqual(
          list().map((c) => c.id),
          ['dbs-sg'],
          'x10 was not stored',
        );
      } finally {
        bank.close();
      }
    });

    it('check logs in and lists the inbox; a wrong host key is exit 1 with the reason', () => {
      mkdirSync(join(server.root, 'inbox'), { recursive: true });
      writeFileSync(join(server.root, 'inbox', 'waiting.xml'), '<x/>');
      const r = runCli(['banks', 'check', 'dbs-sg'], env);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.ok, true);
      assert.deepEqual(out.inbox, ['waiting.xml']);
      const other = join(dir, 'other_host_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      assert.equal(runCli(['banks', 'update', 'dbs-sg', '--sftp-host-key', readFileSync(`${other}.pub`, 'utf8')], env).status, 0);
      refused(['banks', 'check', 'dbs-sg'], /banks check dbs-sg: .*presented host key SHA256:\S+, not the pinned SHA256:/);
    });

    it('remove takes the connection and its BICs away', () => {
      const r = runCli(['banks', 'remove', 'dbs-sg'], env);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { id: 'dbs-sg', removed: true });
      assert.deepEqual(list(), []);
      refused(['banks', 'remove', 'dbs-sg'], /no bank connection with id 'dbs-sg'/);
      assert.equal(runCli(add({ '--id': 'dbs-sg-2' }), env).status, 0, 'its BICs are free again');
    });

    it('every change to a connection is in the audit log, by the operator, without a secret (SPEC §11)', () => {
      const entries = JSON.parse(runCli(['audit', 'list', '--limit', '100'], env).stdout) as { data?: unknown[] } | unknown[] as
        | { action: string; object: { type: string; id: string }; actor: { kind: string }; details: Record<string, unknown> }[]
        | { data: { action: string; object: { type: string; id: string }; actor: { kind: string }; details: Record<string, unknown> }[] };
      const list = Array.isArray(entries) ? entries : entries.data;
      const ours = list.filter((e) => e.object.type === 'bank_connection');
      const actions = ours.map((e) => `${e.action} ${e.object.id}`).sort();
      for (const expected of ['bank_connection.add dbs-sg', 'bank_connection.update dbs-sg', 'bank_connection.remove dbs-sg', 'bank_connection.add dbs-sg-2'])
        assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
      assert.ok(
        ours.every((e) => e.actor.kind === 'operator'),
        JSON.stringify(ours.map((e) => e.actor)),
      );
      assert.ok(!JSON.stringify(ours).includes('PRIVATE KEY'), 'no secret in the log');
    });
  });
}
