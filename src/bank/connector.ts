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

/**
 * Thrown by `submitPayment` when the instruction can never be accepted as it stands (the bank
 * refuses it as malformed): the payment then fails instead of being retried. Any other error is
 * taken as passing (a timeout, a 5xx) and the call is repeated.
 */
export class PermanentSubmitError extends Error {
  override name = 'PermanentSubmitError';
}

/** Single payments over the bank's API. Both calls are safe to repeat. */
export interface ApiTransport {
  /** Hands a payment to the bank; submitting the same payment id again changes nothing. */
  submitPayment(instruction: PaymentInstruction): Promise<void>;
  /** Every status the bank has reported for the payment so far, in stage order. */
  paymentReports(paymentId: string): Promise<BankReport[]>;
  /**
   * Optional, for a bank that takes many at once: hands every payment to the bank, all or none
   * (on an error the caller submits them one by one). Repeating one changes nothing.
   */
  submitPayments?(instructions: readonly PaymentInstruction[]): Promise<void>;
  /** Optional: the reports of many payments in one call (a payment the bank does not know: none). */
  paymentReportsOf?(paymentIds: readonly string[]): Promise<Map<string, BankReport[]>>;
}

/**
 * The bank's file exchange (host-to-host): payrail puts pain.001 files into the bank's `outbox`
 * folder and reads pain.002 acknowledgements from its `inbox` folder. The same layout serves the
 * embedded default (`<data dir>/bank/{outbox,inbox}` on local disk) and an SFTP server.
 */
export interface FileTransport {
  /**
   * Delivers a file into the bank's outbox whole (written under a temporary name, then renamed).
   * If a file of that name is already there (a repeated upload after a crash) nothing is written.
   * Text is written as UTF-8; bytes (an OpenPGP file) as they are.
   */
  upload(name: string, content: string | Uint8Array): Promise<void>;
  /** True when the bank already has a file of that name in its outbox. */
  has(name: string): Promise<boolean>;
  /** Names of the acknowledgement files waiting in the inbox, oldest first (by name). */
  listInbox(): Promise<string[]>;
  /**
   * The bytes of one inbox file, as the bank wrote them: a report may be UTF-16, and a file is
   * identified by the SHA-256 of exactly these bytes.
   */
  readInbox(name: string): Promise<Buffer>;
  /** Moves an applied inbox file to the archive (kept as the audit trail). */
  archive(name: string): Promise<void>;
  /** Moves an inbox file that could not be applied aside, with the reason written next to it. */
  reject(name: string, reason: string): Promise<void>;
  close(): Promise<void>;
}
