// The sandbox bank's API transport for single payments. The bank keeps only when it received each
// payment; its answers are a function of that instant and the clock, so no timer is lost in a
// crash: ACK1 after one PAYRAIL_SANDBOX_ACK_DELAY_MS, ACK2 after two, ACK3 after three. Many
// payments go in one multi-row INSERT (one commit, not one per payment) and are asked about in
// one SELECT: the submit worker hands them over by the hundred.
import type { ApiTransport, PaymentInstruction } from '../bank/connector.ts';
import type { BankReport } from '../bank/reports.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { RailType } from '../rails/rails.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { plainTransactions } from '../store/group-commit.ts';
import type { Transact } from '../store/group-commit.ts';
import { ROWS_PER_STATEMENT } from '../store/insert-rows.ts';
import type { SandboxBankApiPaymentsTable } from '../store/schema.ts';
import { paymentReports, rejectsAtAck1 } from './outcomes.ts';
import type { SandboxCalendar } from './outcomes.ts';

export interface SandboxApiBankDeps {
  db: Db;
  clock: Clock;
  ackDelayMs: number;
  calendar: SandboxCalendar;
  /** How a multi-row submission commits (on SQLite: with the API's group commit). */
  transact?: Transact;
}

export function createSandboxApiTransport({ db, clock, ackDelayMs, calendar, transact = plainTransactions(db) }: SandboxApiBankDeps): ApiTransport {
  async function insert(target: DbOrTx, instructions: readonly PaymentInstruction[]): Promise<void> {
    const receivedAt = isoAt(clock());
    for (let i = 0; i < instructions.length; i += ROWS_PER_STATEMENT) {
      await target
        .insertInto('sandbox_bank_api_payments')
        .values(
          instructions
            .slice(i, i + ROWS_PER_STATEMENT)
            .map((instruction) => ({ payment_id: instruction.paymentId, instruction: JSON.stringify(instruction), received_at: receivedAt })),
        )
        .onConflict((oc) => oc.column('payment_id').doNothing())
        .execute();
    }
  }

  function reportsOf(row: Pick<SandboxBankApiPaymentsTable, 'instruction' | 'received_at'>): BankReport[] {
    const instruction = JSON.parse(row.instruction) as PaymentInstruction;
    const receivedAt = Date.parse(row.received_at);
    const payment = {
      type: instruction.type as RailType,
      currency: instruction.currency,
      paymentDate: instruction.paymentDate,
      receiverAccountNumber: instruction.receiverAccountNumber,
    };
    const all: BankReport[] = rejectsAtAck1(payment)
      ? [{ stage: 'ACK1', status: 'RJCT', reason: 'FF01' }]
      : [{ stage: 'ACK1', status: 'ACTC' }, ...paymentReports(payment, receivedAt, calendar)];
    const elapsed = clock() - receivedAt;
    return all.filter((_, i) => elapsed >= (i + 1) * ackDelayMs);
  }

  return {
    async submitPayment(instruction: PaymentInstruction): Promise<void> {
      await insert(db, [instruction]);
    },

    async submitPayments(instructions: readonly PaymentInstruction[]): Promise<void> {
      // One transaction: all or none, and one commit for the lot.
      if (instructions.length > 0) await transact((tx) => insert(tx, instructions));
    },

    async paymentReports(paymentId: string): Promise<BankReport[]> {
      const row = await db.selectFrom('sandbox_bank_api_payments').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
      return row ? reportsOf(row) : [];
    },

    async paymentReportsOf(paymentIds: readonly string[]): Promise<Map<string, BankReport[]>> {
      const reports = new Map<string, BankReport[]>();
      for (let i = 0; i < paymentIds.length; i += ROWS_PER_STATEMENT) {
        const rows = await db
          .selectFrom('sandbox_bank_api_payments')
          .selectAll()
          .where('payment_id', 'in', paymentIds.slice(i, i + ROWS_PER_STATEMENT))
          .execute();
        for (const row of rows) reports.set(row.payment_id, reportsOf(row));
      }
      return reports;
    },
  };
}
