// The host-to-host folder protocol, the same over local disk and SFTP: payrail writes pain.001
// files into `outbox/` (a temporary name of each attempt's own, `<name>.<random>.part`, then
// rename, never twice) and takes pain.002 files out of
// `inbox/` into `archive/` or `error/`. Transports supply the file primitives; every step here is
// safe to repeat after a crash or a lost reply, so a retried operation never duplicates or loses a file.
import { randomBytes } from 'node:crypto';
import type { FileTransport } from '../connector.ts';

/** The folders under the exchange root. */
export const EXCHANGE_FOLDERS = ['outbox', 'inbox', 'archive', 'error'] as const;

/** File primitives on paths relative to the exchange root (`outbox/x.xml`). */
export interface ExchangeFolders {
  exists(path: string): Promise<boolean>;
  /** Creates the file, or truncates and rewrites it: text as UTF-8, bytes as they are. */
  write(path: string, content: string | Uint8Array): Promise<void>;
  /** Fails when `from` does not exist, or when `to` does: a file is never replaced. */
  rename(from: string, to: string): Promise<void>;
  /** Names of the regular files in a folder. */
  files(folder: string): Promise<string[]>;
  read(path: string): Promise<string>;
  /** The file's bytes, undecoded. */
  readBytes(path: string): Promise<Buffer>;
  /** Removes a file; nothing happens when it is not there. */
  remove(path: string): Promise<void>;
  close(): Promise<void>;
}

/** A suffix for files still being written, by payrail or by the bank: never listed, never read. */
export const PARTIAL_SUFFIX = '.part';

function checkName(name: string): void {
  // A name is a file in one folder: no path tricks through a bank-supplied or generated name.
  if (!name || name === '.' || name === '..' || /[/\\\0]/.test(name)) throw new Error(`not a plain file name: ${JSON.stringify(name)}`);
}

/** An inbox entry that is a finished acknowledgement: not hidden, not still being written. */
function isFinished(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith(PARTIAL_SUFFIX);
}

/**
 * The first free `folder/name`, `folder/name.1`, … (`exists` tells): a later file of the same name
 * never overwrites the record of an earlier one.
 */
export async function freePath(exists: (path: string) => Promise<boolean>, folder: string, name: string): Promise<string> {
  for (let n = 0; n < 1000; n++) {
    const path = n === 0 ? `${folder}/${name}` : `${folder}/${name}.${n}`;
    if (!(await exists(path))) return path;
  }
  throw new Error(`${folder}/ holds too many files named ${name}`);
}

/** The bytes of a file's content: text as UTF-8. */
export function contentBytes(content: string | Uint8Array): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

export function createFileTransport(folders: ExchangeFolders): FileTransport {
  async function moveAside(name: string, folder: 'archive' | 'error', reason?: string): Promise<void> {
    checkName(name);
    const from = `inbox/${name}`;
    if (!(await folders.exists(from))) {
      // Moved by an earlier try whose reply was lost: done already.
      if (await folders.exists(`${folder}/${name}`)) return;
      throw new Error(`inbox/${name} does not exist`);
    }
    const to = await freePath((path) => folders.exists(path), folder, name);
    // The reason first: a file in error/ always has its reason beside it.
    if (reason !== undefined) await folders.write(`${to}.reason.txt`, `${reason}\n`);
    try {
      await folders.rename(from, to);
    } catch (err) {
      // Another reader moving the same file at the same moment took the free name first: once
      // its move ends (a link, then the inbox name removed) the file is out of the inbox: done.
      for (let i = 0; i < 10; i++) {
        if (!(await folders.exists(from))) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw err;
    }
  }

  /**
   * Partial files of `name` left by attempts that died mid-upload (and the fixed `<name>.part` of
   * earlier versions). Only called once the file is in place: an attempt still writing one of
   * them then finds the file there and stops.
   */
  async function removeStalePartials(name: string): Promise<void> {
    const ours = (entry: string) =>
      entry === `${name}${PARTIAL_SUFFIX}` || (entry.startsWith(`${name}.`) && /^\.[0-9a-f]{12}\.part$/.test(entry.slice(name.length)));
    for (const entry of (await folders.files('outbox')).filter(ours)) await folders.remove(`outbox/${entry}`);
  }

  return {
    async upload(name, content) {
      checkName(name);
      const target = `outbox/${name}`;
      if (await folders.exists(target)) return;
      // A partial name of this attempt's own: two uploads of one file at once (a collector and
      // another instance's retry, a dispatcher outlasting its lease) each write a whole file of
      // their own, never into each other's (an OpenPGP file differs in every attempt).
      const partial = `${target}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`;
      try {
        await folders.write(partial, content);
        await folders.rename(partial, target);
      } catch (err) {
        // The rename happened but its reply was lost, or another attempt's file got there first
        // (SFTP's rename never replaces it): the bank has the file whole, once.
        if (!(await folders.exists(target))) {
          await folders.remove(partial).catch(() => {});
          throw err;
        }
        await folders.remove(partial);
      }
      await removeStalePartials(name);
    },
    async has(name) {
      checkName(name);
      return folders.exists(`outbox/${name}`);
    },
    async listInbox() {
      return (await folders.files('inbox')).filter(isFinished).sort();
    },
    async readInbox(name) {
      checkName(name);
      return folders.readBytes(`inbox/${name}`);
    },
    archive: (name) => moveAside(name, 'archive'),
    reject: (name, reason) => moveAside(name, 'error', reason),
    close: () => folders.close(),
  };
}
