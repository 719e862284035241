// What a bank says about a payment, whichever transport carried it (API answer or pain.002 file).
// Terminology: ACK1 = file/batch accepted or rejected; ACK2 = bank validation per payment;
// ACK3 = clearing result per payment. ACWC = accepted with changes (new date, charges).

export type AckStage = 'ACK1' | 'ACK2' | 'ACK3';

/** One status the bank reported for one payment at one stage. */
export interface BankReport {
  stage: AckStage;
  /** ISO 20022 status code: ACTC, RCVD, ACCP, ACSP, PDNG, ACSC, ACCC, ACWC, RJCT… (open set). */
  status: string;
  /** ISO 20022 status reason code (AC01, AC04, DT06…), when given. */
  reason?: string;
  /** The value date the bank will use, when it changed it (ACWC). */
  actualPaymentDate?: string;
  /** A bank charge in minor units, when the bank added one (ACWC). */
  charge?: { amount: number; currency: string };
}

// Readable messages for the reason codes payrail meets most; the code itself is what to match on.
const REASON_MESSAGES: Record<string, string> = {
  AC01: 'Incorrect account number',
  AC03: 'Invalid creditor account number',
  AC04: 'Closed account number',
  AC06: 'Blocked account',
  AG01: 'Transaction forbidden on this account',
  AM04: 'Insufficient funds',
  AM05: 'Duplication',
  AM10: 'Invalid control sum',
  BE04: 'Missing creditor address',
  DS02: 'Order cancelled',
  DT06: 'Execution date changed',
  DUPL: 'Duplicate payment',
  FF01: 'Invalid file format',
  MS03: 'Reason not specified',
  NARR: 'Narrative reason',
  RC01: 'Bank identifier incorrect',
  RR04: 'Regulatory reason',
};

export function reasonMessage(code: string | undefined): string {
  if (!code) return 'Rejected by the bank';
  return REASON_MESSAGES[code] ?? `Rejected by the bank (${code})`;
}
