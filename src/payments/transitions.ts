// Status changes of payments, applied in a transaction that re-reads the row, asks the state
// machine, updates the row only if it is still in the status it was read in, records the history
// row (unique per payment and stage, so a re-read acknowledgement cannot apply twice) and writes
// the outbox event — all or nothing.
import type { BankReport } from '../bank/reports.ts';
import { reasonMessage } from '../bank/reports.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Outbox } from '../events/outbox.ts';
import { newId } from '../ids.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import type { PaymentRow } from '../store/schema.ts';
import { transition } from './state-machine.ts';
import type { PaymentEvent, PaymentStatus, Transition } from './state-machine.ts';
import { toPayment } from './view.ts';

/** What happened to one report: applied, already applied before, or refused (with why). */
export type ApplyResult = 'applied' | 'duplicate' | 'unknown-payment' | { refused: string; message: string };

export interface TransitionsDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
}

function updatedRow(row: PaymentRow, t: Transition<PaymentStatus>, stage: string, now: string): PaymentRow {
  return {
    ...row,
    status: t.to,
    bank_stage: stage,
    actual_payment_date: t.changes?.actualPaymentDate ?? row.actual_payment_date,
    bank_charge_amount: t.changes?.bankChargeAmount ?? row.bank_charge_amount,
    bank_charge_currency: t.changes?.bankChargeCurrency ?? row.bank_charge_currency,
    failure_stage: t.failure?.stage ?? row.failure_stage,
    failure_code: t.failure?.code ?? row.failure_code,
    failure_message: t.failure?.message ?? row.failure_message,
    lease_owner: null,
    lease_until: null,
    updated_at: now,
  };
}

export function eventOf(report: BankReport): PaymentEvent {
  const changes: { actualPaymentDate?: string; bankChargeAmount?: number; bankChargeCurrency?: string } = {};
  if (report.actualPaymentDate) changes.actualPaymentDate = report.actualPaymentDate;
  if (report.charge) Object.assign(changes, { bankChargeAmount: report.charge.amount, bankChargeCurrency: report.charge.currency });
  return {
    kind: 'ACK',
    stage: report.stage,
    status: report.status,
    ...(report.reason !== undefined && { reason: report.reason }),
    ...(report.status === 'RJCT' && { message: reasonMessage(report.reason) }),
    ...(Object.keys(changes).length > 0 && { changes }),
  };
}

export function createPaymentTransitions({ db, clock, outbox }: TransitionsDeps) {
  /** Applies one event to a payment row inside `tx`. */
  async function applyIn(tx: DbOrTx, row: PaymentRow, stage: string, event: PaymentEvent, bankFileId: string | null = null): Promise<ApplyResult> {
    const seen = await tx.selectFrom('payment_status_changes').select('id').where('payment_id', '=', row.id).where('stage', '=', stage).executeTakeFirst();
    if (seen) return 'duplicate';
    const t = transition(row.status as PaymentStatus, event);
    if (!t.ok) return { refused: t.code, message: t.message };
    const now = isoAt(clock());
    const next = updatedRow(row, t, stage, now);
    const { id: _id, client_id: _c, created_at: _t, ...changes } = next;
    const r = await tx.updateTable('payments').set(changes).where('id', '=', row.id).where('status', '=', row.status).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return { refused: 'CONCURRENT_UPDATE', message: 'the payment changed meanwhile' };
    await tx
      .insertInto('payment_status_changes')
      .values({
        id: newId('statusChange', clock()),
        payment_id: row.id,
        stage,
        from_status: t.from,
        to_status: t.to,
        bank_status: t.cause.bankStatus ?? null,
        reason_code: t.cause.reasonCode ?? null,
        message: t.cause.message ?? null,
        changes: t.changes ? JSON.stringify(t.changes) : null,
        bank_file_id: bankFileId,
        created_at: now,
      })
      .execute();
    if (t.to !== t.from && (t.to === 'COMPLETED' || t.to === 'FAILED')) {
      const type = t.to === 'COMPLETED' ? 'payments.succeeded' : 'payments.failed';
      await outbox.append(tx, { clientId: row.client_id, type, objectType: 'payment', objectId: row.id, data: toPayment(next) });
    }
    return 'applied';
  }

  async function inTransaction(paymentId: string, fn: (tx: DbOrTx, row: PaymentRow) => Promise<ApplyResult>): Promise<ApplyResult> {
    return db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
      return row ? fn(tx, row) : 'unknown-payment';
    });
  }

  return {
    applyIn,

    /** PROCESSING → SUBMITTED: the bank has the payment. */
    markSubmitted(paymentId: string): Promise<ApplyResult> {
      return inTransaction(paymentId, (tx, row) => applyIn(tx, row, 'SUBMITTED', { kind: 'SUBMITTED' }));
    },

    /** Applies a bank report (ACK1/2/3) to a payment. */
    applyReport(paymentId: string, report: BankReport, bankFileId: string | null = null): Promise<ApplyResult> {
      return inTransaction(paymentId, (tx, row) => applyIn(tx, row, report.stage, eventOf(report), bankFileId));
    },
  };
}

export type PaymentTransitions = ReturnType<typeof createPaymentTransitions>;
