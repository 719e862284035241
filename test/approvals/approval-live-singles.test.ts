// The approval hold of LIVE single payments (SPEC §10 with §9), on SQLite and PostgreSQL: the
// single-file collector (src/payments/single-file-collector.ts) reads, links and writes only
// payments whose approval is none or APPROVED. A held payment is never linked to a file and
// nothing is uploaded; once approved it goes in a file; approved late, the file carries the rolled
// date; rejected, it never goes in one. A live client and a bank connection are real (the
// connection only has to exist for the API to take live payments); the collector writes over a
// local file transport that counts the uploads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { BankEndpoint } from '../../src/bank/endpoints.ts';
import { connectionToAdd } from '../../src/bank/connections/validation.ts';
import { createLocalTransport } from '../../src/bank/transports/local-transport.ts';
import { createSingleFileCollector } from '../../src/payments/single-file-collector.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

const INTERVAL = 1000;
const OPERATOR = { kind: 'operator' as const, id: 'test-operator' };
type Authed = Awaited<ReturnType<TestApp['authed']>>;

/** An SSH key pair made with ssh-keygen: the connection's client key and a host key line to pin. */
function sshKeys(dir: string): { keyFile: string; hostKeyLine: string } {
  for (const name of ['client_key', 'host_key']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)]);
  return { keyFile: join(dir, 'client_key'), hostKeyLine: readFileSync(join(dir, 'host_key.pub'), 'utf8').trim() };
}

