// The payment object as the API shows it (SPEC §3). Fields that do not apply are omitted.
import type { PaymentRow } from '../store/schema.ts';
import { storedApproval } from '../approvals/model.ts';
import type { ApprovalView } from '../approvals/model.ts';
import type { ChargeBearer, Receiver } from './model.ts';
import type { PaymentStatus } from './state-machine.ts';

/** Why a payment failed: the bank stage, its reason code and a readable message. */
export interface PaymentFailure {
  stage: string;
  code: string;
  message: string;
}

/** A payment as clients see it. */
export interface Payment {
  id: string;
  type: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  senderAccountId: string;
  senderAccountCurrency?: string;
  paymentDate: string;
  actualPaymentDate?: string;
  customerReference: string;
  paymentDetails?: string;
  bankChargeBearer?: ChargeBearer;
  purpose?: string;
  receiver: Receiver;
  batchId?: string;
  bankChargeAmount?: number;
  bankChargeCurrency?: string;
  failure?: PaymentFailure;
  /** Present when the payment needs approval (SPEC §10). */
  approval?: ApprovalView;
  createdAt: string;
  updatedAt: string;
}

export function toPayment(row: PaymentRow): Payment {
  const p: Payment = {
    id: row.id,
    type: row.type,
    status: row.status as PaymentStatus,
    amount: row.amount,
    currency: row.currency,
    senderAccountId: row.sender_account_id,
    paymentDate: row.payment_date,
    customerReference: row.customer_reference,
    receiver: JSON.parse(row.receiver) as Receiver,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.sender_account_currency !== null) p.senderAccountCurrency = row.sender_account_currency;
  if (row.actual_payment_date !== null) p.actualPaymentDate = row.actual_payment_date;
  if (row.payment_details !== null) p.paymentDetails = row.payment_details;
  if (row.bank_charge_bearer !== null) p.bankChargeBearer = row.bank_charge_bearer as ChargeBearer;
  if (row.purpose !== null) p.purpose = row.purpose;
  if (row.batch_id !== null) p.batchId = row.batch_id;
  if (row.bank_charge_amount !== null) p.bankChargeAmount = row.bank_charge_amount;
  if (row.bank_charge_currency !== null) p.bankChargeCurrency = row.bank_charge_currency;
  const approval = storedApproval(row.approval ?? null);
  if (approval) p.approval = approval;
  if (row.failure_code !== null) p.failure = { stage: row.failure_stage ?? '', code: row.failure_code, message: row.failure_message ?? '' };
  return p;
}
