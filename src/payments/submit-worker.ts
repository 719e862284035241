// The single-payment worker: hands PROCESSING payments to the bank over its API transport and
// applies the bank's answers. Work is claimed with a lease (one UPDATE, src/workers/claim.ts: two workers
// never claim the same payment, on SQLite or PostgreSQL); the bank call happens after the claim
// has committed, never inside a transaction; its outcome is recorded in a new transaction.
// A crash anywhere only delays: the lease expires and the (idempotent) submission is repeated.
// A payment that can never be submitted (its stored instruction cannot be read, or the bank
// refuses it as malformed: PermanentSubmitError) fails at stage SUBMISSION instead.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { SqlBool } from 'kysely';
import type { Logger } from 'pino';
import { PermanentSubmitError } from '../bank/connector.ts';
import type { ApiTransport, PaymentInstruction } from '../bank/connector.ts';
import type { Clock } from '../clock.ts';
import { crashPoint, witnessBankCall } from '../workers/crash-point.ts';
import { claimWork } from '../workers/claim.ts';
import { claimableUnderApproval } from '../approvals/hold.ts';
import type { Db } from '../store/database.ts';
import type { PaymentRow } from '../store/schema.ts';
import type { Receiver } from './model.ts';
import type { PaymentTransitions } from './transitions.ts';

export interface SubmitWorkerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  bank: ApiTransport;
  transitions: PaymentTransitions;
  batchSize?: number;
  /** How long a claim lasts; submission is idempotent, so an expired lease only repeats a call. */
  leaseMs?: number;
}

export function instructionOf(row: PaymentRow): PaymentInstruction {
  const receiver = JSON.parse(row.receiver) as Receiver;
  return {
    paymentId: row.id,
    type: row.type,
    amount: row.amount,
    currency: row.currency,
    // A late approval rolled the date (SPEC §10): the bank is asked for the rolled one.
    paymentDate: row.actual_payment_date ?? row.payment_date,
    customerReference: row.customer_reference,
    ...(receiver.bankAccountNumber !== undefined && { receiverAccountNumber: receiver.bankAccountNumber.replace(/[\s-]/g, '') }),
  };
}

/** The failure code of a payment the worker can never submit. */
export const NOT_SUBMITTABLE = 'NOT_SUBMITTABLE';

export function createSubmitWorker({ db, clock, logger, bank, transitions, batchSize = 50, leaseMs = 30_000 }: SubmitWorkerDeps) {
  const owner = `w_${randomBytes(6).toString('hex')}`;

  /** Claims up to batchSize PROCESSING single payments whose lease is free or expired: one statement (src/workers/claim.ts). */
  function claim(): Promise<PaymentRow[]> {
    return claimWork(db, clock, 'payments', {
      where: sql<SqlBool>`status = 'PROCESSING' and batch_id is null and mode = 'test' and ${claimableUnderApproval()}`,
      limit: batchSize,
      owner,
      leaseMs,
    });
  }

  /** PROCESSING → FAILED (stage SUBMISSION) through the transitions, with `payments.failed`. */
  async function failForGood(row: PaymentRow, err: unknown): Promise<void> {
    const message = `the payment cannot be submitted to the bank: ${err instanceof Error ? err.message : String(err)}`;
    const result = await db.transaction().execute(async (tx) => {
      const current = await tx.selectFrom('payments').selectAll().where('id', '=', row.id).executeTakeFirst();
      return current ? transitions.applyIn(tx, current, 'SUBMISSION', { kind: 'SUBMISSION_FAILED', code: NOT_SUBMITTABLE, message }) : 'unknown-payment';
    });
    if (result === 'applied') logger.error({ err, paymentId: row.id }, 'a payment cannot be submitted; it is FAILED (stage SUBMISSION)');
  }

  async function submitOne(row: PaymentRow): Promise<void> {
    let instruction: PaymentInstruction;
    try {
      instruction = instructionOf(row);
    } catch (err) {
      // The stored row itself cannot be read: every retry would meet the same row.
      return failForGood(row, err);
    }
    try {
      await bank.submitPayment(instruction);
    } catch (err) {
      if (err instanceof PermanentSubmitError) return failForGood(row, err);
      throw err;
    }
    witnessBankCall('submit', row.id);
    crashPoint('after-payment-submitted');
    await transitions.markSubmitted(row.id);
  }

  async function submitClaimed(): Promise<number> {
    const rows = await claim();
    for (const row of rows) {
      try {
        await submitOne(row);
      } catch (err) {
        // The lease runs out and another tick retries; the bank ignores a repeated submission.
        logger.warn({ err, paymentId: row.id }, 'submitting a payment to the bank failed; will retry');
      }
    }
    return rows.length;
  }

  async function pollSubmitted(): Promise<number> {
    const rows = await db
      .selectFrom('payments')
      .select(['id'])
      .where('status', '=', 'SUBMITTED')
      .where('batch_id', 'is', null)
      .where('mode', '=', 'test')
      .orderBy('id')
      .limit(batchSize * 4)
      .execute();
    let applied = 0;
    for (const { id } of rows) {
      const reports = await bank.paymentReports(id);
      for (const report of reports) if ((await transitions.applyReport(id, report)) === 'applied') applied++;
    }
    return applied;
  }

  return {
    /** One pass: submit what is due, apply what the bank has said. Returns the work done. */
    async tick(): Promise<number> {
      return (await submitClaimed()) + (await pollSubmitted());
    },
  };
}
