// The sandbox bank's side of the file exchange: it reads payrail's pain.001 files from `outbox/`
// and writes pain.002 acknowledgements into `inbox/`. Its own bookkeeping (when it received each
// file, which acknowledgements it has sent) lives in `.sandbox/` on the same server, so the
// sandbox keeps no state of its own and survives restarts — in process or as `payrail sandbox-bank`.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files on the bank's server, by path relative to its root (`outbox/x.xml`). */
export interface BankFolders {
  list(dir: string): Promise<string[]>;
  read(path: string): Promise<string | undefined>;
  /** Writes a file whole (temporary name, then rename). */
  write(path: string, content: string): Promise<void>;
  close(): Promise<void>;
}

export function createLocalBankFolders(root: string): BankFolders {
  return {
    async list(dir) {
      try {
        return (await readdir(join(root, dir), { withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => e.name)
          .sort();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    },
    async read(path) {
      try {
        return await readFile(join(root, path), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async write(path, content) {
      const target = join(root, path);
      await mkdir(join(target, '..'), { recursive: true });
      await writeFile(`${target}.part`, content);
      await rename(`${target}.part`, target);
    },
    async close() {},
  };
}
