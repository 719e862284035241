// Files the bank has not acknowledged in time (BANKS.md §1, SPEC §9): an out file of a live
// connection with no ACK1 once the connection's ack timeout has passed since its upload raises,
// once per file, the event `bank-files.overdue` (data: the batch — for a file of live single
// payments, one event per payment with the payment as data; written in the same transaction that
// marks the file overdue), an error-level log line, and the overdue metric. The batch or payment
// itself is unchanged: a late acknowledgement is applied as any other. A file whose connection has
// been removed since it was sent is still watched, with the default timeout (120 minutes).
import type { Logger } from 'pino';
import type { Clock } from '../../clock.ts';
import { isoAt } from '../../clock.ts';
import type { NewEvent, Outbox } from '../../events/outbox.ts';
import type { BatchesService } from '../../batches/service.ts';
import type { Db, DbOrTx } from '../../store/database.ts';
import { toPayment } from '../../payments/view.ts';
import { outFilesAwaitingAck1 } from './awaiting-ack1.ts';
import { DEFAULT_ACK_TIMEOUT_MINUTES, SANDBOX_ENDPOINT_ID } from './validation.ts';

export interface OverdueDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  batches: Pick<BatchesService, 'view'>;
  logger: Logger;
  /** Told once per file that became overdue (the overdue counter). */
  onOverdue?(connectionId: string): void;
}

/** A file's ack timeout: its connection's, or the default when the connection has been removed since. */
function timeoutOf(file: { ack_timeout_minutes: number | null }): number {
  return file.ack_timeout_minutes ?? DEFAULT_ACK_TIMEOUT_MINUTES;
}

export function createOverdueWatch({ db, clock, outbox, batches, logger, onOverdue }: OverdueDeps) {
  /**
   * What a file becoming overdue raises: for a batch's file, one event with the batch; for a file
   * of live single payments, one per payment of it still SUBMITTED.
   */
  async function overdueEvents(tx: DbOrTx, file: { id: string; batch_id: string | null }): Promise<NewEvent[]> {
    if (file.batch_id !== null) {
      const batch = await tx.selectFrom('batches').selectAll().where('id', '=', file.batch_id).executeTakeFirstOrThrow();
      return [
        { clientId: batch.client_id, type: 'bank-files.overdue', objectType: 'payment-batch', objectId: batch.id, data: await batches.view(batch, true, tx) },
      ];
    }
    const payments = await tx.selectFrom('payments').selectAll().where('bank_file_id', '=', file.id).where('status', '=', 'SUBMITTED').orderBy('id').execute();
    return payments.map((p) => ({ clientId: p.client_id, type: 'bank-files.overdue', objectType: 'payment', objectId: p.id, data: toPayment(p) }));
  }

  return {
    /** Raises every file that became overdue since the last pass; returns how many. */
    async tick(): Promise<number> {
      const candidates = await outFilesAwaitingAck1(db)
        .leftJoin('bank_connections', 'bank_connections.id', 'bank_files.connection_id')
        .select([
          'bank_files.id',
          'bank_files.name',
          'bank_files.batch_id',
          'bank_files.connection_id',
          'bank_files.uploaded_at',
          'bank_connections.ack_timeout_minutes',
        ])
        .where('bank_files.connection_id', '!=', SANDBOX_ENDPOINT_ID)
        .where('bank_files.overdue_at', 'is', null)
        .orderBy('bank_files.id')
        .execute();
      let raised = 0;
      for (const file of candidates) {
        if (file.uploaded_at === null || Date.parse(file.uploaded_at) + timeoutOf(file) * 60_000 > clock()) continue;
        const now = isoAt(clock());
        const marked = await db.transaction().execute(async (tx) => {
          const r = await tx.updateTable('bank_files').set({ overdue_at: now }).where('id', '=', file.id).where('overdue_at', 'is', null).executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) return false; // another instance raised it
          await outbox.appendMany(tx, await overdueEvents(tx, file));
          return true;
        });
        if (!marked) continue;
        raised++;
        onOverdue?.(file.connection_id!);
        logger.error(
          {
            connection: file.connection_id,
            file: file.name,
            ...(file.batch_id !== null && { batchId: file.batch_id }),
            uploadedAt: file.uploaded_at,
            ackTimeoutMinutes: timeoutOf(file),
          },
          'bank file overdue: no ACK1 from the bank within the connection ack timeout',
        );
      }
      return raised;
    },
  };
}
