// The single-payment worker: hands PROCESSING payments to the bank over its API transport and
// applies the bank's answers. It works by the hundred, not one payment at a time (issue 21): a
// transaction, and on SQLite a disk flush, per payment capped the whole process. A pass is three
// steps, whatever the number of payments in it:
//  1. lease, in one transaction: up to batchSize PROCESSING payments to submit and up to four
//     times as many SUBMITTED payments to ask about, each kind in one statement (claimWork,
//     src/workers/claim.ts: SKIP LOCKED on the database's clock on PostgreSQL), so two workers never
//     take one payment, and one that loses a race takes fewer, without an error;
//  2. the bank, after that commit and never inside a transaction: the new payments in one call
//     when the transport takes many (submitPayments), the submitted ones asked about together;
//  3. one transaction writes what the bank took and said: SUBMITTED, the reports, their history
//     rows and outbox events, and the polled payments' leases released.
// A crash anywhere only delays: the leases expire and the (idempotent) submission or question is
// repeated; the history rows make each status apply once.
//
// Fairness: SUBMITTED payments never asked about come first, then by next_poll_at (migration
// 0016). A payment the bank has said nothing about for a while is pushed back further each time
// (up to a minute), so payments the bank is slow about do not starve newer ones, and a bank call
// that hangs is given up after pollTimeoutMs (its lease keeps others off it until it expires).
//
// A payment that can never be submitted (its stored instruction cannot be read, or the bank
// refuses it as malformed: PermanentSubmitError) fails at stage SUBMISSION instead.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { SqlBool } from 'kysely';
import type { Logger } from 'pino';
import { PermanentSubmitError } from '../bank/connector.ts';
import type { ApiTransport, PaymentInstruction } from '../bank/connector.ts';
import type { BankReport } from '../bank/reports.ts';
import type { Clock } from '../clock.ts';
import { crashPoint, witnessBankCall } from '../workers/crash-point.ts';
import { claimTime, claimWork } from '../workers/claim.ts';
import type { ClaimOrder, ClaimRequest, ClaimTime } from '../workers/claim.ts';
import { claimableUnderApproval } from '../approvals/hold.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { plainTransactions } from '../store/group-commit.ts';
import type { Transact } from '../store/group-commit.ts';
import { ROWS_PER_STATEMENT } from '../store/insert-rows.ts';
import type { PaymentRow } from '../store/schema.ts';
import type { Receiver } from './model.ts';
import type { PaymentChange, PaymentTransitions } from './transitions.ts';
import { eventOf } from './transitions.ts';
import { isUniqueViolation } from './service.ts';

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
  /**
   * How the pass's two transactions commit: on SQLite the database's group commit, so they share
   * the API's disk flush instead of adding two of their own (src/store/group-commit.ts).
   */
  transact?: Transact;
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

