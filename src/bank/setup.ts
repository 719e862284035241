// The sandbox's exchange (test mode), from the settings: the SFTP server of PAYRAIL_BANK_SFTP_URL
// when set, else local folders under <data dir>/bank (the embedded default). Copies of every file
// sent and received are kept under <data dir>/bank/archive as the audit trail. The sandbox bank's
// own side of these folders is built by the composition root (src/sandbox-bank/folders.ts); live
// banks are the connections of src/bank/connections/.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';
import type { FileTransport } from './connector.ts';
import type { BankEndpoint } from './endpoints.ts';
import { freePath } from './transports/folder-exchange.ts';
import { createLocalTransport } from './transports/local-transport.ts';
import type { SftpSettings } from './transports/sftp-transport.ts';

/** The sandbox's endpoint, and how to close its transport. */
export interface SandboxExchange {
  endpoint: BankEndpoint;
  close(): Promise<void>;
}

/** The endpoint id of test mode; no bank connection may take it. */
export const SANDBOX_ID = 'sandbox';

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

/** Opens the sandbox's exchange; the SFTP modules (and ssh2) load only when SFTP is configured. */
export async function openSandboxExchange(config: Config): Promise<SandboxExchange> {
  const localRoot = join(config.dataDir, 'bank');
  const sftp = sftpSettings(config);
  let transport: FileTransport;
  if (sftp) {
    const { createSftpTransport } = await import('./transports/sftp-transport.ts');
    transport = createSftpTransport(sftp);
  } else {
    transport = createLocalTransport(localRoot);
  }
  const archiveRoot = join(localRoot, 'archive');
  return {
    endpoint: {
      id: SANDBOX_ID,
      profile: 'generic',
      transport,
      async keepCopy(direction, name, content) {
        // The local transport's archive already holds what it received; sent files get a copy.
        if (!sftp && direction === 'received') return;
        await keepAuditCopy(join(archiveRoot, direction), name, content);
      },
    },
    close: () => transport.close(),
  };
}
