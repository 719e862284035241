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
import type { Outbox } from '../../events/outbox.ts';
import type { BatchesService } from '../../batches/service.ts';
import type { Db } from '../../store/database.ts';
import { toPayment } from '../../payments/view.ts';
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

const ACCEPTED_STAGES = ['ACK1', 'ACK2', 'ACK3'];

/** A file's ack timeout: its connection's, or the default when the connection has been removed since. */
function timeoutOf(file: { ack_timeout_minutes: number | null }): number {
  return file.ack_timeout_minutes ?? DEFAULT_ACK_TIMEOUT_MINUTES;
}

export function createOverdueWatch({ db, clock, outbox, batches, logger, onOverdue }: OverdueDeps) {
  return {
    /** Raises every file that became overdue since the last pass; returns how many. */
    async tick(): Promise<number> {
      const candidates = await db
        .selectFrom('bank_files')
        .leftJoin('bank_connections', 'bank_connections.id', 'bank_files.connection_id')
        .innerJoin('batches', 'batches.id', 'bank_files.batch_id')
        .select([
          'bank_files.id',
          'bank_files.name',
          'bank_files.batch_id',
          'bank_files.connection_id',
          'bank_files.uploaded_at',
          'bank_connections.ack_timeout_minutes',
        ])
        .where('bank_files.direction', '=', 'out')
        .where('bank_files.connection_id', 'is not', null)
        .where('bank_files.connection_id', '!=', SANDBOX_ENDPOINT_ID)
        .where('bank_files.state', '=', 'uploaded')
        .where('bank_files.overdue_at', 'is', null)
        .where('batches.status', '=', 'SUBMITTED')
        .where((eb) => eb.or([eb('batches.bank_stage', 'is', null), eb('batches.bank_stage', 'not in', ACCEPTED_STAGES)]))
        .execute();
      let raised = 0;
      for (const file of candidates) {
        if (file.uploaded_at === null || Date.parse(file.uploaded_at) + timeoutOf(file) * 60_000 > clock()) continue;
        const now = isoAt(clock());
        const batchId = file.batch_id!;
        const marked = await db.transaction().execute(async (tx) => {
          const r = await tx.updateTable('bank_files').set({ overdue_at: now }).where('id', '=', file.id).where('overdue_at', 'is', null).executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) return false; // another instance raised it
          const batch = await tx.selectFrom('batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
          await outbox.append(tx, {
            clientId: batch.client_id,
            type: 'bank-files.overdue',
            objectType: 'payment-batch',
            objectId: batchId,
            data: await batches.view(batch, true, tx),
          });
          return true;
        });
        if (!marked) continue;
        raised++;
        onOverdue?.(file.connection_id!);
        logger.error(
          { connection: file.connection_id, file: file.name, batchId, uploadedAt: file.uploaded_at, ackTimeoutMinutes: timeoutOf(file) },
          'bank file overdue: no ACK1 from the bank within the connection ack timeout',
        );
      }
      return raised + (await singlePaymentFiles());
    },
  };

  /** Files of live single payments (no batch): overdue while the bank has given no verdict on the file. */
  async function singlePaymentFiles(): Promise<number> {
    const candidates = await db
      .selectFrom('bank_files')
      .leftJoin('bank_connections', 'bank_connections.id', 'bank_files.connection_id')
      .select(['bank_files.id', 'bank_files.name', 'bank_files.connection_id', 'bank_files.uploaded_at', 'bank_connections.ack_timeout_minutes'])
      .where('bank_files.direction', '=', 'out')
      .where('bank_files.batch_id', 'is', null)
      .where('bank_files.connection_id', 'is not', null)
      .where('bank_files.connection_id', '!=', SANDBOX_ENDPOINT_ID)
      .where('bank_files.state', '=', 'uploaded')
      .where('bank_files.overdue_at', 'is', null)
      .where('bank_files.verdict', 'is', null)
      .execute();
    let raised = 0;
    for (const file of candidates) {
      if (file.uploaded_at === null || Date.parse(file.uploaded_at) + timeoutOf(file) * 60_000 > clock()) continue;
      const now = isoAt(clock());
      const marked = await db.transaction().execute(async (tx) => {
        const r = await tx.updateTable('bank_files').set({ overdue_at: now }).where('id', '=', file.id).where('overdue_at', 'is', null).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false; // another instance raised it
        const payments = await tx
          .selectFrom('payments')
          .selectAll()
          .where('bank_file_id', '=', file.id)
          .where('status', '=', 'SUBMITTED')
          .orderBy('id')
          .execute();
        await outbox.appendMany(
          tx,
          payments.map((p) => ({
            clientId: p.client_id,
            type: 'bank-files.overdue' as const,
            objectType: 'payment' as const,
            objectId: p.id,
            data: toPayment(p),
          })),
        );
        return true;
      });
      if (!marked) continue;
      raised++;
      onOverdue?.(file.connection_id!);
      logger.error(
        { connection: file.connection_id, file: file.name, uploadedAt: file.uploaded_at, ackTimeoutMinutes: timeoutOf(file) },
        'bank file overdue: no ACK1 from the bank within the connection ack timeout',
      );
    }
    return raised;
  }
}
