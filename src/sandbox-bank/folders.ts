// The sandbox bank's side of the sandbox's exchange: the same folders payrail's side uses
// (src/bank/setup.ts), on the SFTP server of PAYRAIL_BANK_SFTP_URL or under <data dir>/bank.
// Built by the composition root (`payrail serve`, `payrail sandbox-bank`), never by src/bank.
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { sftpSettings } from '../bank/setup.ts';
import type { BankFolders } from './bank-folders.ts';
import { createLocalBankFolders } from './bank-folders.ts';

/** Opens the sandbox bank's folders; the SFTP modules load only when SFTP is configured. */
export async function openSandboxBankFolders(config: Config): Promise<BankFolders> {
  const sftp = sftpSettings(config);
  if (!sftp) return createLocalBankFolders(join(config.dataDir, 'bank'));
  const { createSftpBankFolders } = await import('./sftp-bank-folders.ts');
  return createSftpBankFolders(sftp);
}
