// Applying one pain.002 status report, inside one transaction: ACK1 (file accepted or rejected),
// ACK2 and ACK3 (per payment, ACWC changes included). Anything that does not fit — an unknown
// file or payment, transaction statuses before the file was accepted, a status that would move a
// final payment — throws AckRejected, which rolls the whole report back: never half-applied.
import type { Pain002Report } from '../bank-files/pain002/reader.ts';
import { ackChangesOf, inferStage } from '../bank-files/pain002/reader.ts';
import type { BankReport } from '../bank/reports.ts';
import { reasonMessage } from '../bank/reports.ts';
import type { BatchesService } from '../batches/service.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Outbox } from '../events/outbox.ts';
import { newId } from '../ids.ts';
import { transition, transitionBatch } from '../payments/state-machine.ts';
import type { BatchStatus, PaymentStatus } from '../payments/state-machine.ts';
import type { PaymentChange, PaymentTransitions } from '../payments/transitions.ts';
import { eventOf } from '../payments/transitions.ts';
import { toPayment } from '../payments/view.ts';
import type { DbOrTx } from '../store/database.ts';
import type { BatchRow, PaymentRow } from '../store/schema.ts';
import { crashPoint } from '../workers/crash-point.ts';

/** A report that cannot be applied; `reason` is recorded with the file set aside. */
export class AckRejected extends Error {}

/**
 * A report about a batch whose file was uploaded but is not yet recorded as SUBMITTED: the
 * dispatcher commits that right after the upload, and a quick bank can answer first. The file
 * waits in the inbox and is read again on a later pass.
 */
export class AckNotYet extends Error {}

type Original = Pain002Report['originals'][number];
type Tx = Original['transactions'][number];

export interface AckApplierDeps {
  clock: Clock;
  outbox: Outbox;
  transitions: PaymentTransitions;
  batches: BatchesService;
}

