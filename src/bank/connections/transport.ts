// A bank connection's file transport: its SFTP server (the pinned host key, payrail's private
// key, the folders under its root), wrapped with OpenPGP when the connection holds the bank's
// public key (files signed and encrypted on the way out, decrypted and verified on the way in).
import type { Logger } from 'pino';
import type { FileTransport } from '../connector.ts';
import { loadPayrailPgpKey } from '../pgp/keys.ts';
import { withPgp } from '../pgp/pgp-transport.ts';
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

/** The transport the workers use for a connection: SFTP, with OpenPGP when the bank's key is set. */
export async function openConnectionTransport(
  connection: StoredConnection,
  deps: { db: DbOrTx; masterKey: Uint8Array | undefined; logger?: Logger },
): Promise<FileTransport> {
  const inner = await openSftpTransport(connection, deps.logger);
  if (connection.pgpBankKey === null) return inner;
  try {
    const ourKey = await loadPayrailPgpKey({ db: deps.db, masterKey: deps.masterKey });
    return withPgp(inner, { ourKey, bankPublicKey: connection.pgpBankKey, armor: connection.pgpArmor, requireSigned: connection.requireSignedAcks });
  } catch (err) {
    await inner.close().catch(() => {});
    throw err;
  }
}
