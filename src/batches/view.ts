// The batch object as the API shows it: the seed's fields plus status, payments and summary.
import type { BatchRow } from '../store/schema.ts';
import type { BatchStatus, PaymentStatus } from '../payments/state-machine.ts';
import { storedApproval } from '../approvals/model.ts';
import type { ApprovalView } from '../approvals/model.ts';

export interface BatchPaymentRef {
  id: string;
  status: PaymentStatus;
  customerReference: string;
  amount: number;
}

export interface BatchSummary {
  count: number;
  totalAmount: number;
  processing: number;
  submitted: number;
  completed: number;
  failed: number;
}

/** A batch as clients see it. */
export interface Batch {
  id: string;
  type: string;
  status: BatchStatus;
  paymentDate: string;
  /** The date a late approval rolled the batch to (SPEC §10). */
  actualPaymentDate?: string;
  senderAccountId: string;
  senderAccountCurrency?: string;
  currency: string;
  purpose?: string;
  payments?: BatchPaymentRef[];
  summary: BatchSummary;
  failure?: { stage: string; code: string; message: string };
  /** Present when the batch needs approval (SPEC §10). */
  approval?: ApprovalView;
  createdAt: string;
  updatedAt: string;
}

export type StatusCounts = Partial<Record<PaymentStatus, number>>;

export function toBatch(row: BatchRow, counts: StatusCounts, payments?: BatchPaymentRef[]): Batch {
  const b: Batch = {
    id: row.id,
    type: row.type,
    status: row.status as BatchStatus,
    paymentDate: row.payment_date,
    senderAccountId: row.sender_account_id,
    currency: row.currency,
    summary: {
      count: row.payment_count,
      totalAmount: row.total_amount,
      processing: counts.PROCESSING ?? 0,
      submitted: counts.SUBMITTED ?? 0,
      completed: counts.COMPLETED ?? 0,
      failed: counts.FAILED ?? 0,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.sender_account_currency !== null) b.senderAccountCurrency = row.sender_account_currency;
  if (row.purpose !== null) b.purpose = row.purpose;
  if (payments) b.payments = payments;
  if (row.actual_payment_date != null) b.actualPaymentDate = row.actual_payment_date;
  const approval = storedApproval(row.approval ?? null);
  if (approval) b.approval = approval;
  // A failed batch was rejected by the bank at ACK1; or rejected as a whole after acceptance (the
  // acknowledgement reader records the stage, ACK2 or ACK3, in bank_stage); or never sent because
  // its file could not be written (the dispatcher records that as bank_stage SUBMISSION); or
  // rejected or expired in approval (bank_stage APPROVAL, src/approvals/service.ts).
  if (row.failure_code !== null) b.failure = { stage: failureStageOf(row.bank_stage), code: row.failure_code, message: row.failure_message ?? '' };
  return b;
}

/** Counts of payment statuses from a list of payment refs. */
export function countStatuses(payments: { status: PaymentStatus }[]): StatusCounts {
  const counts: StatusCounts = {};
  for (const p of payments) counts[p.status] = (counts[p.status] ?? 0) + 1;
  return counts;
}

function failureStageOf(bankStage: string | null): string {
  return bankStage === 'SUBMISSION' || bankStage === 'APPROVAL' || bankStage === 'ACK2' || bankStage === 'ACK3' ? bankStage : 'ACK1';
}
