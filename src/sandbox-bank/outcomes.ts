// The sandbox bank's test-mode rules (SPEC §8), shared by its API and file transports. It accepts
// everything except these receiver account numbers (any bank):
//   000000000 → fails at ACK2, AC01        000000001 → fails at ACK3, AC04
//   000000002 → rejected at ACK1 (a whole batch; a single payment fails)
//   000000003 → accepted with changes: next business day and a bank charge
// A date that is not a business day of the rail, or today after its cut-off, rolls to the next
// business day and is reported with ACWC.
import type { BankReport } from '../bank/reports.ts';
import type { RailType } from '../rails/rails.ts';

export const MAGIC_ACCOUNTS = {
  failAtAck2: '000000000',
  failAtAck3: '000000001',
  rejectAtAck1: '000000002',
  acceptWithChanges: '000000003',
} as const;

/** The charge the sandbox adds for 000000003, in minor units of the payment currency. */
export const SANDBOX_CHARGE_MINOR_UNITS = 500;

/** What the sandbox needs of a payment to decide its fate. */
export interface SandboxPayment {
  type: RailType;
  currency: string;
  paymentDate: string;
  receiverAccountNumber?: string;
}

/** Value dates as the sandbox sees them (the business-day calendar of the rail). */
export interface SandboxCalendar {
  /** The date the bank will use for `requested` if it received the payment at `receivedAt`. */
  valueDateFor(rail: RailType, requested: string, receivedAt: number): string;
  nextBusinessDay(rail: RailType, date: string): string;
}

/** True when the file/batch containing this payment is rejected at ACK1. */
export function rejectsAtAck1(p: SandboxPayment): boolean {
  return p.receiverAccountNumber === MAGIC_ACCOUNTS.rejectAtAck1;
}

/** The per-payment reports (ACK2 and ACK3) the sandbox sends for a payment whose batch passed ACK1. */
export function paymentReports(p: SandboxPayment, receivedAt: number, calendar: SandboxCalendar): BankReport[] {
  const account = p.receiverAccountNumber;
  // A payment rejected at ACK2 has no ACK3.
  if (account === MAGIC_ACCOUNTS.failAtAck2) return [{ stage: 'ACK2', status: 'RJCT', reason: 'AC01' }];
  const valueDate = calendar.valueDateFor(p.type, p.paymentDate, receivedAt);
  let ack2: BankReport =
    valueDate === p.paymentDate ? { stage: 'ACK2', status: 'ACCP' } : { stage: 'ACK2', status: 'ACWC', reason: 'DT06', actualPaymentDate: valueDate };
  if (account === MAGIC_ACCOUNTS.failAtAck3) return [ack2, { stage: 'ACK3', status: 'RJCT', reason: 'AC04' }];
  if (account === MAGIC_ACCOUNTS.acceptWithChanges) {
    // SPEC §8: the payment's date moves to the next business day after it (a Saturday's to Monday).
    const moved = calendar.nextBusinessDay(p.type, p.paymentDate);
    ack2 = { stage: 'ACK2', status: 'ACWC', reason: 'DT06', actualPaymentDate: moved };
    return [
      ack2,
      { stage: 'ACK3', status: 'ACWC', reason: 'DT06', actualPaymentDate: moved, charge: { amount: SANDBOX_CHARGE_MINOR_UNITS, currency: p.currency } },
    ];
  }
  return [ack2, { stage: 'ACK3', status: 'ACSC', ...(valueDate !== p.paymentDate && { actualPaymentDate: valueDate }) }];
}
