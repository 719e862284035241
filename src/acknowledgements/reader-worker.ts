// The acknowledgement reader: every pain.002 in the bank's inbox is parsed and applied in one
// transaction with the record of the file itself, then archived. A file is identified by its
// content (the SHA-256 of its bytes, unique among received files: BANKS.md §4.9), not its name: a
// second file under a name seen before but with other content is applied like any other; the same
// bytes again (under any name, or by two readers at once) are applied once and archived. A
// malformed or unknown file, or one naming an unknown payment, is recorded with its reason, logged
// and moved to the error folder; the rest of the work goes on. A report that arrives between the
// upload of its batch's file and the commit that marks the batch SUBMITTED stays in the inbox
// until that commit (AckNotYet). A pass reads and parses up to 100 inbox files first, then applies
// them in the order the bank wrote them (GrpHdr/CreDtTm, then name; files without one last): a
// covering status must not overtake the earlier report that rejected one of its payments.
// A file the transport refuses to hand over (OpenPGP: unsigned, badly signed, not for payrail:
// BankFileRefused) goes to the error folder with the reason and an error in the log; it is not
// recorded among received files, so the same report sent again properly is applied.
// Every received file is recorded with the endpoint whose inbox it came from (connection_id); a
// report about a file payrail sent over another endpoint is set aside (apply.ts). A file that
// cannot be read or applied for another reason (the server, the database) stays in the inbox and
// fails the pass after the other files were handled, so its poller backs off and shows the error.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { FileTransport } from '../bank/connector.ts';
import { BankFileRefused } from '../bank/pgp/files.ts';
import type { Pain002Report } from '../bank-files/pain002/model.ts';
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
  /**
   * The endpoint this inbox belongs to (`sandbox` or a connection's id): recorded on every file
   * received, and a report about a file sent over another endpoint is set aside (apply.ts).
   */
  endpointId: string;
  applier: AckApplier;
  /** Keeps the file as received, byte for byte (the audit trail). */
  keepCopy?: (name: string, content: Uint8Array) => Promise<void>;
}

