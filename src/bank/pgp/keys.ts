// payrail's own OpenPGP key pair and the banks' public keys (BANKS.md §2). The pair is generated
// on first use (a v4 key GnuPG 2.2 reads: Ed25519 for signing, a Curve25519 subkey for
// encryption) and kept in the `settings` table as one row, its private half sealed at rest with
// PAYRAIL_MASTER_KEY (src/jose/private-key-sealing.ts). Processes that start at once each may
// generate a pair, but only the first one stored is ever used: everyone reads back that row.
import { generateKey, readKey, readKeys, readPrivateKey } from 'openpgp';
import type { Key, PrivateKey } from 'openpgp';
import { openPrivateJwk, sealPrivateJwk } from '../../jose/private-key-sealing.ts';
import type { DbOrTx } from '../../store/database.ts';
import { getOrCreateSetting } from '../../store/settings.ts';

export interface PayrailPgpKey {
  /** The public key, ASCII-armoured (what `payrail banks pgp-key` prints and the bank installs). */
  publicKeyArmored: string;
  publicKey: Key;
  privateKey: PrivateKey;
}

/** A bank key that cannot be used; `message` is one line naming the problem. */
export class PgpKeyError extends Error {
  override name = 'PgpKeyError';
}

/** The settings row holding the pair: `{"fingerprint", "publicKey", "privateKey"}` (JSON). */
const SETTING = 'payrail_pgp_key';
const USER_ID = { name: 'payrail', email: 'payrail@localhost' };

interface StoredPair {
  fingerprint: string;
  publicKey: string;
  /** The armoured private key, sealed when there is a master key (plain armour otherwise). */
  privateKey: string;
}

/** What the sealed private key is bound to: it cannot be moved beside another public key. */
const sealLabel = (fingerprint: string) => `openpgp:${fingerprint}`;

async function generatePair(masterKey: Uint8Array | undefined): Promise<string> {
  const { privateKey, publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [USER_ID], format: 'object' });
  const fingerprint = privateKey.getFingerprint();
  const stored: StoredPair = { fingerprint, publicKey: publicKey.armor(), privateKey: sealPrivateJwk(privateKey.armor(), sealLabel(fingerprint), masterKey) };
  return JSON.stringify(stored);
}

async function loadPair(value: string, masterKey: Uint8Array | undefined): Promise<PayrailPgpKey> {
  const stored = JSON.parse(value) as StoredPair;
  const privateKey = await readPrivateKey({ armoredKey: openPrivateJwk(stored.privateKey, sealLabel(stored.fingerprint), masterKey) });
  if (privateKey.getFingerprint() !== stored.fingerprint) throw new Error(`settings.${SETTING}: the private key does not match the stored fingerprint`);
  const publicKey = await readKey({ armoredKey: stored.publicKey });
  return { publicKeyArmored: stored.publicKey, publicKey, privateKey };
}

async function loadOrCreate(db: DbOrTx, masterKey: Uint8Array | undefined): Promise<PayrailPgpKey> {
  const found = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  if (found) return loadPair(found.value, masterKey);
  // Generating is asynchronous and the insert-or-ignore below is not: generate first, then store
  // it unless another process was quicker, and use whatever is stored.
  const generated = await generatePair(masterKey);
  return loadPair(await getOrCreateSetting(db, SETTING, () => generated), masterKey);
}

/** One load per database handle in this process; a failed load is tried again next time. */
const cache = new WeakMap<DbOrTx, Promise<PayrailPgpKey>>();

/** payrail's key pair, generated and stored (sealed) on first use; safe when processes race. */
export function loadPayrailPgpKey({ db, masterKey }: { db: DbOrTx; masterKey?: Uint8Array }): Promise<PayrailPgpKey> {
  let loading = cache.get(db);
  if (!loading) {
    loading = loadOrCreate(db, masterKey);
    cache.set(db, loading);
    loading.catch(() => cache.delete(db));
  }
  return loading;
}

const ARMOR = /^\s*-----BEGIN PGP /;
const firstLine = (err: unknown) => ((err as Error).message ?? String(err)).split('\n')[0]!.trim();

/** The keys in the text or bytes given; PgpKeyError when there is no readable key. */
async function readGivenKeys(given: string | Uint8Array): Promise<Key[]> {
  const text =
    typeof given === 'string' ? given : ARMOR.test(Buffer.from(given.subarray(0, 64)).toString('latin1')) ? Buffer.from(given).toString('utf8') : undefined;
  if (text !== undefined && /-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) throw new PgpKeyError("this is a private key: give the bank's public key");
  if (text !== undefined && !ARMOR.test(text)) throw new PgpKeyError('not an OpenPGP key: expected an ASCII-armoured public key block or a binary key');
  try {
    return text !== undefined ? await readKeys({ armoredKeys: text }) : await readKeys({ binaryKeys: given as Uint8Array });
  } catch (err) {
    throw new PgpKeyError(`not an OpenPGP key: ${firstLine(err)}`);
  }
}

/** A bank's public key (armoured or binary) checked and returned ASCII-armoured; throws PgpKeyError. */
export async function readBankPublicKey(given: string | Uint8Array): Promise<string> {
  const keys = await readGivenKeys(given);
  if (keys.length === 0) throw new PgpKeyError('not an OpenPGP key: no key found in it');
  if (keys.length !== 1) throw new PgpKeyError(`holds ${keys.length} keys: give the bank's one public key`);
  const key = keys[0]!;
  if (key.isPrivate()) throw new PgpKeyError("this is a private key: give the bank's public key");
  const id = key.getFingerprint().toUpperCase();
  if (await key.isRevoked()) throw new PgpKeyError(`key ${id} is revoked`);
  const expires = await key.getExpirationTime();
  if (expires instanceof Date && expires.getTime() <= Date.now()) throw new PgpKeyError(`key ${id} expired on ${expires.toISOString()}`);
  try {
    await key.getEncryptionKey();
  } catch (err) {
    throw new PgpKeyError(`key ${id} has no usable encryption key (${firstLine(err)})`);
  }
  return key.armor();
}
