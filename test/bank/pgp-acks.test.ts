// Acknowledgements over OpenPGP, end to end (BANKS.md §2): the bank's gpg signs a pain.002 and
// encrypts it to payrail's key, the reader (through withPgp over the local folders) applies it;
// a file that is unsigned, signed by someone else, tampered or plain XML goes to error/ with its
// reason and an error in the log, and nothing in it is applied. Uploads go out as `<name>.pgp`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createAckApplier } from '../../src/acknowledgements/apply.ts';
import { createAckReader, InboxPassFailed } from '../../src/acknowledgements/reader-worker.ts';
import { loadPayrailPgpKey, readBankPublicKey } from '../../src/bank/pgp/keys.ts';
import type { PayrailPgpKey } from '../../src/bank/pgp/keys.ts';
import { withPgp } from '../../src/bank/pgp/pgp-transport.ts';
import { createLocalTransport } from '../../src/bank/transports/local-transport.ts';
import { reportXml, startBank } from '../acknowledgements/builders.ts';
import type { Bank, SentBatch } from '../acknowledgements/builders.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { gpgSkip, startGpg } from '../helpers/gpg.ts';
import type { Gpg } from '../helpers/gpg.ts';

const skipGpg = gpgSkip();

for (const kind of databaseKinds()) {
  describe(`acknowledgements over OpenPGP (${kind.name})`, { skip: kind.skip || skipGpg }, () => {
    let db: TestDatabase;
    let bank: Bank;
    let gpg: Gpg;
    let ours: PayrailPgpKey;
    let bankFpr: string;
    let strangerFpr: string;
    let bankKey: string;
    const logged: { level: number; msg: string; file?: string; reason?: string }[] = [];

    before(async () => {
      db = await kind.create();
      bank = await startBank(db);
      gpg = startGpg();
      ours = await loadPayrailPgpKey({ db: bank.app.payrail.database.db });
      bankFpr = gpg.newKey('Bank');
      strangerFpr = gpg.newKey('Stranger');
      bankKey = await readBankPublicKey(gpg.exportPublic(bankFpr, false));
      gpg.import(ours.publicKeyArmored);
    });
    after(async () => {
      gpg?.close();
      await bank?.close();
      await db?.drop();
    });

    const payrailFpr = () => ours.privateKey.getFingerprint().toUpperCase();
    const transport = (requireSigned = true) =>
      withPgp(createLocalTransport(join(bank.dataDir, 'bank')), { ourKey: ours, bankPublicKey: bankKey, armor: true, requireSigned });
    /** One pass of a reader of our own, reading through OpenPGP (the app's own reader reads plain files). */
    async function readerPass(requireSigned = true): Promise<void> {
      const { services, database } = bank.app.payrail;
      const applier = createAckApplier({
        clock: () => Date.now(),
        outbox: services.outbox,
        transitions: services.transitions,
        batches: services.batches,
        dialect: database.dialect,
      });
      const logger = pino({ level: 'debug' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
      await createAckReader({ db: database.db, clock: () => Date.now(), logger, transport: transport(requireSigned), endpointId: 'sandbox', applier }).tick();
    }
    /** A pain.002 completing every payment of the batch. */
    const completing = (b: SentBatch, messageId: string) =>
      reportXml({
        messageId,
        originalMessageId: b.messageId,
        groupStatus: 'ACCP',
        paymentInfos: [{ id: b.id, transactions: b.payments.map((p) => ({ endToEndId: p.customerReference, status: 'ACSC' })) }],
      });
    /** What the bank's gpg writes: signed as `signer` (if any), encrypted to payrail. */
    const gpgFile = (xml: string, signer: string | undefined, armor: boolean) =>
      gpg.ok([...(armor ? ['--armor'] : []), ...(signer ? ['--local-user', signer, '--sign'] : []), '--recipient', payrailFpr(), '--encrypt'], xml).stdout;
    const drop = (name: string, content: string | Uint8Array) => writeFileSync(join(bank.bankDir('inbox'), name), content);
    const statuses = async (b: SentBatch) => Promise.all(b.payments.map(async (p) => (await bank.payment(p.id)).status as string));
    const received = async (name: string) =>
      bank.app.payrail.database.db.selectFrom('bank_files').select(['state', 'checksum']).where('direction', '=', 'in').where('name', '=', name).execute();

    it('uploads go out signed and encrypted as <name>.pgp, which has() sees under the plain name', async () => {
      const t = transport();
      await t.upload('PAYRAIL-PGP-1.xml', '<Document/>\n');
      assert.equal(await t.has('PAYRAIL-PGP-1.xml'), true);
      assert.equal(await t.has('PAYRAIL-PGP-2.xml'), false);
      const file = readFileSync(join(bank.bankDir('outbox'), 'PAYRAIL-PGP-1.xml.pgp'));
      assert.match(file.toString('utf8'), /^-----BEGIN PGP MESSAGE-----/);
      // A repeated upload (after a crash) leaves the file as it was, not encrypted afresh.
      await t.upload('PAYRAIL-PGP-1.xml', '<Document/>\n');
      assert.deepEqual(readFileSync(join(bank.bankDir('outbox'), 'PAYRAIL-PGP-1.xml.pgp')), file);
      gpg.import(ours.publicKeyArmored);
      const r = gpg.run(['--decrypt'], file);
      assert.equal(r.stdout.toString('utf8'), '<Document/>\n', r.stderr);
      assert.ok(
        r.statusLines.some((l) => l.startsWith(`VALIDSIG ${payrailFpr()} `)),
        r.statusLines.join('\n'),
      );
    });

    it('a pain.002 the bank signs and encrypts (binary and armoured) is applied; the same report encrypted afresh is recognised', async () => {
      const b1 = await bank.sentBatch(2);
      const b2 = await bank.sentBatch(1);
      drop('PSR-1.xml.pgp', gpgFile(completing(b1, 'PSR-PGP-1'), bankFpr, false));
      drop('PSR-2.xml.asc', gpgFile(completing(b2, 'PSR-PGP-2'), bankFpr, true));
      await readerPass();
      assert.deepEqual(await statuses(b1), ['COMPLETED', 'COMPLETED']);
      assert.deepEqual(await statuses(b2), ['COMPLETED']);
      assert.equal((await bank.batch(b1.id)).status, 'COMPLETED');
      assert.deepEqual(
        readdirSync(bank.bankDir('archive'))
          .filter((n) => n.startsWith('PSR-'))
          .sort(),
        ['PSR-1.xml.pgp', 'PSR-2.xml.asc'],
      );
      assert.deepEqual(readdirSync(bank.bankDir('error')), []);
      assert.equal((await received('PSR-1.xml.pgp'))[0]?.state, 'applied');

      // The bank sends the first report again, encrypted anew: other bytes, the same report.
      drop('PSR-1-again.xml.pgp', gpgFile(completing(b1, 'PSR-PGP-1'), bankFpr, false));
      await readerPass();
      assert.deepEqual(await received('PSR-1-again.xml.pgp'), [], 'not applied a second time');
      assert.ok(readdirSync(bank.bankDir('archive')).includes('PSR-1-again.xml.pgp'));
      const changes = await bank.app.payrail.database.db
        .selectFrom('payment_status_changes')
        .select('payment_id')
        .where(
          'payment_id',
          'in',
          b1.payments.map((p) => p.id),
        )
        .where('bank_status', '=', 'ACSC')
        .execute();
      assert.equal(changes.length, 2, 'one ACSC per payment');
    });

    it('unsigned, signed by another key, tampered or plain XML: error/ with the reason, an error logged, nothing applied', async () => {
      const b = await bank.sentBatch(2);
      const xml = completing(b, 'PSR-PGP-REFUSED');
      const tampered = Buffer.from(gpgFile(xml, bankFpr, false));
      tampered[tampered.length - 40]! ^= 0x01;
      const files: Record<string, [Uint8Array | string, RegExp]> = {
        'UNSIGNED.xml.pgp': [gpgFile(xml, undefined, false), /^not signed: the bank’s signature is required$/],
        'STRANGER.xml.pgp': [gpgFile(xml, strangerFpr, true), new RegExp(`^signed by another key \\(key ID ${strangerFpr.slice(-16)}\\)`)],
        'TAMPERED.xml.pgp': [tampered, /^cannot decrypt: /],
        'PLAIN.xml': [xml, /^not an OpenPGP message/],
      };
      for (const [name, [content]] of Object.entries(files)) drop(name, content);
      logged.length = 0;
      await readerPass();

      assert.deepEqual(await statuses(b), ['SUBMITTED', 'SUBMITTED'], 'nothing applied');
      assert.equal((await bank.batch(b.id)).status, 'SUBMITTED');
      const inError = readdirSync(bank.bankDir('error'));
      for (const [name, [, reason]] of Object.entries(files)) {
        assert.ok(inError.includes(name), `${name} in error/`);
        assert.match(readFileSync(join(bank.bankDir('error'), `${name}.reason.txt`), 'utf8').trim(), reason, name);
        const line = logged.find((l) => l.file === name);
        assert.equal(line?.level, 50, `${name}: an error-level log line`);
        assert.match(line.reason ?? '', reason);
        assert.deepEqual(await received(name), [], `${name}: not recorded as received`);
      }
      assert.deepEqual(readdirSync(bank.bankDir('inbox')), []);

      // The same report, sent again as it should be, is applied.
      drop('PSR-RESENT.xml.pgp', gpgFile(xml, bankFpr, false));
      await readerPass();
      assert.deepEqual(await statuses(b), ['COMPLETED', 'COMPLETED']);
    });

    it('with signed acknowledgements not required, an unsigned encrypted file is applied', async () => {
      const b = await bank.sentBatch(1);
      drop('UNSIGNED-OK.xml.pgp', gpgFile(completing(b, 'PSR-PGP-UNSIGNED'), undefined, true));
      await readerPass(false);
      assert.deepEqual(await statuses(b), ['COMPLETED']);
      assert.ok(readdirSync(bank.bankDir('archive')).includes('UNSIGNED-OK.xml.pgp'));
    });

    it('a failure that is not a refusal (the file unreadable for now) leaves the file for a retry', async () => {
      const b = await bank.sentBatch(1);
      drop('LATER.xml.pgp', gpgFile(completing(b, 'PSR-PGP-LATER'), bankFpr, false));
      const { services, database } = bank.app.payrail;
      const applier = createAckApplier({
        clock: () => Date.now(),
        outbox: services.outbox,
        transitions: services.transitions,
        batches: services.batches,
        dialect: database.dialect,
      });
      const t = transport();
      const failing = { ...t, readInbox: async () => Promise.reject(new Error('connection reset')) };
      // The pass fails (the poller backs off) and the file stays for the next.
      await assert.rejects(
        createAckReader({
          db: database.db,
          clock: () => Date.now(),
          logger: pino({ level: 'silent' }),
          transport: failing,
          endpointId: 'sandbox',
          applier,
        }).tick(),
        (err: unknown) => {
          assert.ok(err instanceof InboxPassFailed, String(err));
          assert.match(err.message, /1 inbox file\(s\) could not be read or applied \(LATER\.xml\.pgp: connection reset\)/);
          assert.deepEqual(
            err.failed.map((f) => f.name),
            ['LATER.xml.pgp'],
          );
          assert.equal(err.done, 0, 'a file that could not be read is no work done');
          return true;
        },
      );
      assert.ok(readdirSync(bank.bankDir('inbox')).includes('LATER.xml.pgp'));
      assert.ok(!readdirSync(bank.bankDir('error')).includes('LATER.xml.pgp'));
      await readerPass();
      assert.deepEqual(await statuses(b), ['COMPLETED']);
    });
  });
}