export function createSubmitWorker({
  db,
  clock,
  logger,
  bank,
  transitions,
  batchSize = 200,
  leaseMs = 30_000,
  pollTimeoutMs = 10_000,
  transact = plainTransactions(db),
}: SubmitWorkerDeps) {
  const owner = `w_${randomBytes(6).toString('hex')}`;
  /** Whether the last pass took as many payments as a pass may: then there is more waiting. */
  let lastPassFull = false;

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
    const together = await transact(async (tx) => {
      const current = await reread(tx, [...new Set(changes.map((c) => c.row.id))]);
      const known = changes.filter((c) => current.has(c.row.id)).map((c) => ({ ...c, row: current.get(c.row.id)! }));
      const results = known.length > 0 ? await transitions.applyAllIn(tx, known) : [];
      // A refusal wrote nothing: the transaction is left to commit nothing but `also`.
      if (results.some((r) => typeof r === 'object')) return undefined;
      await also(tx);
      crashPoint('mid-single-payments-apply');
      return results.filter((r) => r === 'applied').length;
    }).catch((err: unknown) => {
      // Another instance applied one of these at the same moment (a lease that ran out mid-pass):
      // its history row's unique index refused ours and the transaction rolled back. Each payment
      // alone then, where that one is a duplicate and the others still apply.
      if (isUniqueViolation(err)) return undefined;
      throw err;
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

  /** Test-mode single payments: the ones this worker hands to the sandbox's API. */
  const single = sql<SqlBool>`batch_id is null and mode = 'test'`;
  const toSubmit = sql<SqlBool>`status = 'PROCESSING' and ${single} and ${claimableUnderApproval()}`;
  const neverAsked = sql<SqlBool>`status = 'SUBMITTED' and ${single} and next_poll_at is null`;
  const dueToAsk = (now: ClaimTime) => sql<SqlBool>`status = 'SUBMITTED' and ${single} and next_poll_at <= ${now}`;

  /**
   * Leases the pass's work in one transaction, each kind with one claim (src/workers/claim.ts: one
   * statement, SKIP LOCKED and the database's clock on PostgreSQL), so a row another worker holds or
   * is taking right now is left to it: up to batchSize PROCESSING payments to submit, and up to four
   * times as many SUBMITTED payments to ask about — never asked first, then the longest due. A pass
   * with nothing to do changes nothing, and opens no transaction: one read outside any says so
   * first (an idle worker takes no write lock on SQLite, and never waits for the API's).
   */
  async function lease(): Promise<{ submitting: PaymentRow[]; polling: PaymentRow[] }> {
    const limit = batchSize * 4;
    lastPassFull = false;
    const anyWork = await db
      .selectFrom('payments')
      .select('id')
      .where(sql<SqlBool>`(${toSubmit}) or (${neverAsked}) or (${dueToAsk(claimTime(db, clock))})`)
      .limit(1)
      .executeTakeFirst();
    if (!anyWork) return { submitting: [], polling: [] };
    return transact(async (tx) => {
      const claim = (where: ClaimRequest['where'], n: number, orderBy?: ClaimOrder[], nextPollAtNow = false) =>
        claimWork(tx, clock, 'payments', { where, limit: n, orderBy, owner, leaseMs, nextPollAtNow });
      const submitting = await claim(toSubmit, batchSize);
      // Payments to ask about are due again at once unless scheduleNextPolls pushes them back.
      const fresh = await claim(neverAsked, limit, undefined, true);
      const waiting = fresh.length < limit ? await claim(dueToAsk, limit - fresh.length, ['next_poll_at', 'id'], true) : [];
      const polling = [...fresh, ...waiting];
      await scheduleNextPolls(tx, polling);
      lastPassFull = submitting.length >= batchSize || polling.length >= limit;
      return { submitting, polling };
    });
  }

  /**
   * Pushes back the next turn of each payment about to be asked about by how long the bank has
   * said nothing about it (pollGapMs): a few UPDATEs, one per gap, none for the payments the bank
   * spoke about lately (the claim made them due at once). Compared with the claims' clock.
   */
  async function scheduleNextPolls(tx: DbOrTx, polling: PaymentRow[]): Promise<void> {
    const nowMs = clock();
    const byGap = new Map<number, string[]>();
    for (const row of polling) {
      const gap = pollGapMs(nowMs - Date.parse(row.updated_at));
      if (gap === 0) continue;
      const ids = byGap.get(gap) ?? [];
      if (ids.length === 0) byGap.set(gap, ids);
      ids.push(row.id);
    }
    for (const [gap, ids] of byGap) {
      for (const chunk of chunks(ids)) {
        await tx
          .updateTable('payments')
          .set({ next_poll_at: claimTime(tx, clock, gap) })
          .where('id', 'in', chunk)
          .where('lease_owner', '=', owner)
          .execute();
      }
    }
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

  /**
   * One pass: lease (one transaction), then the bank — the new payments handed over in one call,
   * the submitted ones asked about together — then everything the bank took or said is written in
   * one transaction: SUBMITTED, the reports, their history and events, and the polled payments'
   * leases released. Returns the payments submitted and the reports applied.
   */
  async function pass(): Promise<number> {
    const { submitting, polling } = await lease();
    if (submitting.length === 0 && polling.length === 0) return 0;
    const readable: { row: PaymentRow; instruction: PaymentInstruction }[] = [];
    for (const row of submitting) {
      try {
        readable.push({ row, instruction: instructionOf(row) });
      } catch (err) {
        // The stored row itself cannot be read: every retry would meet the same row.
        await failForGood(row, err);
      }
    }
    const [taken, reports] = await Promise.all([toBank(readable), reportsOf(polling.map((r) => r.id))]);
    if (taken.length > 0) {
      for (const row of taken) witnessBankCall('submit', row.id);
      crashPoint('after-payment-submitted');
    }
    const submitted = { kind: 'SUBMITTED' } as const;
    const changes: PaymentChange[] = taken.map((row) => ({ row, decide: () => ({ stage: 'SUBMITTED', event: submitted }) }));
    for (const row of polling) {
      for (const report of reports.get(row.id) ?? []) changes.push({ row, decide: () => ({ stage: report.stage, event: eventOf(report) }) });
    }
    // Asked and answered: free for the next pass at its next_poll_at (a payment whose status
    // changed had its lease cleared with the change). A call that timed out keeps its lease.
    const answered = polling.filter((r) => reports.has(r.id)).map((r) => r.id);
    const release = async (tx: DbOrTx) => {
      for (const chunk of chunks(answered)) {
        await tx.updateTable('payments').set({ lease_owner: null, lease_until: null }).where('id', 'in', chunk).where('lease_owner', '=', owner).execute();
      }
    };
    const takenIds = new Set(taken.map((r) => r.id));
    const alone = async (id: string) => {
      if (takenIds.has(id)) return (await transitions.markSubmitted(id)) === 'applied' ? 1 : 0;
      let applied = 0;
      for (const report of reports.get(id) ?? []) if ((await transitions.applyReport(id, report)) === 'applied') applied++;
      return applied;
    };
    if (changes.length === 0 && answered.length === 0) return 0;
    const applied = await applyTogether(changes, alone, release);
    // SUBMITTED counts once per payment submitted, like each report applied.
    return applied;
  }

  return {
    /** One pass: submit what is due, apply what the bank has said. Returns the work done (payments submitted, reports applied). */
    tick: pass,
    /**
     * True when the last pass leased as many payments as a pass may (batchSize to submit, or four
     * times that to ask about): more are waiting, so the next pass should not wait to gather.
     */
    lastPassFull: () => lastPassFull,
  };
}
