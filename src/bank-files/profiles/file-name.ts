// The name of a pain.001 file, from the profile's pattern. Every pattern ends `.xml`; OpenPGP adds
// `.pgp` where the file is encrypted (BANKS.md §2), not here.
import { PROFILES } from './index.ts';
import type { ProfileName } from './index.ts';

export interface FileNameParts {
  messageId: string;
  batchId: string;
  attempt: number;
  /** The payment date, YYYY-MM-DD. */
  paymentDate: string;
  /** The file's creation time, an ISO date-time in UTC. */
  createdAt: string;
}

export function fileNameFor(profile: ProfileName, parts: FileNameParts): string {
  const values: Record<string, string> = {
    messageId: parts.messageId,
    batchId: parts.batchId,
    attempt: String(parts.attempt),
    date: parts.paymentDate.replaceAll('-', ''),
    created: parts.createdAt
      .replace(/\.\d+/, '')
      .replace(/[-:TZ]/g, '')
      .slice(0, 14),
  };
  return PROFILES[profile].fileName.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}
