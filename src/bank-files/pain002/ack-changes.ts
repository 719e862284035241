// What an acknowledgement changes on a payment besides its status (RAILS.md §3): the value date
// the bank will really use and the charge it takes.
import type { BankReport } from '../../bank/reports.ts';
import type { Pain002Transaction } from './model.ts';

/** The changes one transaction status carries: `actualPaymentDate` and `charge`, when present. */
export type AckChanges = Pick<BankReport, 'actualPaymentDate' | 'charge'>;

/**
 * ACWC's new value date comes from OrgnlTxRef/ReqdExctnDt, else OrgnlTxRef/IntrBkSttlmDt. Only
 * ACWC moves the date: with any other status OrgnlTxRef merely echoes the original instruction.
 * A charge is taken whatever the status (a bank may report one with ACSC); several charges in
 * the currency of the first are added up, charges in other currencies are left out because a
 * payment records one charge amount and currency.
 */
export function ackChangesOf(tx: Pain002Transaction): AckChanges {
  const changes: AckChanges = {};
  const date = tx.requestedExecutionDate ?? tx.interbankSettlementDate;
  if (tx.status === 'ACWC' && date) changes.actualPaymentDate = date;
  const first = tx.charges[0];
  if (first) {
    const amount = tx.charges.filter((c) => c.currency === first.currency).reduce((sum, c) => sum + c.amount, 0);
    changes.charge = { amount, currency: first.currency };
  }
  return changes;
}

/**
 * The changes a transaction status carries for a payment whose requested date is `paymentDate`
 * (BANKS.md §4.8): a charge with any status; a value date with ACWC, or with any other status when
 * it differs from the requested date (with a non-ACWC status OrgnlTxRef often merely echoes the
 * original date, which is no change).
 */
export function ackChangesFor(tx: Pain002Transaction, paymentDate: string): AckChanges {
  const changes = ackChangesOf(tx);
  const date = tx.requestedExecutionDate ?? tx.interbankSettlementDate;
  if (tx.status !== 'ACWC' && date && date !== paymentDate) changes.actualPaymentDate = date;
  return changes;
}
