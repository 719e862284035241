// A payment's status history: every change with its time and cause (SPEC §3,
// GET /v1/payments/{id}/events).
import { ID_PREFIXES } from '../ids.ts';
import type { PaymentStatusChangeRow } from '../store/schema.ts';
import type { Payment } from './view.ts';

/** One recorded change of a payment. `stage` is the cause: CREATED (API), SUBMITTED, ACK1–3. */
export interface StatusChange {
  id: string;
  stage: string;
  fromStatus: string | null;
  status: string;
  bankStatus?: string;
  reasonCode?: string;
  message?: string;
  changes?: Record<string, unknown>;
  bankFileId?: string;
  /** The name of the bank file the status came in. */
  bankFileName?: string;
  /** Where the bank gave the status: group (GrpSts), paymentInfo (PmtInfSts) or transaction (TxSts). */
  level?: string;
  /** The bank's own words (its AddtlInf lines), when it gave any. */
  reasonText?: string;
  createdAt: string;
}

export function toStatusChange(row: PaymentStatusChangeRow & { bank_file_name?: string | null }): StatusChange {
  const c: StatusChange = { id: row.id, stage: row.stage, fromStatus: row.from_status, status: row.to_status, createdAt: row.created_at };
  if (row.bank_status !== null) c.bankStatus = row.bank_status;
  if (row.reason_code !== null) c.reasonCode = row.reason_code;
  if (row.message !== null) c.message = row.message;
  if (row.changes !== null) c.changes = JSON.parse(row.changes) as Record<string, unknown>;
  if (row.bank_file_id !== null) c.bankFileId = row.bank_file_id;
  if (row.bank_file_name != null) c.bankFileName = row.bank_file_name;
  if (row.level !== null) c.level = row.level;
  if (row.reason_text !== null) c.reasonText = row.reason_text;
  return c;
}

/**
 * The first entry of a payment's history: created by the API, PROCESSING. It is not stored: the
 * payment records it (its id and creation time), so creating a 1,000-payment batch writes 1,000
 * rows, not 2,000. Its id is the payment's own ULID under the status-change prefix: stable, and
 * earlier than every change recorded after it.
 */
export function createdChange(payment: Pick<Payment, 'id' | 'createdAt'>): StatusChange {
  return {
    id: `${ID_PREFIXES.statusChange}_${payment.id.slice(payment.id.indexOf('_') + 1)}`,
    stage: 'CREATED',
    fromStatus: null,
    status: 'PROCESSING',
    createdAt: payment.createdAt,
  };
}
