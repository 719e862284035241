// The bank's folders on its SFTP server (host-to-host): key authentication, the pinned host key,
// short timeouts, and a reconnect when the server goes away (sftp-session.ts). Folders live under
// the configured root: `<root>/{outbox,inbox,archive,error}`.
import { posix } from 'node:path';
import type SftpClient from 'ssh2-sftp-client';
import type { FileTransport } from '../connector.ts';
import type { ExchangeFolders } from './folder-exchange.ts';
import { contentBytes, createFileTransport, EXCHANGE_FOLDERS } from './folder-exchange.ts';
import type { SftpSession, SftpSessionOptions, SftpSettings } from './sftp-session.ts';
import { createSftpSession } from './sftp-session.ts';

export type { SftpSettings } from './sftp-session.ts';
export { SftpHostKeyError, HostKeySettingError, parseHostKey, fingerprintOf } from './sftp-host-key.ts';

function sftpFolders(session: SftpSession, root: string): ExchangeFolders {
  const at = (path: string) => posix.join(root, path);
  return {
    exists: (path) => session.run(async (c) => (await c.exists(at(path))) !== false),
    write: (path, content) => session.run(async (c) => void (await c.put(contentBytes(content), at(path)))),
    // Plain SFTP rename, which refuses to replace an existing file: the bank's copy is never overwritten.
    rename: (from, to) => session.run(async (c) => void (await c.rename(at(from), at(to)))),
    files: (folder) => session.run(async (c) => (await c.list(at(folder))).filter((e) => e.type === '-').map((e) => e.name)),
    read: (path) => session.run(async (c) => ((await c.get(at(path))) as Buffer).toString('utf8')),
    readBytes: (path) => session.run(async (c) => (await c.get(at(path))) as Buffer),
    remove: (path) => session.run(async (c) => void (await c.delete(at(path), true))),
    close: () => session.close(),
  };
}

/** Creates the exchange folders a fresh server lacks; folders the bank already made are left alone. */
async function ensureFolders(client: SftpClient, root: string): Promise<void> {
  for (const folder of EXCHANGE_FOLDERS) {
    const path = posix.join(root, folder);
    if (!(await client.exists(path))) await client.mkdir(path, true);
  }
}

/**
 * The file transport over SFTP. Connects on first use; throws at once on an unreadable host key
 * setting. `options.logger` hears about reconnects.
 */
export function createSftpTransport(settings: SftpSettings, options: Pick<SftpSessionOptions, 'logger'> = {}): FileTransport {
  const session = createSftpSession(settings, { ...options, onConnect: (client) => ensureFolders(client, settings.root) });
  return createFileTransport(sftpFolders(session, settings.root));
}
