// The batch dispatcher: PROCESSING batch → pain.001 → `bank_files` row → commit → upload → one
// transaction marks the batch and its payments SUBMITTED and writes `payment-batches.submitted`.
// The file is generated once and kept, so an upload repeated after a crash sends the same bytes;
// the transport skips a file the bank already has. Exactly one file per batch reaches the bank.
// Test-mode batches go to the sandbox endpoint, live ones to the connection of the sender account's
// bank (BankEndpoints.forBank); the file row records which (`connection_id`), and a file already
// recorded goes on to that endpoint. A live batch whose bank has no connection (removed meanwhile,
// or not yet known to this instance) stays PROCESSING with a warning and is tried after its lease.
// A batch that cannot be written as a file at all (the writer refuses one of its values) is never
// retried: it fails at stage SUBMISSION, with the seed's rejection events and an error log line.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { SqlBool } from 'kysely';
import type { Logger } from 'pino';
import type { BankEndpoint, BankEndpoints } from '../bank/endpoints.ts';
import { Pain001Error } from '../bank-files/pain001/model.ts';
import { pain001FromRows } from '../bank-files/pain001/from-rows.ts';
import type { DebtorAccount } from '../bank-files/pain001/from-rows.ts';
import { fileNameFor } from '../bank-files/profiles/file-name.ts';
import { outFileRow, sendOutFile } from '../bank-files/out-files.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { claimWork } from '../workers/claim.ts';
import { claimableUnderApproval } from '../approvals/hold.ts';
import type { Outbox } from '../events/outbox.ts';
import { newId } from '../ids.ts';
import { transitionBatch } from '../payments/state-machine.ts';
import type { BatchStatus, SubmissionFailed } from '../payments/state-machine.ts';
import type { PaymentTransitions } from '../payments/transitions.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { insertRows } from '../store/insert-rows.ts';
import type { BankFileRow, BatchRow, PaymentRow } from '../store/schema.ts';
import { failBatch } from './fail.ts';
import type { BatchesService } from './service.ts';
import { crashPoint } from '../workers/crash-point.ts';

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Where files go: the sandbox for test mode, a bank connection for live mode (each keeps a copy of what it sent). */
  endpoints: BankEndpoints;
  outbox: Outbox;
  batches: BatchesService;
  /** The payments' status changes: an unwritable batch's payments fail through them. */
  transitions: PaymentTransitions;
  /** PAYRAIL_PAIN001_VERSION: the version of files written with the generic profile. */
  pain001Version?: '09' | '03';
  /**
   * How long a claim lasts. Every step is idempotent (the file is recorded once, the upload skips
   * a file the bank has, the SUBMITTED update is conditional), so a lease that runs out during a
   * slow upload costs at most a skipped second upload: it can be short.
   */
  leaseMs?: number;
}

/** GrpHdr/MsgId: deterministic per batch and attempt, at most 35 characters. */
export function messageIdOf(batchId: string, attempt = 1): string {
  return `${batchId.replace('pymtb_', 'PYMTB')}-${attempt}`;
}

/** The generic profile's file name (the sandbox bank's); fileNameFor gives any profile's. */
export function fileNameOf(batchId: string, attempt = 1): string {
  return `pain001-${batchId}-${attempt}.xml`;
}

/** The account columns that go into a file: the debtor (Dbtr, DbtrAcct, DbtrAgt) and InitgPty/Id. */

/** The failure code of a batch (and its payments) whose pain.001 cannot be written. */
export const BANK_FILE_NOT_WRITABLE = 'BANK_FILE_NOT_WRITABLE';

/**
 * The writer refused the batch: the same rows give the same refusal on every attempt, so the
 * batch is failed rather than retried. Anything else (the database, the upload) is retried.
 */
class UnwritableBatch extends Error {
  /** The refused field, e.g. `payments[1].receiver.name` or `debtor.name`, when the writer named one. */
  readonly path?: string;
  /** The payment holding the refused field, when it is a payment's. */
  readonly paymentId?: string;

  constructor(
    readonly reason: unknown,
    payments: readonly PaymentRow[],
  ) {
    // Only the writer's own words, which name a field and a character, never a value: this message
    // is stored as the failure message and logged. Anything else is a bug; its message may quote
    // the data (JSON.parse does), so only its type is kept.
    super(reason instanceof Pain001Error ? reason.message : `the writer failed (${reason instanceof Error ? reason.name : typeof reason})`);
    if (reason instanceof Pain001Error) {
      this.path = reason.path;
      const index = /^payments\[(\d+)\]/.exec(reason.path)?.[1];
      this.paymentId = index === undefined ? undefined : payments[Number(index)]?.id;
    }
  }

