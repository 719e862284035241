// The sandbox bank's API transport for single payments. The bank keeps only when it received each
// payment; its answers are a function of that instant and the clock, so no timer is lost in a
// crash: ACK1 after one PAYRAIL_SANDBOX_ACK_DELAY_MS, ACK2 after two, ACK3 after three.
import type { ApiTransport, PaymentInstruction } from '../bank/connector.ts';
import type { BankReport } from '../bank/reports.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { RailType } from '../rails/rails.ts';
import type { Db } from '../store/database.ts';
import { paymentReports, rejectsAtAck1 } from './outcomes.ts';
import type { SandboxCalendar } from './outcomes.ts';

export interface SandboxApiBankDeps {
  db: Db;
  clock: Clock;
  ackDelayMs: number;
  calendar: SandboxCalendar;
}

export function createSandboxApiTransport({ db, clock, ackDelayMs, calendar }: SandboxApiBankDeps): ApiTransport {
  return {
    async submitPayment(instruction: PaymentInstruction): Promise<void> {
      await db
        .insertInto('sandbox_bank_api_payments')
        .values({ payment_id: instruction.paymentId, instruction: JSON.stringify(instruction), received_at: isoAt(clock()) })
        .onConflict((oc) => oc.column('payment_id').doNothing())
        .execute();
    },

    async paymentReports(paymentId: string): Promise<BankReport[]> {
      const row = await db.selectFrom('sandbox_bank_api_payments').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
      if (!row) return [];
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
    },
  };
}
