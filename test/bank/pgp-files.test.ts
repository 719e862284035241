// OpenPGP on bank files against GnuPG (BANKS.md §2): what payrail signs and encrypts, gpg decrypts
// with a good signature by payrail's key; what gpg signs with the bank's key and encrypts to
// payrail's, payrail decrypts and verifies; everything else is refused with its reason. Armoured
// and binary alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMessage, encrypt, Message, PacketList, readSignature } from 'openpgp';
import { BankFileRefused, decryptAndVerify, signAndEncrypt } from '../../src/bank/pgp/files.ts';
import type { RefusalReason } from '../../src/bank/pgp/files.ts';
import { loadPayrailPgpKey, readBankPublicKey } from '../../src/bank/pgp/keys.ts';
import type { PayrailPgpKey } from '../../src/bank/pgp/keys.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { Database } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { gpgSkip, startGpg } from '../helpers/gpg.ts';
import type { Gpg } from '../helpers/gpg.ts';

// Not ASCII, and not one line: the bytes must come through exactly.
const PAIN001 = '<?xml version="1.0" encoding="UTF-8"?>\r\n<Document>陳大文 &amp; Co — 10 000,00 SGD</Document>\n';

describe('OpenPGP bank files against GnuPG', { skip: gpgSkip() }, () => {
  let gpg: Gpg;
  let tdb: TestDatabase;
  let database: Database;
  let ours: PayrailPgpKey;
  let bankFpr: string;
  let bankKey: string;
  let strangerFpr: string;

  before(async () => {
    gpg = startGpg();
    tdb = await databaseKinds()[0]!.create();
    database = await openDatabase(tdb.url);
    await migrateToLatest(database.db);
    ours = await loadPayrailPgpKey({ db: database.db });
    // The bank's gpg knows its own key, a stranger's, and payrail's public key (handed over with `payrail banks pgp-key`).
    bankFpr = gpg.newKey('Bank');
    strangerFpr = gpg.newKey('Stranger');
    bankKey = await readBankPublicKey(gpg.exportPublic(bankFpr, true));
    gpg.import(ours.publicKeyArmored);
  });
  after(async () => {
    gpg?.close();
    await database?.close();
    await tdb?.drop();
  });

  const payrailFpr = () => ours.privateKey.getFingerprint().toUpperCase();
  /** What the bank's gpg makes of a file payrail wrote. */
  function gpgDecrypts(file: Uint8Array) {
    const r = gpg.run(['--decrypt'], file);
    assert.equal(r.status, 0, r.stderr);
    return r;
  }
  /** A file as the bank's gpg writes it: `--sign` as `signer`, encrypted to `to`. */
  function gpgWrites(content: string, { signer, to, armor }: { signer?: string; to?: string; armor: boolean }): Buffer {
    const args = [
      ...(armor ? ['--armor'] : []),
      ...(signer ? ['--local-user', signer, '--sign'] : []),
      ...(to === undefined ? [] : ['--recipient', to, '--encrypt']),
    ];
    return gpg.ok(args, content).stdout;
  }
  async function refused(bytes: Uint8Array, requireSigned = true): Promise<{ reason: RefusalReason; message: string }> {
    const err = await decryptAndVerify(bytes, { ourKey: ours, bankPublicKey: bankKey, requireSigned }).then(
      () => assert.fail('the file was accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof BankFileRefused, String(err));
    assert.doesNotMatch(err.message, /\n/);
    return { reason: err.reason, message: err.message };
  }

  for (const armor of [true, false]) {
    const kind = armor ? 'armoured' : 'binary';

    it(`a file payrail signs and encrypts (${kind}) decrypts with gpg, with a good signature by payrail's key`, async () => {
      const file = await signAndEncrypt(PAIN001, { ourKey: ours, bankPublicKey: bankKey, armor, filename: 'PAYRAIL-1.xml' });
      const text = Buffer.from(file).toString('latin1');
      if (armor) assert.match(text, /^-----BEGIN PGP MESSAGE-----\r?\n/);
      else assert.ok(!text.includes('-----BEGIN') && (file[0]! & 0x80) !== 0, 'binary OpenPGP packets');
      const r = gpgDecrypts(file);
      assert.equal(r.stdout.toString('utf8'), PAIN001);
      const status = r.statusLines;
      assert.ok(
        status.some((l) => l.startsWith(`GOODSIG ${payrailFpr().slice(-16)} payrail <payrail@localhost>`)),
        status.join('\n'),
      );
      assert.ok(
        status.some((l) => l.startsWith(`VALIDSIG ${payrailFpr()} `)),
        status.join('\n'),
      );
      assert.ok(status.includes('DECRYPTION_OKAY') && status.includes('GOODMDC'), status.join('\n'));
      assert.ok(!status.some((l) => /^(BADSIG|ERRSIG|EXPSIG|REVKEYSIG)/.test(l)));
      assert.ok(
        status.some((l) => l.startsWith('PLAINTEXT ') && l.endsWith(' PAYRAIL-1.xml')),
        'the name inside',
      );
    });

    it(`a file gpg signs with the bank's key and encrypts to payrail's (${kind}) is decrypted and verified`, async () => {
      const plain = await decryptAndVerify(gpgWrites(PAIN001, { signer: bankFpr, to: payrailFpr(), armor }), {
        ourKey: ours,
        bankPublicKey: bankKey,
        requireSigned: true,
      });
      assert.equal(Buffer.from(plain).toString('utf8'), PAIN001);
    });

    it(`refused (${kind}): unsigned, signed by another key, encrypted to another key, signed but not encrypted`, async () => {
      assert.deepEqual(await refused(gpgWrites(PAIN001, { to: payrailFpr(), armor })), {
        reason: 'unsigned',
        message: 'not signed: the bank’s signature is required',
      });
      const other = await refused(gpgWrites(PAIN001, { signer: strangerFpr, to: payrailFpr(), armor }));
      assert.equal(other.reason, 'signed-by-another-key');
      assert.match(other.message, new RegExp(`key ID ${strangerFpr.slice(-16)}.*not the bank’s ${bankFpr}`));
      const notOurs = await refused(gpgWrites(PAIN001, { signer: bankFpr, to: strangerFpr, armor }));
      assert.equal(notOurs.reason, 'cannot-decrypt');
      assert.match(notOurs.message, /encrypted to another key/);
      assert.equal((await refused(gpgWrites(PAIN001, { signer: bankFpr, armor }))).reason, 'not-encrypted');
    });
  }

  it('refused: plain XML, garbage, a tampered file, a bad signature in an intact envelope', async () => {
    assert.equal((await refused(Buffer.from(PAIN001))).reason, 'not-openpgp');
    assert.equal((await refused(Buffer.from('-----BEGIN PGP MESSAGE-----\n\nbm90aGluZw==\n-----END PGP MESSAGE-----\n'))).reason, 'not-openpgp');
    assert.equal((await refused(new Uint8Array(0))).reason, 'not-openpgp');

    // A byte changed in the encrypted data: the integrity check (MDC) fails.
    const file = gpgWrites(PAIN001, { signer: bankFpr, to: payrailFpr(), armor: false });
    const tampered = Buffer.from(file);
    tampered[tampered.length - 30]! ^= 0x01;
    const t = await refused(tampered);
    assert.equal(t.reason, 'cannot-decrypt');

    // The bank's signature over the file, put in front of other text and encrypted properly to
    // payrail: the envelope is intact, the signature is not (the same with the true text passes).
    const signature = await readSignature({ binarySignature: gpg.ok(['--local-user', bankFpr, '--detach-sign'], PAIN001).stdout });
    const envelope = async (text: string) => {
      const packets = new PacketList();
      packets.push(...signature.packets, ...(await createMessage({ binary: Buffer.from(text, 'utf8') })).packets);
      return encrypt({ message: new Message(packets), encryptionKeys: ours.publicKey, format: 'binary' });
    };
    assert.equal(
      Buffer.from(await decryptAndVerify(await envelope(PAIN001), { ourKey: ours, bankPublicKey: bankKey, requireSigned: true })).toString('utf8'),
      PAIN001,
    );
    const reEnveloped = await envelope(PAIN001.replace('10 000,00', '90 000,00'));
    const bad = await refused(reEnveloped);
    assert.equal(bad.reason, 'bad-signature');
    assert.match(bad.message, new RegExp(`bad signature by the bank’s key ${bankFpr.slice(-16)}`));
    // Even when signatures are not required, a bad one is refused.
    assert.equal((await refused(reEnveloped, false)).reason, 'bad-signature');
  });

  it('with requireSigned off an unsigned encrypted file is accepted; without a bank key nothing is checked', async () => {
    const unsigned = gpgWrites(PAIN001, { to: payrailFpr(), armor: true });
    assert.equal(Buffer.from(await decryptAndVerify(unsigned, { ourKey: ours, bankPublicKey: bankKey, requireSigned: false })).toString('utf8'), PAIN001);
    const byStranger = gpgWrites(PAIN001, { signer: strangerFpr, to: payrailFpr(), armor: false });
    assert.equal(Buffer.from(await decryptAndVerify(byStranger, { ourKey: ours, requireSigned: false })).toString('utf8'), PAIN001);
    await assert.rejects(decryptAndVerify(unsigned, { ourKey: ours, requireSigned: true }), TypeError);
  });
});
