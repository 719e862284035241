// The single-payment file collector: live single payments travel to the bank in pain.001 files
// (SPEC §9), like batches. PROCESSING single payments of live clients that are not in a file yet
// are grouped per (bank endpoint, type, payment date, sender account and its currency, currency,
// charge bearer): a pain.001 payment-information block has one debtor account, one date, one rail
// and one ChrgBr. A group becomes a file once its oldest payment has waited
// PAYRAIL_SINGLE_FILE_INTERVAL_MS, or at once when it holds 1,000 payments (a file of 1,000; the
// rest wait for the next).
//
// Crash safety, as in the batch dispatcher: the file (bank_files row, content kept) and the link of
// each of its payments to it (payments.bank_file_id, set only where still null) are recorded in ONE
// transaction, so a payment is never in two files; the upload happens after that commit (the
// transport skips a name the bank already has, and the same bytes are sent again); then one
// transaction marks the file uploaded and its payments SUBMITTED, with their history and the
// events a test-mode single payment gets when submitted (none: SUBMITTED is not an event). A file
// recorded but not yet marked (a crash, an upload that failed) is delivered again on the next pass,
// over the connection recorded with it (bank_files.connection_id).
//
// A group whose file cannot be written (the writer refuses a value) does not block the others: the
// refused payment, or every payment of the group when the refusal is the sender's, fails at stage
// SUBMISSION with BANK_FILE_NOT_WRITABLE; the rest are written on the next pass.
import { fileNameFor } from '../bank-files/profiles/file-name.ts';
import { outFileRow, sendOutFile } from '../bank-files/out-files.ts';
import { claimableUnderApproval } from '../approvals/hold.ts';
import type { Logger } from 'pino';
import type { BankEndpoint } from '../bank/endpoints.ts';
import { Pain001Error } from '../bank-files/pain001/model.ts';
import { pain001FromRows } from '../bank-files/pain001/from-rows.ts';
import type { DebtorAccount } from '../bank-files/pain001/from-rows.ts';
import { BANK_FILE_NOT_WRITABLE } from '../batches/dispatcher.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { ROWS_PER_STATEMENT } from '../store/insert-rows.ts';
import { isUniqueViolation } from './service.ts';
import type { BankFileRow, PaymentRow } from '../store/schema.ts';
import { crashPoint } from '../workers/crash-point.ts';
import type { PaymentChange, PaymentTransitions } from './transitions.ts';

/** A file holds at most this many payments (as a batch does). */
export const MAX_PAYMENTS_PER_FILE = 1000;

/** How many waiting payments one pass reads (in id order, so the oldest are never starved). */
const WAITING_PER_PASS = 5000;

export interface SingleFileCollectorDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  transitions: PaymentTransitions;
  /** The bank endpoint serving a sender account's bank (a BIC or HK bank code); undefined: not connected. */
  endpointFor(senderAccountBank: string): BankEndpoint | undefined;
  /** An endpoint by its id (a file's connection_id): where a file written earlier is delivered again. */
  endpointById(id: string): BankEndpoint | undefined;
  /** PAYRAIL_SINGLE_FILE_INTERVAL_MS: how long a group waits for more payments. */
  intervalMs: number;
  pain001Version?: '09' | '03';
  /** At most this many payments per file; a group this large goes at once (1,000; tests use fewer). */
  maxPaymentsPerFile?: number;
  /**
   * A file recorded less than this long ago is left to the collector that recorded it (it is
   * uploading it right now) and not delivered again by another (PAYRAIL_WORKER_LEASE_MS; 30 s).
   */
  pendingGraceMs?: number;
}

/** A waiting payment with what its file needs of its sender account and client. */
type Waiting = PaymentRow & {
  account_name: string;
  account_number: string;
  account_bank: string;
  account_legal_name: string | null;
  account_country: string | null;
  account_address: string | null;
  account_customer_id: string | null;
  client_name: string;
};

/**
 * GrpHdr/MsgId and PmtInfId of a single-payment file: its first payment's id (a payment is in one
 * file only, so no two files share it), e.g. `PYMTS01J…` (31 characters; a batch's is `PYMTB…`).
 */
