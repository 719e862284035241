// OpenPGP on the files exchanged with a bank (BANKS.md §2). Outgoing files are signed with
// payrail's key and encrypted to the bank's; incoming ones are decrypted with payrail's key and
// their signature checked against the bank's. A file that must not be applied (not OpenPGP, not
// for payrail, unsigned when a signature is required, signed badly or by someone else) is a
// BankFileRefused, whose message is the reason written beside it in `error/`. Both ASCII armour
// and binary are read; GnuPG 2.2 reads what is written here (test/bank/pgp-gpg.test.ts).
import { createMessage, decrypt, encrypt, readKey, readMessage } from 'openpgp';
import type { Key, KeyID, Message } from 'openpgp';
import type { PayrailPgpKey } from './keys.ts';

/** Why an incoming file was refused. */
export type RefusalReason = 'not-openpgp' | 'not-encrypted' | 'cannot-decrypt' | 'unsigned' | 'bad-signature' | 'signed-by-another-key';

/** An incoming file that must not be applied; `message` is one line saying why. */
export class BankFileRefused extends Error {
  override name = 'BankFileRefused';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** The bank's public key: ASCII-armoured (as readBankPublicKey returns it) or read already. */
export type BankKey = string | Key;

export interface SignAndEncryptOptions {
  ourKey: PayrailPgpKey;
  bankPublicKey: BankKey;
  /** ASCII armour (text) rather than binary OpenPGP. */
  armor: boolean;
  /** The name carried inside the message (GnuPG's `--use-embedded-filename`). */
  filename?: string;
}

export interface DecryptAndVerifyOptions {
  ourKey: PayrailPgpKey;
  /** The key the bank signs with; without it signatures are not checked. */
  bankPublicKey?: BankKey;
  /** Refuse a file that carries no signature by the bank's key (needs `bankPublicKey`). */
  requireSigned: boolean;
}

const ARMOR = /^\s*-----BEGIN PGP /;
const firstLine = (err: unknown) => ((err as Error).message ?? String(err)).split('\n')[0]!.trim();

export function readBankKey(key: BankKey): Promise<Key> {
  return typeof key === 'string' ? readKey({ armoredKey: key }) : Promise.resolve(key);
}

/** `content` signed with payrail's key and encrypted to the bank's: armoured text or binary, as bytes. */
export async function signAndEncrypt(content: string | Uint8Array, { ourKey, bankPublicKey, armor, filename }: SignAndEncryptOptions): Promise<Uint8Array> {
  const binary = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  // A binary literal: the bytes go through untouched (no line-ending conversion), whatever the encoding.
  const message = await createMessage({ binary, filename, format: 'binary' });
  const encryptionKeys = await readBankKey(bankPublicKey);
  if (armor) return Buffer.from(await encrypt({ message, encryptionKeys, signingKeys: ourKey.privateKey, format: 'armored' }), 'utf8');
  return encrypt({ message, encryptionKeys, signingKeys: ourKey.privateKey, format: 'binary' });
}

async function readEncrypted(bytes: Uint8Array): Promise<Message<Uint8Array | string>> {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  let message: Message<Uint8Array | string>;
  try {
    message = ARMOR.test(head) ? await readMessage({ armoredMessage: Buffer.from(bytes).toString('utf8') }) : await readMessage({ binaryMessage: bytes });
  } catch (err) {
    throw new BankFileRefused('not-openpgp', `not an OpenPGP message (${firstLine(err)})`);
  }
  if (message.getEncryptionKeyIDs().length === 0)
    throw new BankFileRefused('not-encrypted', 'not encrypted to payrail’s OpenPGP key (no encrypted session key for a public key in it)');
  return message;
}

const hex = (ids: KeyID[]) => ids.map((id) => id.toHex().toUpperCase()).join(', ');

/**
 * The plaintext of an incoming file, decrypted with payrail's key. When the bank's key is known,
 * every signature made with it must verify, and with `requireSigned` there must be one; a
 * signature by any other key alone is refused. Throws BankFileRefused when the file must not be
 * applied.
 */
export async function decryptAndVerify(bytes: Uint8Array, { ourKey, bankPublicKey, requireSigned }: DecryptAndVerifyOptions): Promise<Uint8Array> {
  if (requireSigned && !bankPublicKey) throw new TypeError('requireSigned needs the bank’s public key');
  const message = await readEncrypted(bytes);
  const ours = ourKey.privateKey.getKeyIDs();
  const to = message.getEncryptionKeyIDs();
  if (!to.some((id) => ours.some((mine) => mine.equals(id, true))))
    throw new BankFileRefused('cannot-decrypt', `encrypted to another key (key ID ${hex(to)}), not payrail’s`);
  const bankKey = bankPublicKey ? await readBankKey(bankPublicKey) : undefined;
  let result;
  try {
    result = await decrypt({ message, decryptionKeys: ourKey.privateKey, verificationKeys: bankKey, format: 'binary' });
  } catch (err) {
    throw new BankFileRefused('cannot-decrypt', `cannot decrypt: ${firstLine(err)}`);
  }
  const data = result.data;
  // Every verification settled (a rejected one left alone would be an unhandled rejection).
  const checks = await Promise.all(result.signatures.map(async (s) => ({ keyID: s.keyID, outcome: await Promise.allSettled([s.verified]).then(([o]) => o!) })));
  if (checks.length === 0) {
    if (requireSigned) throw new BankFileRefused('unsigned', 'not signed: the bank’s signature is required');
    return data;
  }
  if (!bankKey) return data;
  const byBank = checks.filter((c) => bankKey.getKeys(c.keyID).length > 0);
  if (byBank.length === 0)
    throw new BankFileRefused(
      'signed-by-another-key',
      `signed by another key (key ID ${hex(checks.map((c) => c.keyID))}), not the bank’s ${bankKey.getFingerprint().toUpperCase()}`,
    );
  const bad = byBank.find((c) => c.outcome.status === 'rejected');
  if (bad && bad.outcome.status === 'rejected')
    throw new BankFileRefused('bad-signature', `bad signature by the bank’s key ${bad.keyID.toHex().toUpperCase()}: ${firstLine(bad.outcome.reason)}`);
  return data;
}
