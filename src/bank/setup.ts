// Which bank payrail talks to, from the settings: the bank's SFTP server when
// PAYRAIL_BANK_SFTP_URL is set, else local folders under <data dir>/bank (the embedded default).
// Copies of every file sent and received are kept under <data dir>/bank/archive as the audit trail.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';
import type { BankFolders } from '../sandbox-bank/bank-folders.ts';
import { createLocalBankFolders } from '../sandbox-bank/bank-folders.ts';
import type { FileTransport } from './connector.ts';
import { freePath } from './transports/folder-exchange.ts';
import { createLocalTransport } from './transports/local-transport.ts';
import type { SftpSettings } from './transports/sftp-transport.ts';

export interface BankConnection {
  /** payrail's side: upload pain.001, read pain.002. */
  transport: FileTransport;
  /** The sandbox bank's side of the same folders. */
  sandboxFolders: BankFolders;
  /** Keeps a copy of a file sent or received (the audit trail). */
  /** A received file is kept as the bytes the bank sent (a report may be UTF-16). */
  keepCopy(direction: 'sent' | 'received', name: string, content: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export function sftpSettings(config: Config): SftpSettings | undefined {
  const s = config.bankSftp;
  if (!s) return undefined;
  let privateKey: string;
  try {
    privateKey = readFileSync(s.privateKeyFile, 'utf8');
  } catch (err) {
    throw new ConfigError('PAYRAIL_BANK_SFTP_KEY_FILE', `cannot read ${s.privateKeyFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { host: s.host, port: s.port, username: s.username, privateKey, hostKey: s.hostKey, root: s.root };
}

/**
 * Writes `<dir>/<name>`, or `<name>.1`, … when that name holds other bytes: a bank may send a
 * second file under a name seen before, and every file received is kept (SPEC §7). The same bytes
 * kept again (a retried step) are not copied twice. `wx`: two readers keeping files of one name at
 * once never overwrite each other either; the loser tries again.
 */
export async function keepAuditCopy(dir: string, name: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  /** Taken by other bytes; false when free or already holding these bytes (then `kept`). */
  let kept = false;
  const taken = async (path: string): Promise<boolean> => {
    try {
      kept = Buffer.from(await readFile(join(dir, path))).equals(bytes);
      return !kept;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  };
  for (let attempt = 0; ; attempt++) {
    kept = false;
    const path = await freePath(taken, '.', name);
    if (kept) return;
    try {
      await writeFile(join(dir, path), bytes, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 10) throw err;
    }
  }
}

/** Opens the configured bank; the SFTP modules (and ssh2) load only when SFTP is configured. */
export async function openBankConnection(config: Config): Promise<BankConnection> {
  const localRoot = join(config.dataDir, 'bank');
  const sftp = sftpSettings(config);
  let transport: FileTransport;
  let sandboxFolders: BankFolders;
  if (sftp) {
    const { createSftpTransport } = await import('./transports/sftp-transport.ts');
    const { createSftpBankFolders } = await import('../sandbox-bank/sftp-bank-folders.ts');
    transport = createSftpTransport(sftp);
    sandboxFolders = createSftpBankFolders(sftp);
  } else {
    transport = createLocalTransport(localRoot);
    sandboxFolders = createLocalBankFolders(localRoot);
  }
  const archiveRoot = join(localRoot, 'archive');
  return {
    transport,
    sandboxFolders,
    async keepCopy(direction, name, content) {
      // The local transport's archive already holds what it received; sent files get a copy.
      if (!sftp && direction === 'received') return;
      await keepAuditCopy(join(archiveRoot, direction), name, content);
    },
    async close() {
      await transport.close();
      await sandboxFolders.close();
    },
  };
}
