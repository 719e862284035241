// Out files: the pain.001 files payrail sends, for a batch (the dispatcher) or for a group of live
// single payments (the single-payment file collector). Both record a file the same way — one
// `bank_files` row, state `generated`, holding the content so that a repeated upload sends the same
// bytes — and both send it the same way once that row is committed, outside any transaction:
// upload (the transport skips a name the bank already has), the crash tests' witness line, the
// local audit copy. Marking the file uploaded, and what that means for its batch or payments, is
// each caller's own transaction.
import { createHash } from 'node:crypto';
import type { BankEndpoint } from '../bank/endpoints.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { newId } from '../ids.ts';
import type { BankFileRow } from '../store/schema.ts';
import { witnessBankCall } from '../workers/crash-point.ts';

export interface OutFile {
  name: string;
  /** The file's GrpHdr/MsgId. */
  messageId: string;
  /** The batch it carries; null for a file of single payments. */
  batchId: string | null;
  content: string;
  /** Where it goes: the endpoint's id (`sandbox` or a bank connection's). */
  endpoint: Pick<BankEndpoint, 'id'>;
}

/** The `bank_files` row of an out file just written: state `generated`, its content and checksum kept. */
export function outFileRow(clock: Clock, { name, messageId, batchId, content, endpoint }: OutFile): BankFileRow {
  const now = isoAt(clock());
  return {
    id: newId('bankFile', clock()),
    direction: 'out',
    name,
    message_id: messageId,
    batch_id: batchId,
    checksum: createHash('sha256').update(content).digest('hex'),
    state: 'generated',
    report_created_at: null,
    content,
    verdict: null,
    reason: null,
    connection_id: endpoint.id,
    created_at: now,
    updated_at: now,
  };
}

/** Sends a recorded out file: after its commit and never inside a transaction (the bank call may be slow or fail). */
export async function sendOutFile(endpoint: BankEndpoint, file: BankFileRow): Promise<void> {
  await endpoint.transport.upload(file.name, file.content!);
  witnessBankCall('upload', file.name);
  await endpoint.keepCopy('sent', file.name, file.content!);
}
