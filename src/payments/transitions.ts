// Status changes of payments, applied in a transaction that re-reads the row, asks the state
// machine, updates the row only if it is still in the status it was read in, records the history
// row and writes the outbox event — all or nothing. The history row is what makes a change apply
// once: a status from the API transport once per (payment, stage), a status from a bank file once
// per (payment, file, stage, status) — files are applied once each (identified by content).
import type { BankReport } from '../bank/reports.ts';
import { reasonMessage } from '../bank/reports.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { NewEvent, Outbox } from '../events/outbox.ts';
import { newId } from '../ids.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { ROWS_PER_STATEMENT, insertRows } from '../store/insert-rows.ts';
import type { PaymentRow, PaymentStatusChangesTable } from '../store/schema.ts';
import type { Insertable } from 'kysely';
import { copyOfPaymentRow } from './rows.ts';
import { transition } from './state-machine.ts';
import type { PaymentEvent, PaymentStatus, Transition } from './state-machine.ts';
import { isUniqueViolation } from './service.ts';
import { toPayment } from './view.ts';

/** What happened to one report: applied, already applied before, or refused (with why). */
/** `recorded`: a final payment's history got the status (and its date or charge), its status stayed. */
export type ApplyResult = 'applied' | 'recorded' | 'duplicate' | 'unknown-payment' | { refused: string; message: string };

export interface TransitionsDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
}

