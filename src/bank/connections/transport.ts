// A bank connection's file transport: its SFTP server (the pinned host key, payrail's private
// key, the folders under its root), wrapped with OpenPGP when the connection holds the bank's
// public key (files signed and encrypted on the way out, decrypted and verified on the way in).
import type { Logger } from 'pino';
import type { FileTransport } from '../connector.ts';
import type { PayrailPgpKey } from '../pgp/keys.ts';
import { loadPayrailPgpKey } from '../pgp/keys.ts';
import type { SftpSettings } from '../transports/sftp-session.ts';
import type { DbOrTx } from '../../store/database.ts';
import type { StoredConnection } from './store.ts';

export function connectionSftpSettings(connection: StoredConnection): SftpSettings {
  const { host, port, user, root } = connection.sftp;
  return { host, port, username: user, privateKey: connection.sftpPrivateKey, hostKey: connection.sftpHostKey, root };
}

/** The plain SFTP transport of a connection (what `banks check` logs in with). */
export async function openSftpTransport(connection: StoredConnection, logger?: Logger): Promise<FileTransport> {
  const { createSftpTransport } = await import('../transports/sftp-transport.ts');
  return createSftpTransport(connectionSftpSettings(connection), logger ? { logger } : {});
}

export interface PgpOptions {
  ourKey: PayrailPgpKey;
  /** ASCII-armoured. */
  bankPublicKey: string;
  armor: boolean;
  requireSigned: boolean;
}

/**
 * MERGE POINT (issue #15, pgp branch): this must become
 *   `return withPgp(inner, options);`   // import { withPgp } from '../pgp/pgp-transport.ts'
 * The decorator does not exist on this branch. Until it is wired in, a connection with a bank key
 * refuses every file operation: a file the bank expects encrypted is never sent in clear, and an
 * acknowledgement is never applied unverified. The connection shows the reason in its state.
 */
function wrapWithPgp(inner: FileTransport, options: PgpOptions): FileTransport {
  void options;
  const refuse = async (): Promise<never> => {
    throw new Error('OpenPGP on bank files is not available in this build; the connection cannot be used with --pgp-bank-key');
  };
  return { upload: refuse, has: refuse, listInbox: refuse, readInbox: refuse, archive: refuse, reject: refuse, close: () => inner.close() };
}

/** The transport the workers use for a connection: SFTP, with OpenPGP when the bank's key is set. */
export async function openConnectionTransport(connection: StoredConnection, deps: { db: DbOrTx; masterKey: Uint8Array | undefined; logger?: Logger }): Promise<FileTransport> {
  const inner = await openSftpTransport(connection, deps.logger);
  if (connection.pgpBankKey === null) return inner;
  try {
    const ourKey = await loadPayrailPgpKey({ db: deps.db, masterKey: deps.masterKey });
    return wrapWithPgp(inner, { ourKey, bankPublicKey: connection.pgpBankKey, armor: connection.pgpArmor, requireSigned: connection.requireSignedAcks });
  } catch (err) {
    await inner.close().catch(() => {});
    throw err;
  }
}
