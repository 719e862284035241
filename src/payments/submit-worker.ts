// The single-payment worker: hands PROCESSING payments to the bank over its API transport and
// applies the bank's answers. It works by the hundred, not one payment at a time (issue 21): a
// transaction, and on SQLite a disk flush, per payment capped the whole process.
//
// Submitting: up to batchSize payments are claimed with a lease in one transaction (a conditional
// UPDATE each, so two workers never claim the same payment, on SQLite or PostgreSQL); after that
// commit they go to the bank — in one call when the transport takes many (submitPayments), never
// inside a transaction; then every one the bank took becomes SUBMITTED in one transaction (state,
// history and outbox event together). A crash anywhere only delays: the lease expires and the
// (idempotent) submission is repeated; the history row makes SUBMITTED apply once.
//
// Polling: SUBMITTED single payments are leased too, so two workers never ask about the same
// payment at once, and taken fairly: the ones never asked about first, then by next_poll_at
// (migration 0016). A payment the bank has said nothing about for a while is pushed back further
// each time (up to a minute), so payments the bank is slow about do not starve newer ones, and a
// bank call that hangs is given up after pollTimeoutMs (its lease keeps others off it until it
// expires). The reports of every payment asked about are applied in one transaction.
//
// A payment that can never be submitted (its stored instruction cannot be read, or the bank
// refuses it as malformed: PermanentSubmitError) fails at stage SUBMISSION instead.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { PermanentSubmitError } from '../bank/connector.ts';
import type { ApiTransport, PaymentInstruction } from '../bank/connector.ts';
import type { BankReport } from '../bank/reports.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { crashPoint, witnessBankCall } from '../workers/crash-point.ts';
import { claimLeases } from '../workers/lease.ts';
import { claimableUnderApproval } from '../approvals/hold.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { ROWS_PER_STATEMENT } from '../store/insert-rows.ts';
import type { PaymentRow } from '../store/schema.ts';
import type { Receiver } from './model.ts';
import type { PaymentChange, PaymentTransitions } from './transitions.ts';
import { eventOf } from './transitions.ts';

export interface SubmitWorkerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  bank: ApiTransport;
  transitions: PaymentTransitions;
  /** Payments submitted per pass; four times as many are asked about. */
  batchSize?: number;
  /** How long a claim lasts; submission is idempotent, so an expired lease only repeats a call. */
  leaseMs?: number;
  /** A bank call for reports that has not answered by then is given up until the payment's next turn. */
  pollTimeoutMs?: number;
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

/** Silence shorter than this is normal (the sandbox's ACK3 comes after 3 × 2 s): asked again at once. */
const QUIET_MS = 10_000;
const MAX_POLL_GAP_MS = 60_000;

/**
 * How long to wait before asking again about a payment the bank has said nothing about for
 * `silentMs`: nothing while that is normal, then about an eighth of the silence, up to a minute.
 * Powers of two, so the payments of one pass fall into a few groups (one UPDATE each).
 */
export function pollGapMs(silentMs: number): number {
  if (silentMs < QUIET_MS) return 0;
  return Math.min(MAX_POLL_GAP_MS, 2 ** Math.floor(Math.log2(silentMs / 8)));
}

