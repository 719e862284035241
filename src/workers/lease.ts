// Claiming rows for a worker with a lease: a conditional UPDATE per candidate that succeeds only
// if nobody else claimed the row since it was read (same status, same lease), so two workers
// never take the same row — on SQLite and on PostgreSQL alike, without holding a lock. A row held
// for approval is never claimed (src/approvals/hold.ts).
import { claimableUnderApproval } from '../approvals/hold.ts';
import type { Db } from '../store/database.ts';

/** Tables whose rows workers lease; each has `status`, `lease_owner` and `lease_until`. */
export type LeasedTable = 'payments' | 'batches';

export async function claimLeases<T extends { id: string; lease_until: string | null }>(
  db: Db,
  table: LeasedTable,
  candidates: T[],
  owner: string,
  until: string,
): Promise<T[]> {
  const claimed: T[] = [];
  for (const row of candidates) {
    // Both tables have these columns; Kysely cannot type an update over a union of tables.
    const r = await db
      .updateTable(table as 'payments')
      .set({ lease_owner: owner, lease_until: until })
      .where('id', '=', row.id)
      .where('status', '=', 'PROCESSING')
      .where(claimableUnderApproval())
      .where('lease_until', row.lease_until === null ? 'is' : '=', row.lease_until)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) claimed.push(row);
  }
  return claimed;
}