  /** What an operator needs in the log: where and why, not the customer's text. */
  logFields(): Record<string, unknown> {
    if (this.reason instanceof Pain001Error) return { path: this.path, paymentId: this.paymentId, reason: this.reason.reason };
    // A bug: the stack's frames help, its first line (the message) may quote the data.
    const stack = this.reason instanceof Error ? this.reason.stack?.split('\n').slice(1).join('\n') : undefined;
    return { reason: this.message, stack };
  }
}

/** A live batch whose endpoint is not there (no connection for its bank): retried after its lease. */
class NoEndpoint extends Error {}

/** A batch to be failed that is no longer PROCESSING: its transaction is rolled back, nothing changed. */
class BatchMovedOn extends Error {}

export function createBatchDispatcher({ db, clock, logger, endpoints, outbox, batches, transitions, pain001Version = '09', leaseMs = 30_000 }: DispatcherDeps) {
  const owner = `d_${randomBytes(6).toString('hex')}`;

  /** Leases up to 10 PROCESSING batches (approved or needing no approval) whose lease is free or has run out: one statement (src/workers/claim.ts). */
  function claim(): Promise<BatchRow[]> {
    return claimWork(db, clock, 'batches', {
      where: sql<SqlBool>`status = 'PROCESSING' and ${claimableUnderApproval()}`,
      limit: 10,
      owner,
      leaseMs,
    });
  }

  /** Test mode: the sandbox; live: the connection of the sender account's bank. */
  function endpointFor(batch: BatchRow, bank: string): BankEndpoint {
    const endpoint = batch.mode === 'test' ? endpoints.sandbox : endpoints.forBank(bank);
    if (!endpoint) throw new NoEndpoint(`no bank connection serves ${bank}`);
    return endpoint;
  }

  async function generate(batch: BatchRow, account: DebtorAccount, endpoint: BankEndpoint, createdAt: string): Promise<string> {
    const client = await db.selectFrom('clients').select('name').where('id', '=', batch.client_id).executeTakeFirstOrThrow();
    const payments = await db.selectFrom('payments').selectAll().where('batch_id', '=', batch.id).orderBy('id').execute();
    // Everything below is pure: what throws here throws again on every attempt.
    try {
      return write(batch, endpoint, createdAt, account, client.name, payments);
    } catch (err) {
      throw new UnwritableBatch(err, payments);
    }
  }

  function write(batch: BatchRow, endpoint: BankEndpoint, createdAt: string, account: DebtorAccount, clientName: string, payments: PaymentRow[]): string {
    return pain001FromRows(
      endpoint,
      account,
      payments,
      {
        messageId: messageIdOf(batch.id),
        paymentInfoId: batch.id,
        createdAt,
        initiatingPartyName: clientName,
        rail: batch.type,
        // A late approval rolled the date (SPEC §10): the file asks for the rolled one.
        paymentDate: batch.actual_payment_date ?? batch.payment_date,
        purpose: batch.purpose,
        senderAccountCurrency: batch.sender_account_currency,
      },
      pain001Version,
    );
  }

  /** The endpoint a recorded file goes to. */
  function endpointOf(file: BankFileRow): BankEndpoint {
    const endpoint = endpoints.byId(file.connection_id ?? endpoints.sandbox.id);
    if (!endpoint) throw new NoEndpoint(`bank connection '${file.connection_id}' of its file is not available`);
    return endpoint;
  }

  /** The batch's file and where it goes: generated and recorded once; later calls return the recorded one. */
  async function fileFor(batch: BatchRow): Promise<{ file: BankFileRow; endpoint: BankEndpoint }> {
    const existing = await db.selectFrom('bank_files').selectAll().where('direction', '=', 'out').where('batch_id', '=', batch.id).executeTakeFirst();
    if (existing) return { file: existing, endpoint: endpointOf(existing) };
    const account = await db.selectFrom('accounts').selectAll().where('id', '=', batch.sender_account_id).executeTakeFirstOrThrow();
    const endpoint = endpointFor(batch, account.bank);
    const createdAt = isoAt(clock()).replace(/\.\d{3}Z$/, 'Z');
    const content = await generate(batch, account, endpoint, createdAt);
    const name = fileNameFor(endpoint.profile, {
      messageId: messageIdOf(batch.id),
      batchId: batch.id,
      attempt: 1,
      paymentDate: batch.actual_payment_date ?? batch.payment_date,
      createdAt,
    });
    const row = outFileRow(clock, { name, messageId: messageIdOf(batch.id), batchId: batch.id, content, endpoint });
    await db
      .insertInto('bank_files')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute();
    const file = await db.selectFrom('bank_files').selectAll().where('direction', '=', 'out').where('batch_id', '=', batch.id).executeTakeFirstOrThrow();
    return { file, endpoint: endpointOf(file) };
  }

  /** One transaction: file uploaded, batch and payments SUBMITTED, history, `payment-batches.submitted`. */
  async function markSubmitted(tx: DbOrTx, batch: BatchRow, file: BankFileRow): Promise<void> {
    const t = transitionBatch(batch.status as BatchStatus, { kind: 'SUBMITTED' });
    if (!t.ok) return;
    const now = isoAt(clock());
    const r = await tx
      .updateTable('batches')
      .set({ status: t.to, lease_owner: null, lease_until: null, updated_at: now })
      .where('id', '=', batch.id)
      .where('status', '=', 'PROCESSING')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return;
    await tx.updateTable('bank_files').set({ state: 'uploaded', uploaded_at: now, updated_at: now }).where('id', '=', file.id).execute();
    const pending = await tx.selectFrom('payments').select('id').where('batch_id', '=', batch.id).where('status', '=', 'PROCESSING').execute();
    await tx
      .updateTable('payments')
      .set({ status: 'SUBMITTED', bank_stage: 'SUBMITTED', updated_at: now })
      .where('batch_id', '=', batch.id)
      .where('status', '=', 'PROCESSING')
      .execute();
    await insertRows(
      tx,
      'payment_status_changes',
      pending.map((p) => ({
        id: newId('statusChange', clock()),
        payment_id: p.id,
        stage: 'SUBMITTED',
        from_status: 'PROCESSING',
        to_status: 'SUBMITTED',
        bank_status: null,
        reason_code: null,
        message: null,
        changes: null,
        bank_file_id: file.id,
        created_at: now,
      })),
    );
    const updated = await tx.selectFrom('batches').selectAll().where('id', '=', batch.id).executeTakeFirstOrThrow();
    await outbox.append(tx, {
      clientId: batch.client_id,
      type: 'payment-batches.submitted',
      objectType: 'payment-batch',
      objectId: batch.id,
      data: await batches.view(updated, true, tx),
    });
  }

  /**
   * One transaction: the batch and its PROCESSING payments FAILED at stage SUBMISSION, their
   * history, then (seed order) `payment-batches.rejected` and a `payments.failed` per payment —
   * the payments through their transitions, the batch in their `beforeEvents` hook. Throws
   * BatchMovedOn (rolling it all back) when the batch is no longer PROCESSING.
   */
  async function markUnwritable(tx: DbOrTx, batch: BatchRow, message: string): Promise<void> {
    const event: SubmissionFailed = { kind: 'SUBMISSION_FAILED', code: BANK_FILE_NOT_WRITABLE, message };
    const pending = await tx.selectFrom('payments').selectAll().where('batch_id', '=', batch.id).where('status', '=', 'PROCESSING').orderBy('id').execute();
    const beforeEvents = async (t: DbOrTx) => {
      if (!(await failBatch(t, { clock, outbox, batches }, batch, { event, stage: 'SUBMISSION', from: 'PROCESSING' }))) throw new BatchMovedOn();
    };
    const results = await transitions.applyAllIn(
      tx,
      pending.map((p) => ({ row: p, decide: () => ({ stage: 'SUBMISSION', event }) })),
      null,
      { beforeEvents },
    );
    const refused = results.find((r) => typeof r === 'object');
    if (refused) throw new Error(`payments of ${batch.id} cannot fail at submission: ${JSON.stringify(refused)}`);
  }

  async function failUnwritable(batch: BatchRow, err: UnwritableBatch): Promise<void> {
    const message = `the batch cannot be written as a pain.001 file: ${err.message}`;
    try {
      await db.transaction().execute((tx) => markUnwritable(tx, batch, message));
    } catch (e) {
      // Submitted or failed meanwhile (its lease ran out and another instance took it): nothing to do.
      if (e instanceof BatchMovedOn) return;
      throw e;
    }
    // An operator should see this: a value got past the request checks that the file cannot carry.
    // The log names the field and the payment, never the value (customer data).
    logger.error({ batchId: batch.id, ...err.logFields() }, 'a batch cannot be written as a pain.001 file; it and its payments are FAILED (stage SUBMISSION)');
  }

  async function dispatch(batch: BatchRow): Promise<void> {
    const { file, endpoint } = await fileFor(batch);
    crashPoint('after-file-generated');
    // After commit, outside any transaction: the bank call may be slow or fail.
    await sendOutFile(endpoint, file);
    await db.transaction().execute((tx) => markSubmitted(tx, batch, file));
  }

  return {
    async tick(): Promise<number> {
      const claimed = await claim();
      for (const batch of claimed) {
        try {
          await dispatch(batch);
        } catch (err) {
          if (err instanceof UnwritableBatch) {
            await failUnwritable(batch, err).catch((e: unknown) =>
              logger.error({ err: e, batchId: batch.id }, 'failing an unwritable batch failed; will retry after its lease'),
            );
            continue;
          }
          if (err instanceof NoEndpoint) {
            logger.warn(
              { batchId: batch.id, reason: err.message },
              'a live batch has no bank connection to go to; it stays PROCESSING and is tried again after its lease',
            );
            continue;
          }
          logger.warn({ err, batchId: batch.id }, 'dispatching a batch failed; will retry after its lease');
        }
      }
      return claimed.length;
    },
  };
}
