// The approval hold (SPEC §10): nothing of a batch or payment awaiting approval reaches the bank.
// One predicate says which rows a worker may claim: those that need no approval (approval_status
// null) or whose approval is given (APPROVED). Every claim of work for the bank uses it: the batch
// dispatcher's and the single-payment worker's (src/workers/claim.ts), and the file collector's. A
// rejected or expired item is FAILED, so the status condition of a claim excludes it anyway.
import { sql } from 'kysely';
import type { Expression, SqlBool } from 'kysely';

/** The approval statuses a row has while it waits or once decided (null: no approval needed). */
export const APPROVAL_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * `where(claimableUnderApproval())`: the row needs no approval, or has it. For a single-table query
 * of `payments` or `batches` (both have the column); pass the table's alias when the query joins.
 */
export function claimableUnderApproval(table?: 'payments' | 'batches'): Expression<SqlBool> {
  const column = sql.ref(table ? `${table}.approval_status` : 'approval_status');
  return sql<SqlBool>`(${column} is null or ${column} = 'APPROVED')`;
}

/** The same test on a row already read. */
export function isClaimableUnderApproval(row: { approval_status: string | null }): boolean {
  return row.approval_status === null || row.approval_status === 'APPROVED';
}
