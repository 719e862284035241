// Failing a batch as a whole: the one way the dispatcher (an unwritable file, stage SUBMISSION),
// the approvals (rejected or expired, stage APPROVAL) and the acknowledgements (the bank rejected
// the file) move a batch to FAILED and write `payment-batches.rejected`. Its payments fail through
// the payments' transitions (transitions.applyAllIn), which run this in their `beforeEvents` hook:
// the seed's order is the batch's event first, then a `payments.failed` per payment.
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Outbox } from '../events/outbox.ts';
import { transitionBatch } from '../payments/state-machine.ts';
import type { ApprovalFailed, BatchEvent, BatchStatus, SubmissionFailed } from '../payments/state-machine.ts';
import type { DbOrTx } from '../store/database.ts';
import type { BatchRow } from '../store/schema.ts';
import type { BatchesService } from './service.ts';

export interface FailBatchDeps {
  clock: Clock;
  outbox: Outbox;
  batches: BatchesService;
}

/** Why and where a batch fails. */
export interface BatchFailure {
  /** The state machine's event: it gives the failure's code and message. */
  event: SubmissionFailed | ApprovalFailed | Extract<BatchEvent, { kind: 'ACK1' }>;
  /** The batch's bank_stage, which its failure.stage shows (SUBMISSION, APPROVAL, ACK1, ACK2, ACK3). */
  stage: string | null;
  /** The status the batch must still be in: it changes only if it is. */
  from: BatchStatus;
}

/**
 * Inside `tx`: the batch FAILED with the event's code and message, its lease released, then
 * `payment-batches.rejected` with the batch view. False (nothing written) when the state machine
 * refuses the event or the batch is no longer in `from`.
 */
export async function failBatch(
  tx: DbOrTx,
  { clock, outbox, batches }: FailBatchDeps,
  batch: BatchRow,
  { event, stage, from }: BatchFailure,
): Promise<boolean> {
  const t = transitionBatch(batch.status as BatchStatus, event);
  if (!t.ok) return false;
  const r = await tx
    .updateTable('batches')
    .set({
      status: t.to,
      bank_stage: stage,
      failure_code: t.failure!.code,
      failure_message: t.failure!.message,
      lease_owner: null,
      lease_until: null,
      updated_at: isoAt(clock()),
    })
    .where('id', '=', batch.id)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  const updated = await tx.selectFrom('batches').selectAll().where('id', '=', batch.id).executeTakeFirstOrThrow();
  await outbox.append(tx, {
    clientId: batch.client_id,
    type: 'payment-batches.rejected',
    objectType: 'payment-batch',
    objectId: batch.id,
    data: await batches.view(updated, true, tx),
  });
  return true;
}
