// payrail's OpenPGP key pair (generated once, even when processes race; sealed at rest with the
// master key) and the checks on a bank's public key (BANKS.md §2), on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createMessage, decrypt, encrypt, readMessage } from 'openpgp';
import { loadPayrailPgpKey, PgpKeyError, readBankPublicKey } from '../../src/bank/pgp/keys.ts';
import { ConfigError } from '../../src/config.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { Database } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { gpgSkip, startGpg } from '../helpers/gpg.ts';
import type { Gpg } from '../helpers/gpg.ts';

/** Proves a loaded private key works: a message to its public key decrypts. */
async function roundTrip(key: Awaited<ReturnType<typeof loadPayrailPgpKey>>): Promise<string> {
  const armored = await encrypt({ message: await createMessage({ text: 'ping' }), encryptionKeys: key.publicKey });
  const { data } = await decrypt({ message: await readMessage({ armoredMessage: armored }), decryptionKeys: key.privateKey });
  return data;
}

for (const kind of databaseKinds()) {
  describe(`payrail's OpenPGP key (${kind.name})`, { skip: kind.skip }, () => {
    let tdb: TestDatabase;
    const handles: Database[] = [];
    /** A database handle of its own, as another process would have (nothing cached in common). */
    async function anotherProcess(): Promise<Database> {
      const database = await openDatabase(tdb.url);
      handles.push(database);
      return database;
    }
    const storedRow = async (database: Database) =>
      (await database.db.selectFrom('settings').select('value').where('key', '=', 'payrail_pgp_key').executeTakeFirst())?.value;

    before(async () => {
      tdb = await kind.create();
      const first = await anotherProcess();
      await migrateToLatest(first.db);
    });
    beforeEach(async () => {
      await handles[0]!.db.deleteFrom('settings').where('key', '=', 'payrail_pgp_key').execute();
    });
    after(async () => {
      await Promise.all(handles.splice(0).map((h) => h.close()));
      await tdb?.drop();
    });

    it('two processes loading it at once on a fresh database end up with the one stored pair', async () => {
      const [a, b] = [await anotherProcess(), await anotherProcess()];
      const [ka, kb] = await Promise.all([loadPayrailPgpKey({ db: a.db }), loadPayrailPgpKey({ db: b.db })]);
      assert.equal(ka.privateKey.getFingerprint(), kb.privateKey.getFingerprint());
      assert.equal(ka.publicKey.getFingerprint(), ka.privateKey.getFingerprint());
      assert.equal(kb.publicKeyArmored, ka.publicKeyArmored);
      // A third process, later, loads the same pair.
      const kc = await loadPayrailPgpKey({ db: (await anotherProcess()).db });
      assert.equal(kc.privateKey.getFingerprint(), ka.privateKey.getFingerprint());
      assert.equal(await roundTrip(kc), 'ping');
    });

    it('is a v4 key GnuPG 2.2 reads: Ed25519 signing, Curve25519 encryption, user id payrail <payrail@localhost>', async () => {
      const key = await loadPayrailPgpKey({ db: (await anotherProcess()).db });
      assert.match(key.publicKeyArmored, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
      assert.equal(key.publicKey.isPrivate(), false);
      assert.equal(key.privateKey.keyPacket.version, 4);
      assert.deepEqual(key.privateKey.getAlgorithmInfo(), { algorithm: 'eddsaLegacy', curve: 'ed25519Legacy' });
      assert.deepEqual((await key.publicKey.getEncryptionKey()).getAlgorithmInfo(), { algorithm: 'ecdh', curve: 'curve25519Legacy' });
      assert.deepEqual(key.publicKey.getUserIDs(), ['payrail <payrail@localhost>']);
    });

    it('with a master key the stored private key is sealed, not plaintext, and loads again', async () => {
      const masterKey = randomBytes(32);
      const made = await loadPayrailPgpKey({ db: (await anotherProcess()).db, masterKey });
      const row = (await storedRow(handles[0]!))!;
      assert.doesNotMatch(row, /BEGIN PGP PRIVATE KEY/);
      assert.match(row, /aes-256-gcm\$v1\$/);
      const again = await loadPayrailPgpKey({ db: (await anotherProcess()).db, masterKey });
      assert.equal(again.privateKey.getFingerprint(), made.privateKey.getFingerprint());
      assert.equal(await roundTrip(again), 'ping');
      // Without it, or with another one, payrail cannot start: a ConfigError naming the setting.
      await assert.rejects(
        loadPayrailPgpKey({ db: (await anotherProcess()).db }),
        (err: unknown) => err instanceof ConfigError && /PAYRAIL_MASTER_KEY/.test(String(err)),
      );
      await assert.rejects(loadPayrailPgpKey({ db: (await anotherProcess()).db, masterKey: randomBytes(32) }), ConfigError);
    });

    it('without a master key it is stored as plain armour (as the signing keys are)', async () => {
      await loadPayrailPgpKey({ db: (await anotherProcess()).db });
      assert.match((await storedRow(handles[0]!))!, /BEGIN PGP PRIVATE KEY/);
    });
  });
}

describe("a bank's public key", { skip: gpgSkip() }, () => {
  let gpg: Gpg;
  before(() => {
    gpg = startGpg();
  });
  after(() => gpg?.close());

  /** The PgpKeyError message for `key`, asserting it is one line. */
  async function refusal(key: string | Uint8Array): Promise<string> {
    const err = await readBankPublicKey(key).then(
      () => assert.fail('the key was accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PgpKeyError, String(err));
    assert.doesNotMatch(err.message, /\n/);
    return err.message;
  }

  it('a GnuPG key, armoured or binary, is returned ASCII-armoured', async () => {
    const fingerprint = gpg.newKey('Bank');
    for (const given of [
      gpg.exportPublic(fingerprint, true).toString('utf8'),
      gpg.exportPublic(fingerprint, false),
      new Uint8Array(gpg.exportPublic(fingerprint, true)),
    ]) {
      const armored = await readBankPublicKey(given);
      assert.match(armored, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
      gpg.import(armored);
      assert.match(gpg.ok(['--with-colons', '--fingerprint', fingerprint]).stdout.toString(), new RegExp(`fpr:+${fingerprint}:`));
    }
  });

  it('refuses garbage, a private key, a signing-only key, an expired and a revoked key, each with one line', async () => {
    assert.match(await refusal('hello, I am a key'), /^not an OpenPGP key/);
    assert.match(await refusal(randomBytes(200)), /^not an OpenPGP key/);
    assert.match(await refusal(''), /^not an OpenPGP key/);
    assert.match(await refusal('-----BEGIN PGP MESSAGE-----\n\nhQ==\n-----END PGP MESSAGE-----\n'), /^not an OpenPGP key/);

    const bank = gpg.newKey('Private Bank');
    assert.match(await refusal(gpg.exportSecret(bank)), /private key/);
    assert.match(await refusal(gpg.ok(['--export-secret-keys', bank]).stdout), /private key/);

    const signOnly = gpg.newKey('Signing Bank', { signOnly: true });
    assert.match(await refusal(gpg.exportPublic(signOnly, true).toString()), new RegExp(`^key ${signOnly} has no usable encryption key`));

    const expired = gpg.newKey('Expired Bank', { fakedTime: '20200101T000000', expire: '1d' });
    assert.match(await refusal(gpg.exportPublic(expired, true).toString()), new RegExp(`^key ${expired} expired on 2020-01-02`));

    const revoked = gpg.newKey('Revoked Bank');
    gpg.import(gpg.revocation(revoked));
    assert.match(await refusal(gpg.exportPublic(revoked, true).toString()), new RegExp(`^key ${revoked} is revoked`));

    // Two keys where one is expected.
    assert.match(await refusal(gpg.ok(['--armor', '--export', bank, signOnly]).stdout.toString()), /^holds 2 keys/);
  });
});
