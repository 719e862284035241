// What a bank says about a payment, whichever transport carried it (API answer or pain.002 file).
// Terminology: ACK1 = file/batch accepted or rejected; ACK2 = bank validation per payment;
// ACK3 = clearing result per payment. ACWC = accepted with changes (new date, charges).

/** The acknowledgement stages: defined here once (the state machine and the status table import it). */
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

// Readable messages for the ISO 20022 ExternalStatusReason1Code values payrail meets most; the
// code itself is what to match on, and the bank's own text (AddtlInf) wins over these when given.
const REASON_MESSAGES: Readonly<Record<string, string>> = {
  AB05: 'Transaction stopped: clearing timed out',
  AB08: 'Creditor agent offline',
  AC01: 'Incorrect account number',
  AC02: 'Invalid debtor account number',
  AC03: 'Invalid creditor account number',
  AC04: 'Closed account number',
  AC05: 'Closed debtor account number',
  AC06: 'Blocked account',
  AC07: 'Closed creditor account number',
  AC13: 'Invalid debtor account type',
  AG01: 'Transaction forbidden on this account',
  AG02: 'Invalid bank operation code',
  AG03: 'Transaction type not supported',
  AM01: 'Amount is zero',
  AM02: 'Amount exceeds the allowed maximum',
  AM03: 'Currency not allowed',
  AM04: 'Insufficient funds',
  AM05: 'Duplication',
  AM09: 'Wrong amount',
  AM10: 'Invalid control sum',
  AM12: 'Invalid amount',
  AM21: 'Amount exceeds the clearing system limit',
  BE01: 'Creditor name does not match the account',
  BE04: 'Missing creditor address',
  BE05: 'Unrecognised initiating party',
  BE06: 'Unknown end customer',
  BE07: 'Missing debtor address',
  CH03: 'Requested execution date too far in the future',
  CH04: 'Requested execution date too far in the past',
  CH16: 'Content is not valid',
  CH17: 'Element is not admitted',
  CNOR: 'Creditor bank is not registered in the clearing system',
  CURR: 'Incorrect currency',
  CUST: "Cancelled at the customer's request",
  DNOR: 'Debtor bank is not registered in the clearing system',
  DS02: 'Order cancelled',
  DS0H: 'Signer not allowed to sign for this account',
  DT01: 'Invalid date',
  DT06: 'Execution date changed',
  DUPL: 'Duplicate payment',
  ED05: 'Settlement failed',
  FF01: 'Invalid file format',
  FF02: 'Syntax error',
  FF05: 'Invalid local instrument',
  FOCR: 'Return following a cancellation request',
  MS02: 'Reason not specified by the customer',
  MS03: 'Reason not specified',
  NARR: 'Narrative reason',
  NOAS: 'No answer from the customer',
  RC01: 'Bank identifier incorrect',
  RC07: 'Invalid creditor bank identifier',
  RF01: 'Transaction reference not unique',
  RR01: 'Missing debtor account or identification (regulatory)',
  RR02: 'Missing debtor name or address (regulatory)',
  RR03: 'Missing creditor name or address (regulatory)',
  RR04: 'Regulatory reason',
  SL01: 'Specific service offered by the debtor bank',
  TM01: 'Received after the cut-off time',
};

/** The meaning of a reason code, or a generic sentence naming it. */
export function reasonMessage(code: string | undefined): string {
  if (!code) return 'Rejected by the bank';
  return (Object.hasOwn(REASON_MESSAGES, code) ? REASON_MESSAGES[code] : undefined) ?? `Rejected by the bank (${code})`;
}
