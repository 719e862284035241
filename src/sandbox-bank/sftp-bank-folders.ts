// The sandbox bank's folders on an SFTP server: the bank's view of the same server payrail
// uploads to (see bank-folders.ts). Uses the one SFTP session module: pinned host key, reconnect.
import { posix } from 'node:path';
import { createSftpSession } from '../bank/transports/sftp-session.ts';
import type { SftpSettings } from '../bank/transports/sftp-session.ts';
import type { BankFolders } from './bank-folders.ts';

export function createSftpBankFolders(settings: SftpSettings): BankFolders {
  const session = createSftpSession(settings);
  const at = (path: string) => posix.join(settings.root, path);
  const missing = (err: unknown) => (err as { code?: unknown }).code === 2 || (err as { code?: unknown }).code === 'ENOENT';
  return {
    async list(dir) {
      return session.run(async (sftp) => {
        if (!(await sftp.exists(at(dir)))) return [];
        return (await sftp.list(at(dir)))
          .filter((f) => f.type === '-')
          .map((f) => f.name)
          .sort();
      });
    },
    async read(path) {
      try {
        return await session.run(async (sftp) => ((await sftp.get(at(path))) as Buffer).toString('utf8'));
      } catch (err) {
        if (missing(err) || /No such file/.test((err as Error).message)) return undefined;
        throw err;
      }
    },
    async write(path, content) {
      await session.run(async (sftp) => {
        await sftp.mkdir(posix.dirname(at(path)), true);
        const part = `${at(path)}.part`;
        await sftp.put(Buffer.from(content), part);
        // posixRename replaces an existing target (OpenSSH's posix-rename extension).
        await sftp.posixRename(part, at(path));
      });
    },
    close: () => session.close(),
  };
}
