// The bank's folders on local disk (the embedded default): `<root>/{outbox,inbox,archive,error}`.
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileTransport } from '../connector.ts';
import type { ExchangeFolders } from './folder-exchange.ts';
import { contentBytes, createFileTransport, EXCHANGE_FOLDERS } from './folder-exchange.ts';

/**
 * A rename that never replaces an existing file, as SFTP's: a hard link (which fails when the
 * target exists), then the old name removed. Where the disk has no hard links, a plain rename.
 */
async function renameNoReplace(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    await rename(from, to);
    return;
  }
  await unlink(from);
}

function localFolders(root: string): ExchangeFolders {
  let ready: Promise<void> | undefined;
  const at = (path: string) => join(root, path);
  // The folders are made on first use, and again if that failed (a disk not mounted yet).
  const ensureFolders = (): Promise<void> =>
    (ready ??= Promise.all(EXCHANGE_FOLDERS.map((folder) => mkdir(at(folder), { recursive: true }))).then(
      () => undefined,
      (err: unknown) => {
        ready = undefined;
        throw err;
      },
    ));

  return {
    async exists(path) {
      await ensureFolders();
      try {
        await stat(at(path));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },
    async write(path, content) {
      await ensureFolders();
      // Flushed before the caller renames it into place: after a power cut the renamed file is
      // whole, never empty.
      const file = await open(at(path), 'w');
      try {
        await file.writeFile(contentBytes(content));
        await file.sync();
      } finally {
        await file.close();
      }
    },
    rename: (from, to) => renameNoReplace(at(from), at(to)),
    async files(folder) {
      await ensureFolders();
      return (await readdir(at(folder), { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    },
    read: (path) => readFile(at(path), 'utf8'),
    readBytes: (path) => readFile(at(path)),
    remove: (path) => rm(at(path), { force: true }),
    async close() {},
  };
}

/** The file transport over `<root>/{outbox,inbox,archive,error}`; rename within one disk is atomic. */
export function createLocalTransport(root: string): FileTransport {
  return createFileTransport(localFolders(root));
}
