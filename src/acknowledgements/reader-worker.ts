// The acknowledgement reader: every pain.002 in the bank's inbox is parsed and applied in one
// transaction with the record of the file itself, then archived. A file is identified by its
// content (the SHA-256 of its bytes, unique among received files: BANKS.md §4.9), not its name: a
// second file under a name seen before but with other content is applied like any other; the same
// bytes again (under any name, or by two readers at once) are applied once and archived. A
// malformed or unknown file, or one naming an unknown payment, is recorded with its reason, logged
// and moved to the error folder; the rest of the work goes on. A report that arrives between the
// upload of its batch's file and the commit that marks the batch SUBMITTED stays in the inbox
// until that commit (AckNotYet).
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { FileTransport } from '../bank/connector.ts';
import { readPain002 } from '../bank-files/pain002/reader.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { newId } from '../ids.ts';
import type { Db } from '../store/database.ts';
import { isUniqueViolation } from '../payments/service.ts';
import { AckNotYet, AckRejected } from './apply.ts';
import type { AckApplier } from './apply.ts';

export interface AckReaderDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  transport: FileTransport;
  applier: AckApplier;
  /** Keeps the file as received, byte for byte (the audit trail). */
  keepCopy?: (name: string, content: Uint8Array) => Promise<void>;
}

export function createAckReader({ db, clock, logger, transport, applier, keepCopy }: AckReaderDeps) {
  async function recordRejected(name: string, checksum: string, reason: string): Promise<void> {
    const now = isoAt(clock());
    await db
      .insertInto('bank_files')
      .values({ id: newId('bankFile', clock()), direction: 'in', name, message_id: null, batch_id: null, checksum, state: 'rejected', content: null, reason, created_at: now, updated_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async function setAside(name: string, checksum: string, reason: string): Promise<void> {
    logger.warn({ file: name, reason }, 'acknowledgement file set aside');
    await recordRejected(name, checksum, reason);
    await transport.reject(name, reason);
  }

  /** Applies, sets aside or finishes moving one file; false when it must wait for a later pass. */
  async function processFile(name: string): Promise<boolean> {
    const bytes = await transport.readInbox(name);
    const checksum = createHash('sha256').update(bytes).digest('hex');
    const seen = await db.selectFrom('bank_files').select(['state', 'reason', 'name']).where('direction', '=', 'in').where('checksum', '=', checksum).executeTakeFirst();
    if (seen) {
      // These very bytes were applied (or set aside) before: a copy, a re-delivery, or a crash
      // before the move. Finish the move; change nothing.
      if (seen.state === 'applied') {
        if (seen.name !== name) logger.info({ file: name, first: seen.name }, 'acknowledgement file already applied (same content); archived');
        await transport.archive(name);
      } else await transport.reject(name, seen.reason ?? 'rejected earlier');
      return true;
    }
    let report;
    try {
      report = readPain002(bytes);
    } catch (err) {
      await setAside(name, checksum, `not a readable pain.002: ${(err as Error).message}`);
      return true;
    }
    for (const w of report.warnings) logger.warn({ file: name, warning: w }, 'acknowledgement file is not quite right');
    try {
      const applied = await db.transaction().execute(async (tx) => {
        const id = newId('bankFile', clock());
        const now = isoAt(clock());
        await tx
          .insertInto('bank_files')
          .values({ id, direction: 'in', name, message_id: report.messageId ?? null, report_created_at: report.createdAt ?? null, batch_id: null, checksum, state: 'applied', content: null, reason: null, created_at: now, updated_at: now })
          .execute();
        return applier.apply(tx, report, id);
      });
      for (const w of applied.warnings) logger.warn({ file: name, warning: w }, 'acknowledgement applied with a warning');
    } catch (err) {
      if (err instanceof AckNotYet) {
        logger.debug({ file: name, reason: err.message }, 'acknowledgement file waits for its batch');
        return false;
      }
      if (err instanceof AckRejected) await setAside(name, checksum, err.message);
      else if (!isUniqueViolation(err)) throw err; // a unique violation: another reader applied these very bytes meanwhile (and moves the file)
      return true;
    }
    await keepCopy?.(name, bytes);
    await transport.archive(name);
    return true;
  }

  return {
    async tick(): Promise<number> {
      const names = await transport.listInbox();
      let waiting = 0;
      for (const name of names) {
        try {
          if (!(await processFile(name))) waiting++;
        } catch (err) {
          logger.error({ err, file: name }, 'reading an acknowledgement file failed; will retry');
        }
      }
      // Files that wait are no work done: the loop idles before reading them again.
      return names.length - waiting;
    },
  };
}
