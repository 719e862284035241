// OpenPGP around a bank's file transport (BANKS.md §2): files uploaded are signed and encrypted
// (and named `<name>.pgp`), acknowledgements read are decrypted and their signature checked. The
// reader sees plaintext, so a file's identity (the SHA-256 the reader dedups on) is that of the
// report itself: the same report re-sent, encrypted afresh, is recognised as the same. A file that
// must not be applied makes `readInbox` throw BankFileRefused; the reader moves it to `error/`.
import type { FileTransport } from '../connector.ts';
import type { BankKey } from './files.ts';
import { decryptAndVerify, readBankKey, signAndEncrypt } from './files.ts';
import type { PayrailPgpKey } from './keys.ts';

export interface PgpOptions {
  ourKey: PayrailPgpKey;
  /** The bank's public key (ASCII-armoured, as readBankPublicKey returns it). */
  bankPublicKey: BankKey;
  /** Upload ASCII-armoured files rather than binary OpenPGP. */
  armor: boolean;
  /** Refuse acknowledgements not signed by the bank's key (BANKS.md: on when a bank key is set). */
  requireSigned: boolean;
}

/** The suffix of an uploaded file's name. */
export const PGP_SUFFIX = '.pgp';

export function withPgp(inner: FileTransport, { ourKey, bankPublicKey, armor, requireSigned }: PgpOptions): FileTransport {
  let bankKey: ReturnType<typeof readBankKey> | undefined;
  const theBankKey = () => (bankKey ??= readBankKey(bankPublicKey));
  return {
    async upload(name, content) {
      const target = `${name}${PGP_SUFFIX}`;
      // Encrypting is not repeatable byte for byte: an upload repeated after a crash must not
      // even be encrypted again when the file is there already.
      if (await inner.has(target)) return;
      await inner.upload(target, await signAndEncrypt(content, { ourKey, bankPublicKey: await theBankKey(), armor, filename: name }));
    },
    has: (name) => inner.has(`${name}${PGP_SUFFIX}`),
    listInbox: () => inner.listInbox(),
    async readInbox(name) {
      const plaintext = await decryptAndVerify(await inner.readInbox(name), { ourKey, bankPublicKey: await theBankKey(), requireSigned });
      return Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
    },
    archive: (name) => inner.archive(name),
    reject: (name, reason) => inner.reject(name, reason),
    close: () => inner.close(),
  };
}