export function createAckReader({ db, clock, logger, transport, endpointId, applier, keepCopy }: AckReaderDeps) {
  async function recordRejected(name: string, checksum: string, reason: string): Promise<void> {
    const now = isoAt(clock());
    await db
      .insertInto('bank_files')
      .values({
        id: newId('bankFile', clock()),
        direction: 'in',
        name,
        message_id: null,
        batch_id: null,
        checksum,
        state: 'rejected',
        content: null,
        reason,
        connection_id: endpointId,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async function setAside(name: string, checksum: string, reason: string): Promise<void> {
    logger.warn({ file: name, reason }, 'acknowledgement file set aside');
    await recordRejected(name, checksum, reason);
    await transport.reject(name, reason);
  }

  /** A file read and parsed, waiting its turn to be applied. */
  interface Parsed {
    name: string;
    bytes: Uint8Array;
    checksum: string;
    report: Pain002Report;
    at: number | undefined;
  }

  /**
   * Reads one file: undefined when it is done with already (seen before, or set aside as
   * unreadable), else the parsed report to apply.
   */
  async function readFile(name: string, checksumsThisPass: Set<string>): Promise<Parsed | 'later' | undefined> {
    let bytes;
    try {
      bytes = await transport.readInbox(name);
    } catch (err) {
      if (!(err instanceof BankFileRefused)) throw err;
      logger.error({ file: name, reason: err.message }, 'acknowledgement file refused; nothing in it applied');
      await transport.reject(name, err.message);
      return undefined;
    }
    const checksum = createHash('sha256').update(bytes).digest('hex');
    // The same bytes twice in one pass: the first is applied, the copy is archived on the next pass.
    if (checksumsThisPass.has(checksum)) return 'later';
    const seen = await db
      .selectFrom('bank_files')
      .select(['state', 'reason', 'name'])
      .where('direction', '=', 'in')
      .where('checksum', '=', checksum)
      .executeTakeFirst();
    if (seen) {
      // These very bytes were applied (or set aside) before: a copy, a re-delivery, or a crash
      // before the move. Finish the move; change nothing.
      if (seen.state === 'applied') {
        if (seen.name !== name) logger.info({ file: name, first: seen.name }, 'acknowledgement file already applied (same content); archived');
        await transport.archive(name);
      } else await transport.reject(name, seen.reason ?? 'rejected earlier');
      return undefined;
    }
    let report;
    try {
      report = readPain002(bytes);
    } catch (err) {
      await setAside(name, checksum, `not a readable pain.002: ${(err as Error).message}`);
      return undefined;
    }
    for (const w of report.warnings) logger.warn({ file: name, warning: w }, 'acknowledgement file is not quite right');
    checksumsThisPass.add(checksum);
    const at = report.createdAt ? Date.parse(report.createdAt) : NaN;
    return { name, bytes, checksum, report, at: Number.isNaN(at) ? undefined : at };
  }

  /** Applies or sets aside one parsed file; false when it must wait for a later pass. */
  async function applyFile({ name, bytes, checksum, report }: Parsed): Promise<boolean> {
    try {
      const applied = await db.transaction().execute(async (tx) => {
        const id = newId('bankFile', clock());
        const now = isoAt(clock());
        await tx
          .insertInto('bank_files')
          .values({
            id,
            direction: 'in',
            name,
            message_id: report.messageId ?? null,
            report_created_at: report.createdAt ?? null,
            batch_id: null,
            checksum,
            state: 'applied',
            content: null,
            reason: null,
            connection_id: endpointId,
            created_at: now,
            updated_at: now,
          })
          .execute();
        return applier.apply(tx, report, id, endpointId);
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
      // At most FILES_PER_PASS files a pass (all of them are held parsed until applied); the rest
      // wait for the next pass, which comes at once when this one did work.
      const names = (await transport.listInbox()).slice(0, FILES_PER_PASS);
      // Work done: files applied, archived or set aside (and copies left for the next pass).
      let done = 0;
      const failed: { name: string; err: unknown }[] = [];
      const parsed: Parsed[] = [];
      const checksums = new Set<string>();
      for (const name of names) {
        try {
          const file = await readFile(name, checksums);
          // 'later': a copy of a file of this pass, archived on the next (which comes at once).
          if (file === undefined || file === 'later') done++;
          else parsed.push(file);
        } catch (err) {
          logger.error({ err, file: name }, 'reading an acknowledgement file failed; will retry');
          failed.push({ name, err });
        }
      }
      // In the order the bank wrote them (GrpHdr/CreDtTm, then name; a file without one last, by
      // name), not the order of their names: a covering ACSC read before the earlier report that
      // rejected one of its payments would complete that payment (BANKS.md §4).
      parsed.sort(bankOrder);
      for (const file of parsed) {
        try {
          // A file that waits for its batch is no work done: the loop idles before reading it again.
          if (await applyFile(file)) done++;
        } catch (err) {
          logger.error({ err, file: file.name }, 'reading an acknowledgement file failed; will retry');
          failed.push({ name: file.name, err });
        }
      }
      // A file that could not be read or applied is left in the inbox, and the pass fails after
      // the others were handled: the poller then waits (backing off) and records the error in the
      // connection's state, instead of reading the same file again at once, forever.
      if (failed.length > 0) throw new InboxPassFailed(failed, done);
      return done;
    },
  };
}

/** A pass in which some inbox files could not be read or applied; the message names the first. */
export class InboxPassFailed extends Error {
  constructor(
    readonly failed: readonly { name: string; err: unknown }[],
    /** The files the pass did handle. */
    readonly done: number,
  ) {
    const first = failed[0]!;
    const reason = first.err instanceof Error ? first.err.message : String(first.err);
    super(`${failed.length} inbox file(s) could not be read or applied (${first.name}: ${reason})`);
  }
}

/** How many inbox files one pass reads, parses and sorts before applying them. */
const FILES_PER_PASS = 100;

/** The bank's writing order: by GrpHdr/CreDtTm, then name; files without a CreDtTm last, by name. */
function bankOrder(a: { name: string; at: number | undefined }, b: { name: string; at: number | undefined }): number {
  if (a.at !== b.at) {
    if (a.at === undefined) return 1;
    if (b.at === undefined) return -1;
    return a.at - b.at;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