export function singleFileMessageIdOf(firstPaymentId: string): string {
  return firstPaymentId.replace('pymt_', 'PYMTS');
}

export function singleFileNameOf(firstPaymentId: string): string {
  return `pain001-single-${firstPaymentId}.xml`;
}

/** How often the same "no connection for this bank" warning is logged, at most. */
const WARN_EVERY_MS = 60_000;

export function createSingleFileCollector({
  db,
  clock,
  logger,
  transitions,
  endpointFor,
  endpointById,
  intervalMs,
  pain001Version = '09',
  maxPaymentsPerFile = MAX_PAYMENTS_PER_FILE,
  pendingGraceMs = 30_000,
}: SingleFileCollectorDeps) {
  const warnedAt = new Map<string, number>();

  /**
   * The one claim query: live single payments still PROCESSING and in no file. Every condition a
   * payment must meet before it may travel goes here, the approval hold included.
   */
  function waitingPayments(): Promise<Waiting[]> {
    return db
      .selectFrom('payments')
      .innerJoin('accounts', 'accounts.id', 'payments.sender_account_id')
      .innerJoin('clients', 'clients.id', 'payments.client_id')
      .selectAll('payments')
      .select([
        'accounts.name as account_name',
        'accounts.account_number as account_number',
        'accounts.bank as account_bank',
        'accounts.legal_name as account_legal_name',
        'accounts.country as account_country',
        'accounts.address as account_address',
        'accounts.bank_customer_id as account_customer_id',
        'clients.name as client_name',
      ])
      .where('payments.status', '=', 'PROCESSING')
      .where('payments.batch_id', 'is', null)
      .where('payments.mode', '=', 'live')
      .where('payments.bank_file_id', 'is', null)
      .where(claimableUnderApproval('payments'))
      .orderBy('payments.id')
      .limit(WAITING_PER_PASS)
      .execute();
  }

  function endpointOf(bank: string, context: Record<string, unknown>): BankEndpoint | undefined {
    const endpoint = endpointFor(bank);
    if (!endpoint && clock() - (warnedAt.get(bank) ?? -Infinity) >= WARN_EVERY_MS) {
      warnedAt.set(bank, clock());
      logger.warn({ bank, ...context }, 'no bank connection serves this sender account bank; its live single payments stay PROCESSING');
    }
    return endpoint;
  }

  /** The groups of waiting payments that share one file, in the order of their oldest payment. */
  function groupsOf(waiting: Waiting[]): Map<string, { endpoint: BankEndpoint; payments: Waiting[] }> {
    const groups = new Map<string, { endpoint: BankEndpoint; payments: Waiting[] }>();
    for (const p of waiting) {
      const endpoint = endpointOf(p.account_bank, { paymentId: p.id });
      if (!endpoint) continue;
      const key = JSON.stringify([
        endpoint.id,
        p.type,
        p.actual_payment_date ?? p.payment_date,
        p.sender_account_id,
        p.sender_account_currency,
        p.currency,
        p.bank_charge_bearer,
      ]);
      const group = groups.get(key) ?? groups.set(key, { endpoint, payments: [] }).get(key)!;
      group.payments.push(p);
    }
    return groups;
  }

  /** Files of one group that are due now: each full 1,000, and the rest once its oldest has waited. */
  function dueChunks(payments: Waiting[]): Waiting[][] {
    const due: Waiting[][] = [];
    const now = clock();
    for (let i = 0; i < payments.length; i += maxPaymentsPerFile) {
      const chunk = payments.slice(i, i + maxPaymentsPerFile);
      const oldest = Math.min(...chunk.map((p) => Date.parse(p.created_at)));
      if (chunk.length === maxPaymentsPerFile || now - oldest >= intervalMs) due.push(chunk);
    }
    return due;
  }

  /** The pain.001 of one file, in its bank's profile; pure, so a refusal is the same on every attempt. */
  function write(payments: Waiting[], endpoint: BankEndpoint, createdAt: string): string {
    const first = payments[0]!;
    const account: DebtorAccount = {
      name: first.account_name,
      account_number: first.account_number,
      bank: first.account_bank,
      legal_name: first.account_legal_name,
      country: first.account_country,
      address: first.account_address,
      bank_customer_id: first.account_customer_id,
    };
    return pain001FromRows(
      endpoint,
      account,
      payments,
      {
        messageId: singleFileMessageIdOf(first.id),
        paymentInfoId: singleFileMessageIdOf(first.id),
        createdAt,
        initiatingPartyName: first.client_name,
        rail: first.type,
        // An approval given late rolled the date (SPEC §10): the file asks for the new one.
        paymentDate: first.actual_payment_date ?? first.payment_date,
        senderAccountCurrency: first.sender_account_currency,
      },
      pain001Version,
    );
  }

  /** The file's name: payrail's own for the generic profile, else the bank's pattern. */
  function nameOf(payments: Waiting[], endpoint: BankEndpoint, createdAt: string): string {
    const first = payments[0]!;
    if (endpoint.profile === 'generic') return singleFileNameOf(first.id);
    const messageId = singleFileMessageIdOf(first.id);
    return fileNameFor(endpoint.profile, {
      messageId,
      batchId: messageId,
      attempt: 1,
      paymentDate: first.actual_payment_date ?? first.payment_date,
      createdAt,
    });
  }

  /** Fails at stage SUBMISSION what the writer refused: the payment it named, or every one when it named none. */
  async function failUnwritable(payments: Waiting[], err: unknown): Promise<void> {
    const path = err instanceof Pain001Error ? err.path : undefined;
    const index = path === undefined ? undefined : /^payments\[(\d+)\]/.exec(path)?.[1];
    const refused = index === undefined ? payments : [payments[Number(index)]!];
    const reason = err instanceof Pain001Error ? err.message : `the writer failed (${err instanceof Error ? err.name : typeof err})`;
    const message = `the payment cannot be written as a pain.001 file: ${reason}`;
    for (const p of refused) {
      const result = await db.transaction().execute(async (tx) => {
        const current = await tx.selectFrom('payments').selectAll().where('id', '=', p.id).where('bank_file_id', 'is', null).executeTakeFirst();
        return current
          ? transitions.applyIn(tx, current, 'SUBMISSION', { kind: 'SUBMISSION_FAILED', code: BANK_FILE_NOT_WRITABLE, message })
          : 'unknown-payment';
      });
      // The log names the field and the payment, never the value (customer data).
      if (result === 'applied')
        logger.error(
          { paymentId: p.id, path, reason: err instanceof Pain001Error ? err.reason : reason },
          'a live single payment cannot be written as a pain.001 file; it is FAILED (stage SUBMISSION)',
        );
    }
  }

  /**
   * One transaction: the file's row and the link of each payment to it, each only if it is still
   * PROCESSING and in no file. When another collector took one of them meanwhile, nothing is kept
   * (undefined); the others are collected again on the next pass.
   */
  async function record(payments: Waiting[], content: string, name: string, endpoint: BankEndpoint): Promise<BankFileRow | undefined> {
    const row = outFileRow(clock, { name, messageId: singleFileMessageIdOf(payments[0]!.id), batchId: null, content, endpoint });
    const now = row.created_at;
    try {
      return await db.transaction().execute(async (tx) => {
        await tx.insertInto('bank_files').values(row).execute();
        const ids = payments.map((p) => p.id);
        for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
          const chunk = ids.slice(i, i + ROWS_PER_STATEMENT);
          const r = await tx
            .updateTable('payments')
            .set({ bank_file_id: row.id, updated_at: now })
            .where('id', 'in', chunk)
            .where('status', '=', 'PROCESSING')
            .where('batch_id', 'is', null)
            .where('bank_file_id', 'is', null)
            .where(claimableUnderApproval())
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) !== chunk.length) throw new TakenMeanwhile();
        }
        return row;
      });
    } catch (err) {
      if (err instanceof TakenMeanwhile) return undefined;
      // Another collector (instance) recorded this very file first: its name is its first
      // payment's, unique among files sent. A lost race, not an error.
      if (isUniqueViolation(err)) {
        logger.debug({ file: name }, 'another collector recorded this file first');
        return undefined;
      }
      throw err;
    }
  }

  /** One transaction: the file uploaded, its payments SUBMITTED with their history (and events, as in test mode). */
  async function markSubmitted(tx: DbOrTx, file: BankFileRow): Promise<void> {
    const uploadedAt = isoAt(clock());
    const r = await tx
      .updateTable('bank_files')
      .set({ state: 'uploaded', uploaded_at: uploadedAt, updated_at: uploadedAt })
      .where('id', '=', file.id)
      .where('state', '=', 'generated')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return; // another collector marked it
    const pending = await tx.selectFrom('payments').selectAll().where('bank_file_id', '=', file.id).where('status', '=', 'PROCESSING').orderBy('id').execute();
    const changes: PaymentChange[] = pending.map((row) => ({ row, decide: () => ({ stage: 'SUBMITTED', event: { kind: 'SUBMITTED' } }) }));
    const results = await transitions.applyAllIn(tx, changes, file.id);
    const refused = results.find((result) => typeof result === 'object');
    if (refused) throw new Error(`marking the payments of file ${file.name} SUBMITTED: ${refused.message}`);
  }

  /** After commit, outside any transaction: upload (idempotent), keep a copy, mark SUBMITTED. */
  async function deliver(file: BankFileRow, endpoint: BankEndpoint): Promise<void> {
    await sendOutFile(endpoint, file);
    crashPoint('after-file-uploaded');
    await db.transaction().execute((tx) => markSubmitted(tx, file));
  }

  /**
   * Files recorded earlier but not marked SUBMITTED (a crash, a failed upload): delivered again,
   * once they are older than the grace period (two uploads at once are harmless, but pointless),
   * over the connection they were written for (their profile, their bank) — never to wherever the
   * account's bank routes now. A file whose connection this process does not have is skipped, with
   * a warning, until it has.
   */
  async function deliverPending(): Promise<number> {
    const recordedBefore = isoAt(clock() - pendingGraceMs);
    const files = await db
      .selectFrom('bank_files')
      .selectAll()
      .where('direction', '=', 'out')
      .where('batch_id', 'is', null)
      .where('state', '=', 'generated')
      .where('created_at', '<=', recordedBefore)
      .orderBy('id')
      .limit(100)
      .execute();
    let delivered = 0;
    for (const file of files) {
      const endpoint = file.connection_id === null ? undefined : endpointById(file.connection_id);
      if (!endpoint) {
        warnMissingConnection(file);
        continue;
      }
      try {
        await deliver(file, endpoint);
        delivered++;
      } catch (err) {
        logger.warn({ err, file: file.name }, 'delivering a single-payment file failed; will retry');
      }
    }
    return delivered;
  }

  function warnMissingConnection(file: BankFileRow): void {
    const key = `file:${file.connection_id ?? ''}`;
    if (clock() - (warnedAt.get(key) ?? -Infinity) < WARN_EVERY_MS) return;
    warnedAt.set(key, clock());
    logger.warn(
      { file: file.name, connection: file.connection_id },
      'the bank connection this single-payment file was written for is not available; the file waits, undelivered',
    );
  }

  async function collect(): Promise<number> {
    let written = 0;
    for (const { endpoint, payments } of groupsOf(await waitingPayments()).values()) {
      for (const chunk of dueChunks(payments)) {
        let content: string;
        const createdAt = isoAt(clock()).replace(/\.\d{3}Z$/, 'Z');
        try {
          content = write(chunk, endpoint, createdAt);
        } catch (err) {
          await failUnwritable(chunk, err);
          continue;
        }
        const file = await record(chunk, content, nameOf(chunk, endpoint, createdAt), endpoint);
        if (!file) continue;
        written++;
        crashPoint('after-file-generated');
        try {
          await deliver(file, endpoint);
        } catch (err) {
          logger.warn({ err, file: file.name }, 'uploading a single-payment file failed; will retry');
        }
      }
    }
    return written;
  }

  return {
    /** One pass: deliver files left undelivered, then write and deliver the files that are due. Returns the work done. */
    async tick(): Promise<number> {
      return (await deliverPending()) + (await collect());
    },
  };
}

/** Another collector linked one of the payments to its file first. */
class TakenMeanwhile extends Error {}

export type SingleFileCollector = ReturnType<typeof createSingleFileCollector>;