export function createAckApplier({ clock, outbox, transitions, batches }: AckApplierDeps) {
  async function batchOf(tx: DbOrTx, original: Original): Promise<BatchRow> {
    let batchId: string | null | undefined;
    if (original.originalMessageId) {
      const file = await tx.selectFrom('bank_files').select('batch_id').where('direction', '=', 'out').where('message_id', '=', original.originalMessageId).executeTakeFirst();
      batchId = file?.batch_id;
    }
    // Real banks omit elements: fall back to the payment-information id, which is the batch id.
    batchId ??= original.transactions.find((t) => t.originalPaymentInfoId)?.originalPaymentInfoId;
    const batch = batchId ? await tx.selectFrom('batches').selectAll().where('id', '=', batchId).executeTakeFirst() : undefined;
    if (!batch) throw new AckRejected(`unknown original message '${original.originalMessageId ?? '(none)'}'`);
    if (batch.status === 'PROCESSING') await waitIfUploaded(tx, batch);
    return batch;
  }

  /** A PROCESSING batch whose file exists is being marked SUBMITTED right now: wait for that. */
  async function waitIfUploaded(tx: DbOrTx, batch: BatchRow): Promise<void> {
    const file = await tx.selectFrom('bank_files').select('id').where('direction', '=', 'out').where('batch_id', '=', batch.id).executeTakeFirst();
    if (file) throw new AckNotYet(`batch ${batch.id} is not recorded as SUBMITTED yet`);
  }

  async function rejectBatch(tx: DbOrTx, batch: BatchRow, reason: string | undefined, fileId: string): Promise<void> {
    const t = transitionBatch(batch.status as BatchStatus, { kind: 'ACK1', status: 'RJCT', reason, message: reasonMessage(reason) });
    if (!t.ok) throw new AckRejected(`ACK1 RJCT for batch ${batch.id}: ${t.message}`);
    const now = isoAt(clock());
    const code = t.failure!.code;
    await tx.updateTable('batches').set({ status: t.to, bank_stage: 'ACK1', failure_code: code, failure_message: t.failure!.message, updated_at: now }).where('id', '=', batch.id).execute();
    const payments = await tx.selectFrom('payments').selectAll().where('batch_id', '=', batch.id).orderBy('id').execute();
    const failed: PaymentRow[] = [];
    for (const p of payments) {
      const pt = transition(p.status as PaymentStatus, { kind: 'ACK', stage: 'ACK1', status: 'RJCT', reason: code, message: reasonMessage(reason) });
      if (!pt.ok) throw new AckRejected(`payment ${p.id}: ${pt.message}`);
      const next = { ...p, status: pt.to, bank_stage: 'ACK1', failure_stage: 'ACK1', failure_code: code, failure_message: pt.failure!.message, updated_at: now };
      await tx.updateTable('payments').set({ status: next.status, bank_stage: 'ACK1', failure_stage: 'ACK1', failure_code: code, failure_message: next.failure_message, updated_at: now }).where('id', '=', p.id).execute();
      await tx.insertInto('payment_status_changes').values({ id: newId('statusChange', clock()), payment_id: p.id, stage: 'ACK1', from_status: p.status, to_status: pt.to, bank_status: 'RJCT', reason_code: code, message: pt.failure!.message, changes: null, bank_file_id: fileId, created_at: now }).execute();
      failed.push(next);
    }
    // Seed order: the batch's rejection first, then each payment's failure.
    const updated = await tx.selectFrom('batches').selectAll().where('id', '=', batch.id).executeTakeFirstOrThrow();
    await outbox.append(tx, { clientId: batch.client_id, type: 'payment-batches.rejected', objectType: 'payment-batch', objectId: batch.id, data: await batches.view(updated, true, tx) });
    for (const p of failed) await outbox.append(tx, { clientId: p.client_id, type: 'payments.failed', objectType: 'payment', objectId: p.id, data: toPayment(p) });
  }

  async function applyGroupStatus(tx: DbOrTx, batch: BatchRow, original: Original, fileId: string): Promise<void> {
    const status = original.groupStatus!;
    if (batch.bank_stage === 'ACK1') {
      // A repeated ACK1 is harmless if it says the same thing.
      const sameVerdict = (status === 'RJCT') === (batch.status === 'FAILED');
      if (!sameVerdict) throw new AckRejected(`batch ${batch.id} already has an ACK1 with another verdict`);
      return;
    }
    if (status === 'RJCT') return rejectBatch(tx, batch, original.groupReasons[0], fileId);
    const t = transitionBatch(batch.status as BatchStatus, { kind: 'ACK1', status });
    if (!t.ok) throw new AckRejected(`ACK1 ${status} for batch ${batch.id}: ${t.message}`);
    await tx.updateTable('batches').set({ bank_stage: 'ACK1', updated_at: isoAt(clock()) }).where('id', '=', batch.id).execute();
    batch.bank_stage = 'ACK1';
  }

  /** The batch's payments by id and by customer reference (each names one payment of the client). */
  async function paymentsOf(tx: DbOrTx, batchId: string) {
    const rows = await tx.selectFrom('payments').selectAll().where('batch_id', '=', batchId).execute();
    return { byId: new Map(rows.map((p) => [p.id, p])), byReference: new Map(rows.map((p) => [p.customer_reference, p])) };
  }

  /** The stage and event of a transaction status, for the payment as it stands when applied. */
  function decision(t: Tx) {
    return (payment: PaymentRow) => {
      const passedAck2 = payment.bank_stage === 'ACK2' || payment.bank_stage === 'ACK3';
      const report: BankReport = { stage: inferStage(t.status!, passedAck2), status: t.status!, ...ackChangesOf(t) };
      if (t.reasons[0]) report.reason = t.reasons[0];
      return { stage: report.stage, event: eventOf(report) };
    };
  }

  /** Every transaction status of one original file, applied together (a few statements, not a few per payment). */
  async function applyTransactions(tx: DbOrTx, batch: BatchRow, transactions: readonly Tx[], fileId: string): Promise<void> {
    const payments = await paymentsOf(tx, batch.id);
    const changes: PaymentChange[] = transactions.map((t) => {
      let payment: PaymentRow | undefined;
      if (t.originalInstructionId) payment = payments.byId.get(t.originalInstructionId);
      else if (t.originalEndToEndId) payment = payments.byReference.get(t.originalEndToEndId);
      else throw new AckRejected('a transaction status names no payment (no OrgnlInstrId or OrgnlEndToEndId)');
      if (!payment) throw new AckRejected(`unknown payment ${t.originalInstructionId ?? t.originalEndToEndId} in batch ${batch.id}`);
      if (!t.status) throw new AckRejected(`no status for payment ${payment.id}`);
      return { row: payment, decide: decision(t) };
    });
    const results = await transitions.applyAllIn(tx, changes, fileId);
    results.forEach((result, i) => {
      if (typeof result === 'object') throw new AckRejected(`payment ${changes[i]!.row.id}: ${result.message}`);
    });
    crashPoint('mid-ack-apply');
  }

  async function completeIfDone(tx: DbOrTx, batchId: string): Promise<void> {
    const batch = await tx.selectFrom('batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
    if (batch.status !== 'SUBMITTED' || batch.bank_stage !== 'ACK1') return;
    const open = await tx.selectFrom('payments').select('id').where('batch_id', '=', batchId).where('status', 'in', ['PROCESSING', 'SUBMITTED']).limit(1).executeTakeFirst();
    if (open) return;
    const t = transitionBatch('SUBMITTED', { kind: 'ALL_PAYMENTS_FINAL' });
    if (t.ok) await tx.updateTable('batches').set({ status: t.to, updated_at: isoAt(clock()) }).where('id', '=', batchId).where('status', '=', 'SUBMITTED').execute();
  }

  return {
    /** Applies a whole report inside `tx`; throws AckRejected (rolling back) when it cannot. */
    async apply(tx: DbOrTx, report: Pain002Report, fileId: string): Promise<void> {
      if (report.originals.length === 0) throw new AckRejected('the report names no original message');
      for (const original of report.originals) {
        const batch = await batchOf(tx, original);
        if (original.groupStatus && original.transactions.length === 0) {
          await applyGroupStatus(tx, batch, original, fileId);
          continue;
        }
        if (original.groupStatus === 'RJCT') {
          await applyGroupStatus(tx, batch, original, fileId);
          continue;
        }
        if (batch.bank_stage !== 'ACK1' || batch.status === 'FAILED') {
          throw new AckRejected(`payment statuses for batch ${batch.id} before the bank accepted its file (out of order)`);
        }
        await applyTransactions(tx, batch, original.transactions, fileId);
        await completeIfDone(tx, batch.id);
      }
    },
  };
}

export type AckApplier = ReturnType<typeof createAckApplier>;