function updatedRow(row: PaymentRow, t: Transition<PaymentStatus>, stage: string, now: string): PaymentRow {
  const next = copyOfPaymentRow(row);
  next.status = t.to;
  next.bank_stage = stage;
  next.actual_payment_date = t.changes?.actualPaymentDate ?? row.actual_payment_date;
  next.bank_charge_amount = t.changes?.bankChargeAmount ?? row.bank_charge_amount;
  next.bank_charge_currency = t.changes?.bankChargeCurrency ?? row.bank_charge_currency;
  next.failure_stage = t.failure?.stage ?? row.failure_stage;
  next.failure_code = t.failure?.code ?? row.failure_code;
  next.failure_message = t.failure?.message ?? row.failure_message;
  next.lease_owner = null;
  next.lease_until = null;
  next.updated_at = now;
  return next;
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

/** One event to apply to one payment. */
export interface PaymentChange {
  /** The payment as read in this transaction. */
  row: PaymentRow;
  /** The stage and event, decided on the payment as the changes before this one left it. */
  decide(current: PaymentRow): { stage: string; event: PaymentEvent };
  /**
   * A bank file's status for a payment that is already final is still recorded in its history
   * (with the date or charge it carries), instead of being refused: what the bank said is kept.
   */
  recordIfFinal?: boolean;
  /** Where the bank gave the status (group, paymentInfo, transaction) and its own words. */
  level?: string;
  reasonText?: string;
}

/** What applyAllIn does besides the payments: `beforeEvents` runs after the rows are written, before their events. */
export interface ApplyHooks {
  beforeEvents?(tx: DbOrTx): Promise<void>;
}

/** A final payment keeps its status; a date or charge a bank status carries is still taken. */
function withChanges(row: PaymentRow, event: PaymentEvent, now: string): PaymentRow {
  const changes = event.kind === 'ACK' ? event.changes : undefined;
  if (!changes) return row;
  const next = copyOfPaymentRow(row);
  next.actual_payment_date = changes.actualPaymentDate ?? row.actual_payment_date;
  next.bank_charge_amount = changes.bankChargeAmount ?? row.bank_charge_amount;
  next.bank_charge_currency = changes.bankChargeCurrency ?? row.bank_charge_currency;
  next.updated_at = now;
  return next;
}

/** The columns a transition may change, as one UPDATE sets them. */
function changedColumns(row: PaymentRow) {
  return {
    status: row.status,
    bank_stage: row.bank_stage,
    actual_payment_date: row.actual_payment_date,
    bank_charge_amount: row.bank_charge_amount,
    bank_charge_currency: row.bank_charge_currency,
    failure_stage: row.failure_stage,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    lease_owner: row.lease_owner,
    lease_until: row.lease_until,
    updated_at: row.updated_at,
  };
}

export function createPaymentTransitions({ db, clock, outbox }: TransitionsDeps) {
  /**
   * Writes the new rows: payments that end up alike (same status before, same columns after) in
   * one UPDATE per 500, each only if still in the status it was read in. False when some payment
   * changed meanwhile.
   */
  async function updateRows(tx: DbOrTx, updates: Map<string, { from: string; next: PaymentRow }>): Promise<boolean> {
    const groups = new Map<string, { from: string; columns: ReturnType<typeof changedColumns>; ids: string[] }>();
    for (const [id, { from, next }] of updates) {
      const columns = changedColumns(next);
      const key = `${from}|${JSON.stringify(columns)}`;
      const group = groups.get(key) ?? groups.set(key, { from, columns, ids: [] }).get(key)!;
      group.ids.push(id);
    }
    for (const { from, columns, ids } of groups.values()) {
      for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
        const chunk = ids.slice(i, i + ROWS_PER_STATEMENT);
        const r = await tx.updateTable('payments').set(columns).where('id', 'in', chunk).where('status', '=', from).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== chunk.length) return false;
      }
    }
    return true;
  }

  /**
   * Applies events to payments inside `tx`, in order (a payment may come more than once; each
   * change sees the ones before it). Each (payment, stage) — with a bank file: each (payment, file,
   * stage, status) — applies once: one seen before is a duplicate. Nothing is written unless every change applies or is a duplicate; the writes are
   * a few statements whatever the count: an ACK of 1,000 payments is one report, not 1,000.
   * A refusal found while writing (a payment changed meanwhile) is returned for every change:
   * the caller must then roll the transaction back.
   */
  async function applyAllIn(tx: DbOrTx, changes: readonly PaymentChange[], bankFileId: string | null = null, hooks: ApplyHooks = {}): Promise<ApplyResult[]> {
    const ids = [...new Set(changes.map((c) => c.row.id))];
    const keyOf = (paymentId: string, stage: string, bankStatus: string | null | undefined) =>
      bankFileId === null ? `${paymentId}|${stage}` : `${paymentId}|${stage}|${bankStatus ?? ''}`;
    const seen = new Set<string>();
    for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
      let q = tx
        .selectFrom('payment_status_changes')
        .select(['payment_id', 'stage', 'bank_status'])
        .where('payment_id', 'in', ids.slice(i, i + ROWS_PER_STATEMENT));
      q = bankFileId === null ? q.where('bank_file_id', 'is', null) : q.where('bank_file_id', '=', bankFileId);
      for (const r of await q.execute()) seen.add(keyOf(r.payment_id, r.stage, r.bank_status));
    }
    const now = isoAt(clock());
    const updates = new Map<string, { from: string; next: PaymentRow }>();
    const history: Insertable<PaymentStatusChangesTable>[] = [];
    const events: NewEvent[] = [];
    const results: ApplyResult[] = changes.map(({ row: read, decide, recordIfFinal, level, reasonText }) => {
      const row = updates.get(read.id)?.next ?? read;
      const { stage, event } = decide(row);
      const key = keyOf(read.id, stage, event.kind === 'ACK' ? event.status : null);
      if (seen.has(key)) return 'duplicate';
      seen.add(key);
      const t = transition(row.status as PaymentStatus, event);
      // No `{ ...extra, … }` below: a spread first, then a dozen properties, takes V8 ~6 µs.
      const extraLevel = level ?? null;
      const extraReason = reasonText ?? null;
      if (!t.ok && t.code === 'ALREADY_FINAL' && recordIfFinal && event.kind === 'ACK') {
        const next = withChanges(row, event, now);
        if (next !== row) updates.set(read.id, { from: updates.get(read.id)?.from ?? read.status, next });
        history.push({
          id: newId('statusChange', clock()),
          payment_id: read.id,
          stage,
          from_status: row.status,
          to_status: row.status,
          bank_status: event.status,
          reason_code: event.reason ?? null,
          message: event.message ?? null,
          changes: event.changes ? JSON.stringify(event.changes) : null,
          bank_file_id: bankFileId,
          created_at: now,
          level: extraLevel,
          reason_text: extraReason,
        });
        return 'recorded';
      }
      if (!t.ok) return { refused: t.code, message: t.message };
      const next = updatedRow(row, t, stage, now);
      updates.set(read.id, { from: updates.get(read.id)?.from ?? read.status, next });
      history.push({
        level: extraLevel,
        reason_text: extraReason,
        id: newId('statusChange', clock()),
        payment_id: read.id,
        stage,
        from_status: t.from,
        to_status: t.to,
        bank_status: t.cause.bankStatus ?? null,
        reason_code: t.cause.reasonCode ?? null,
        message: t.cause.message ?? null,
        changes: t.changes ? JSON.stringify(t.changes) : null,
        bank_file_id: bankFileId,
        created_at: now,
      });
      if (t.to !== t.from && (t.to === 'COMPLETED' || t.to === 'FAILED')) {
        events.push({
          clientId: read.client_id,
          type: t.to === 'COMPLETED' ? 'payments.succeeded' : 'payments.failed',
          objectType: 'payment',
          objectId: read.id,
          data: toPayment(next),
        });
      }
      return 'applied';
    });
    if (results.some((r) => typeof r === 'object')) return results;
    if (!(await updateRows(tx, updates))) return results.map(() => ({ refused: 'CONCURRENT_UPDATE', message: 'a payment changed meanwhile' }));
    await insertRows(tx, 'payment_status_changes', history);
    await hooks.beforeEvents?.(tx);
    await outbox.appendMany(tx, events);
    return results;
  }

  /** Applies one event to a payment row inside `tx`. */
  async function applyIn(tx: DbOrTx, row: PaymentRow, stage: string, event: PaymentEvent, bankFileId: string | null = null): Promise<ApplyResult> {
    const [result] = await applyAllIn(tx, [{ row, decide: () => ({ stage, event }) }], bankFileId);
    return result!;
  }

  /**
   * One payment's change in a transaction of its own. A lost race is a duplicate, not an error:
   * two workers (instances) applying the same report at once both read the payment before either
   * committed; when the change keeps the payment's status (an ACK1 or ACK2 accepting it), the
   * second one's UPDATE still matches, and its history row then meets the first one's on the
   * unique (payment, stage) index (PostgreSQL; SQLite runs one writer at a time). That index is
   * what makes a change apply once: its violation means "applied by someone else", and the
   * transaction is rolled back with nothing changed.
   */
  async function inTransaction(paymentId: string, fn: (tx: DbOrTx, row: PaymentRow) => Promise<ApplyResult>): Promise<ApplyResult> {
    try {
      return await db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
        return row ? fn(tx, row) : 'unknown-payment';
      });
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate';
      throw err;
    }
  }

  return {
    applyIn,
    applyAllIn,

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