const TIMED_OUT = Symbol('timed out');

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function chunks<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createSubmitWorker({ db, clock, logger, bank, transitions, batchSize = 200, leaseMs = 30_000, pollTimeoutMs = 10_000 }: SubmitWorkerDeps) {
  const owner = `w_${randomBytes(6).toString('hex')}`;

  /** Claims up to batchSize PROCESSING single payments whose lease is free or expired, in one transaction. */
  async function claim(): Promise<PaymentRow[]> {
    return db.transaction().execute(async (tx) => {
      const now = isoAt(clock());
      const candidates = await tx
        .selectFrom('payments')
        .selectAll()
        .where('status', '=', 'PROCESSING')
        .where('batch_id', 'is', null)
        .where('mode', '=', 'test')
        .where(claimableUnderApproval())
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .orderBy('id')
        .limit(batchSize)
        .execute();
      return claimLeases(tx, 'payments', candidates, owner, isoAt(clock() + leaseMs));
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

  /** One payment to the bank; true when the bank has it. */
  async function submitOne(row: PaymentRow, instruction: PaymentInstruction): Promise<boolean> {
    try {
      await bank.submitPayment(instruction);
      return true;
    } catch (err) {
      if (err instanceof PermanentSubmitError) await failForGood(row, err);
      // The lease runs out and another pass retries; the bank ignores a repeated submission.
      else logger.warn({ err, paymentId: row.id }, 'submitting a payment to the bank failed; will retry');
      return false;
    }
  }

  /** Hands the rows to the bank: all in one call when it takes many, else (or when that fails) one by one. Returns those it took. */
  async function toBank(rows: { row: PaymentRow; instruction: PaymentInstruction }[]): Promise<PaymentRow[]> {
    if (rows.length === 0) return [];
    if (bank.submitPayments) {
      try {
        await bank.submitPayments(rows.map((r) => r.instruction));
        return rows.map((r) => r.row);
      } catch (err) {
        // Which one the bank minds is not known: each goes alone, so one bad payment holds no other.
        logger.warn({ err, payments: rows.length }, 'submitting payments together failed; submitting them one by one');
      }
    }
    const taken: PaymentRow[] = [];
    for (const { row, instruction } of rows) if (await submitOne(row, instruction)) taken.push(row);
    return taken;
  }

  /**
   * Applies changes in one transaction (with `also`, written in it too); returns how many applied.
   * When any is refused, nothing is written and each payment goes alone (`alone`).
   */
  async function applyTogether(
    changes: PaymentChange[],
    alone: (paymentId: string) => Promise<number>,
    also: (tx: DbOrTx) => Promise<void> = async () => {},
  ): Promise<number> {
    const together = await db.transaction().execute(async (tx) => {
      const current = await reread(tx, [...new Set(changes.map((c) => c.row.id))]);
      const known = changes.filter((c) => current.has(c.row.id)).map((c) => ({ ...c, row: current.get(c.row.id)! }));
      const results = known.length > 0 ? await transitions.applyAllIn(tx, known) : [];
      // A refusal wrote nothing: the transaction is left to commit nothing but `also`.
      if (results.some((r) => typeof r === 'object')) return undefined;
      await also(tx);
      crashPoint('mid-single-payments-apply');
      return results.filter((r) => r === 'applied').length;
    });
    if (together !== undefined) return together;
    // A payment changed meanwhile, or a report does not fit it: each on its own, so the others still apply.
    let applied = 0;
    for (const id of new Set(changes.map((c) => c.row.id))) applied += await alone(id);
    await also(db);
    return applied;
  }

  async function reread(tx: DbOrTx, ids: string[]): Promise<Map<string, PaymentRow>> {
    const rows = new Map<string, PaymentRow>();
    for (const chunk of chunks(ids)) for (const row of await tx.selectFrom('payments').selectAll().where('id', 'in', chunk).execute()) rows.set(row.id, row);
    return rows;
  }

  async function submitClaimed(): Promise<number> {
    const rows = await claim();
    const readable: { row: PaymentRow; instruction: PaymentInstruction }[] = [];
    for (const row of rows) {
      try {
        readable.push({ row, instruction: instructionOf(row) });
      } catch (err) {
        // The stored row itself cannot be read: every retry would meet the same row.
        await failForGood(row, err);
      }
    }
    const taken = await toBank(readable);
    for (const row of taken) witnessBankCall('submit', row.id);
    crashPoint('after-payment-submitted');
    const submitted = { kind: 'SUBMITTED' } as const;
    if (taken.length > 0) {
      await applyTogether(
        taken.map((row) => ({ row, decide: () => ({ stage: 'SUBMITTED', event: submitted }) })),
        async (id) => ((await transitions.markSubmitted(id)) === 'applied' ? 1 : 0),
      );
    }
    return rows.length;
  }

  /**
   * Leases up to `limit` SUBMITTED single payments due to be asked about — never asked first, then
   * the longest due — and sets when each is due next. One transaction; each UPDATE takes only rows
   * still free, so a row another worker took meanwhile is left to it.
   */
  async function claimPolls(limit: number): Promise<PaymentRow[]> {
    return db.transaction().execute(async (tx) => {
      const nowMs = clock();
      const now = isoAt(nowMs);
      const due = () =>
        tx
          .selectFrom('payments')
          .selectAll()
          .where('status', '=', 'SUBMITTED')
          .where('batch_id', 'is', null)
          .where('mode', '=', 'test')
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]));
      const fresh = await due().where('next_poll_at', 'is', null).orderBy('id').limit(limit).execute();
      const waiting =
        fresh.length < limit
          ? await due()
              .where('next_poll_at', '<=', now)
              .orderBy('next_poll_at')
              .orderBy('id')
              .limit(limit - fresh.length)
              .execute()
          : [];
      const byGap = new Map<number, string[]>();
      for (const row of [...fresh, ...waiting]) {
        const gap = pollGapMs(nowMs - Date.parse(row.updated_at));
        byGap.set(gap, [...(byGap.get(gap) ?? []), row.id]);
      }
      const candidates = new Map([...fresh, ...waiting].map((r) => [r.id, r]));
      const until = isoAt(nowMs + leaseMs);
      const claimed: PaymentRow[] = [];
      for (const [gap, ids] of byGap) {
        for (const chunk of chunks(ids)) {
          const taken = await tx
            .updateTable('payments')
            .set({ lease_owner: owner, lease_until: until, next_poll_at: isoAt(nowMs + gap) })
            .where('id', 'in', chunk)
            .where('status', '=', 'SUBMITTED')
            .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
            .returning('id')
            .execute();
          for (const { id } of taken) claimed.push({ ...candidates.get(id)!, lease_owner: owner, lease_until: until });
        }
      }
      return claimed;
    });
  }

  /** The bank's reports for each payment that answered in time (absent: no answer). */
  async function reportsOf(ids: string[]): Promise<Map<string, BankReport[]>> {
    if (bank.paymentReportsOf) {
      const all = await withTimeout(bank.paymentReportsOf(ids), pollTimeoutMs);
      return all === TIMED_OUT ? new Map() : new Map(ids.map((id) => [id, all.get(id) ?? []]));
    }
    // One slow answer must not hold the others: asked together, each given up after the timeout.
    const answers = await Promise.all(
      ids.map(async (id) => {
        try {
          return [id, await withTimeout(bank.paymentReports(id), pollTimeoutMs)] as const;
        } catch (err) {
          logger.warn({ err, paymentId: id }, 'asking the bank about a payment failed; will ask again');
          return [id, TIMED_OUT] as const;
        }
      }),
    );
    const reports = new Map<string, BankReport[]>();
    for (const [id, answer] of answers) if (answer !== TIMED_OUT) reports.set(id, answer);
    return reports;
  }

  async function pollSubmitted(): Promise<number> {
    const rows = await claimPolls(batchSize * 4);
    if (rows.length === 0) return 0;
    const reports = await reportsOf(rows.map((r) => r.id));
    const changes: PaymentChange[] = [];
    for (const row of rows) {
      for (const report of reports.get(row.id) ?? []) changes.push({ row, decide: () => ({ stage: report.stage, event: eventOf(report) }) });
    }
    // Asked and answered: free for the next pass at its next_poll_at (a payment whose status
    // changed had its lease cleared with the change). A call that timed out keeps its lease.
    const answered = rows.filter((r) => reports.has(r.id)).map((r) => r.id);
    const release = async (tx: DbOrTx) => {
      for (const chunk of chunks(answered)) {
        await tx.updateTable('payments').set({ lease_owner: null, lease_until: null }).where('id', 'in', chunk).where('lease_owner', '=', owner).execute();
      }
    };
    return applyTogether(
      changes,
      async (id) => {
        let applied = 0;
        for (const report of reports.get(id) ?? []) if ((await transitions.applyReport(id, report)) === 'applied') applied++;
        return applied;
      },
      release,
    );
  }

  return {
    /** One pass: submit what is due, apply what the bank has said. Returns the work done. */
    async tick(): Promise<number> {
      return (await submitClaimed()) + (await pollSubmitted());
    },
  };
}
