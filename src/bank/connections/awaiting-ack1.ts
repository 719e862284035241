// The one rule for "an out file the bank has not acknowledged yet" (BANKS.md §1, SPEC §9): a file
// uploaded over an endpoint and
// - for a batch's file: its batch SUBMITTED and not yet at ACK1 or later;
// - for a file of live single payments (no batch): no verdict from the bank on the file yet.
// A connection's state counts these files (awaiting ACK1, overdue) and the overdue watch raises
// those past the connection's ack timeout; both read them through this query.
import type { DbOrTx } from '../../store/database.ts';

const ACCEPTED_STAGES = ['ACK1', 'ACK2', 'ACK3'];

/** Out files awaiting their ACK1 (batches joined; select what you need, add your own conditions). */
export function outFilesAwaitingAck1(db: DbOrTx) {
  return (
    db
      .selectFrom('bank_files')
      .leftJoin('batches', 'batches.id', 'bank_files.batch_id')
      .where('bank_files.direction', '=', 'out')
      .where('bank_files.state', '=', 'uploaded')
      .where('bank_files.connection_id', 'is not', null)
      // A batch's status is there only for a batch's file: the first branch is the batch files'.
      .where((eb) =>
        eb.or([
          eb.and([eb('batches.status', '=', 'SUBMITTED'), eb.or([eb('batches.bank_stage', 'is', null), eb('batches.bank_stage', 'not in', ACCEPTED_STAGES)])]),
          eb.and([eb('bank_files.batch_id', 'is', null), eb('bank_files.verdict', 'is', null)]),
        ]),
      )
  );
}