for (const kind of databaseKinds()) {
  describe(`live single payments wait for their approval (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = NOW;
    let maker: Authed;
    let checker: Authed;
    let account: string;
    let uploads: string[];
    let collector: ReturnType<typeof createSingleFileCollector>;

    before(async () => {
      db = await kind.create();
      const dir = mkdtempSync(join(tmpdir(), 'payrail-approval-live-'));
      app = await startTestApp(db, { clock: () => now, env: { PAYRAIL_SANDBOX_BANK: 'off', PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64') } });
      const { keyFile, hostKeyLine } = sshKeys(dir);
      // Never dialled: the collector below writes to a local transport.
      await app.payrail.services.bankConnections.add(
        await connectionToAdd({
          id: 'dbs-sg',
          name: 'DBS Singapore',
          bic: 'DBSSSGSG',
          profile: 'generic',
          sftpUrl: 'sftp://payrail@127.0.0.1:1/upload',
          sftpKeyFile: keyFile,
          sftpHostKey: hostKeyLine,
        }),
      );
      maker = await app.authed({ mode: 'live', scopes: ['payments:write', 'payments:read', 'accounts:write'] });
      checker = await app.authed({ mode: 'live', scopes: ['payments:approve', 'payments:read'], organisation: maker.clientId });
      const res = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: maker.headers,
        payload: { name: 'SG Ops', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
      });
      assert.equal(res.statusCode, 201, res.body);
      account = res.json().id;
      await app.payrail.services.approvalPolicies.set({ clientId: maker.clientId, above: 0, approvers: 1 }, OPERATOR);

      const inner = createLocalTransport(join(dir, 'bank'));
      uploads = [];
      const transport = Object.assign(Object.create(null) as object, inner, {
        async upload(name: string, content: string) {
          uploads.push(name);
          await inner.upload(name, content);
        },
      });
      const endpoint: BankEndpoint = { id: 'dbs-sg', profile: 'generic', transport, keepCopy: async () => {} };
      const { services, database } = app.payrail;
      collector = createSingleFileCollector({
        db: database.db,
        clock: () => now,
        logger: pino({ level: 'warn' }, new Writable({ write: (_c, _e, cb) => cb() })),
        transitions: services.transitions,
        intervalMs: INTERVAL,
        maxPaymentsPerFile: 5,
        endpointFor: (bank) => (bank.startsWith('DBSSSGSG') ? endpoint : undefined),
        endpointById: (id) => (id === endpoint.id ? endpoint : undefined),
      });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    // Tokens are issued at the test clock's time: a test that moves it by hours asks for new ones.
    async function h(who: Authed): Promise<Record<string, string>> {
      const res = await app.inject({
        method: 'POST',
        url: '/v1.0/auth',
        payload: { grant_type: 'client_credentials', client_id: who.clientId, client_secret: who.secret },
      });
      return { authorization: `Bearer ${res.json().access_token}` };
    }
    let n = 0;
    /** The customer reference of each payment: its EndToEndId in the file. */
    const references = new Map<string, string>();
    async function create(over: Record<string, unknown> = {}): Promise<string> {
      const customerReference = `LIVE-${kind.name}-${++n}`;
      const receiver = { name: 'Kopi Pte Ltd', bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789', address: { line1: '1 Main Street' } };
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: await h(maker),
        payload: { type: 'FAST', amount: 1234, currency: 'SGD', senderAccountId: account, paymentDate: '2026-03-13', customerReference, receiver, ...over },
      });
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.json().approval.status, 'PENDING');
      references.set(res.json().id, customerReference);
      return res.json().id;
    }
    const inFile = (content: string, id: string) => content.includes(`<EndToEndId>${references.get(id)}</EndToEndId>`);
    const decide = async (id: string, action: 'approve' | 'reject', payload: object = {}) => {
      const res = await app.inject({ method: 'POST', url: `/v1/payments/${id}/${action}`, headers: await h(checker), payload });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const row = (id: string) => app.payrail.database.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const fileOf = async (id: string) => {
      const fileId = (await row(id)).bank_file_id;
      return fileId === null ? undefined : app.payrail.database.db.selectFrom('bank_files').selectAll().where('id', '=', fileId).executeTakeFirstOrThrow();
    };
    /** Collector passes over more than the interval: whatever may go, goes. */
    async function collect(): Promise<void> {
      for (let i = 0; i < 3; i++) {
        now += INTERVAL;
        await collector.tick();
      }
    }

    it('held: never linked to a file and nothing uploaded; approved: in a file; rejected: never', async () => {
      const held = await create();
      const rejected = await create();
      assert.equal((await row(held)).mode, 'live');
      await collect();
      for (const id of [held, rejected]) assert.equal((await row(id)).bank_file_id, null, 'a held payment is not linked to a file');
      assert.deepEqual(uploads, [], 'nothing reaches the bank before APPROVED');

      const failed = await decide(rejected, 'reject', { reason: 'not ours' });
      assert.equal(failed.status, 'FAILED');
      await collect();
      assert.equal((await row(held)).bank_file_id, null, 'still held');
      assert.deepEqual(uploads, []);

      // Another payment of the same file group, still held when the first is approved: the collector
      // must not pick it up with the approved one (the file would then never be written).
      const stillHeld = await create();
      assert.equal((await decide(held, 'approve')).approval.status, 'APPROVED');
      await collect();
      const file = await fileOf(held);
      assert.ok(file, 'approved: linked to a file');
      assert.deepEqual(uploads, [file.name], 'one file, uploaded once');
      assert.ok(inFile(file.content!, held), 'the approved payment is in it');
      assert.ok(!inFile(file.content!, rejected), 'the rejected one is not');
      assert.ok(!inFile(file.content!, stillHeld), 'nor the one still held');
      assert.equal((await row(stillHeld)).bank_file_id, null, 'the one still held is not linked to a file');
      assert.equal((await row(held)).status, 'SUBMITTED');
      await collect();
      const r = await row(rejected);
      assert.equal(r.bank_file_id, null, 'a rejected payment never goes in a file');
      assert.equal(r.status, 'FAILED');
      assert.equal(uploads.length, 1);
    });

    it('approved after the cut-off on its date: the file carries the rolled ReqdExctnDt', async () => {
      uploads.length = 0;
      // MEPS closes at 15:00 in Singapore (07:00 UTC); 2026-03-10 is a Tuesday.
      const late = await create({ type: 'MEPS', paymentDate: '2026-03-10' });
      await collect();
      assert.deepEqual(uploads, []);
      now = Date.parse('2026-03-10T08:00:00Z');
      const approved = await decide(late, 'approve');
      assert.equal(approved.actualPaymentDate, '2026-03-11');
      await collect();
      const file = await fileOf(late);
      assert.ok(file, 'approved: linked to a file');
      assert.deepEqual(uploads, [file.name]);
      assert.match(file.content!, /<ReqdExctnDt><Dt>2026-03-11<\/Dt><\/ReqdExctnDt>/);
      assert.doesNotMatch(file.content!, /2026-03-10<\/Dt><\/ReqdExctnDt>/);
    });
  });
}
