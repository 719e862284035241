// The bank behind an interface. The API transport carries single payments; the file transport
// (batches as pain.001, acknowledgements as pain.002) comes with batches.
import type { BankReport } from './reports.ts';

/** What the bank needs to execute a single payment. */
export interface PaymentInstruction {
  paymentId: string;
  type: string;
  amount: number;
  currency: string;
  paymentDate: string;
  customerReference: string;
  receiverAccountNumber?: string;
}

/** Single payments over the bank's API. Both calls are safe to repeat. */
export interface ApiTransport {
  /** Hands a payment to the bank; submitting the same payment id again changes nothing. */
  submitPayment(instruction: PaymentInstruction): Promise<void>;
  /** Every status the bank has reported for the payment so far, in stage order. */
  paymentReports(paymentId: string): Promise<BankReport[]>;
}
