// Payment and batch statuses and the events that move them (SPEC.md §3, RAILS.md §3). Pure: the
// caller re-reads the row in a transaction, calls transition(), and writes the result with its
// history row and outbox event. Expected refusals are values, not exceptions. What each bank
// status code does comes from the one status table, src/bank-files/pain002/status-codes.ts.
import type { AckStage } from '../bank/reports.ts';
import type { StatusEffect } from '../bank-files/pain002/status-codes.ts';
import { statusEffect } from '../bank-files/pain002/status-codes.ts';

/** Where a payment is. */
export type PaymentStatus =
  | 'PROCESSING' // validated and stored by payrail; not yet handed to the bank
  | 'SUBMITTED' //  handed to the bank (file uploaded or API call accepted); waiting for its ACKs
  | 'COMPLETED' //  settled at ACK3 (ACSC/ACCC); final
  | 'FAILED'; //    rejected by the bank at ACK1, ACK2 or ACK3, never sendable (SUBMISSION), or rejected/expired in approval (APPROVAL); final

/** Where a batch is. */
export type BatchStatus =
  | 'PROCESSING' // validated and stored; its file is not yet at the bank
  | 'SUBMITTED' //  the file reached the bank; waiting for ACK1 and its payments' outcomes
  | 'COMPLETED' //  the bank accepted the file and every payment is final (some may have failed); final
  | 'FAILED'; //    every payment FAILED: the bank rejected the file (ACK1) or the batch, or each payment, or no file could be written (SUBMISSION); final

export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['PROCESSING', 'SUBMITTED', 'COMPLETED', 'FAILED'];
export const BATCH_STATUSES: readonly BatchStatus[] = ['PROCESSING', 'SUBMITTED', 'COMPLETED', 'FAILED'];

/** Statuses that never change again. */
export const FINAL_STATUSES: ReadonlySet<PaymentStatus | BatchStatus> = new Set(['COMPLETED', 'FAILED']);
/** Statuses still waiting for an outcome from the bank. */
export const PENDING_STATUSES: ReadonlySet<PaymentStatus | BatchStatus> = new Set(['PROCESSING', 'SUBMITTED']);

export function isFinal(status: PaymentStatus | BatchStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export function isPending(status: PaymentStatus | BatchStatus): boolean {
  return PENDING_STATUSES.has(status);
}

export function isPaymentStatus(value: string): value is PaymentStatus {
  return (PAYMENT_STATUSES as readonly string[]).includes(value);
}

/** The acknowledgement stages of RAILS.md §3: file (ACK1), bank validation (ACK2), clearing (ACK3). */
export type { AckStage } from '../bank/reports.ts';

/** What a bank status code means for the instruction it answers. */
export type AckOutcome = 'ACCEPTED' | 'ACCEPTED_WITH_CHANGES' | 'SETTLED' | 'REJECTED';

/** The outcome of a code, from the one status table (status-codes.ts); an unknown code is intermediate. */
const OUTCOME_OF_EFFECT: Readonly<Record<StatusEffect, AckOutcome>> = {
  INTERMEDIATE: 'ACCEPTED',
  CHANGES: 'ACCEPTED_WITH_CHANGES',
  COMPLETES: 'SETTLED',
  FAILS: 'REJECTED',
};

/** What an ACWC changes about a payment. */
export interface AckChanges {
  actualPaymentDate?: string;
  bankChargeAmount?: number;
  bankChargeCurrency?: string;
}

/**
 * payrail found, before the bank saw it, that the instruction can never be sent (its pain.001
 * cannot be written, the bank's API refuses it as malformed): it fails at stage SUBMISSION
 * instead of being retried forever.
 */
export interface SubmissionFailed {
  kind: 'SUBMISSION_FAILED';
  code: string;
  message: string;
}

/**
 * Its approvers rejected the batch or payment, or nobody approved it in time (SPEC §10): it fails
 * at stage APPROVAL before anything of it reached the bank.
 */
export interface ApprovalFailed {
  kind: 'APPROVAL_FAILED';
  code: 'APPROVAL_REJECTED' | 'APPROVAL_EXPIRED';
  message: string;
}

/** Something that happened to a payment. */
export type PaymentEvent =
  | { kind: 'SUBMITTED' }
  | SubmissionFailed
  | ApprovalFailed
  | {
      kind: 'ACK';
      stage: AckStage;
      status: string;
      reason?: string;
      message?: string;
      changes?: AckChanges;
      /**
       * The bank's statuses taken together show the payment settled although this one alone does
       * not: an accepted-with-changes past the bank's validation (RAILS.md §3), whichever of the two
       * files was read first.
       */
      settles?: true;
    };

/** Something that happened to a batch. */
export type BatchEvent =
  | { kind: 'SUBMITTED' }
  | SubmissionFailed
  | ApprovalFailed
  | { kind: 'ACK1'; status: string; reason?: string; message?: string }
  | { kind: 'ALL_PAYMENTS_FINAL' }
  /** The file was accepted, then every payment failed (each alone, or a later group rejection). */
  | { kind: 'ALL_PAYMENTS_FAILED' };

/** Why a status changed, as recorded in the payment's history. */
export interface TransitionCause {
  stage: 'SUBMITTED' | 'SUBMISSION' | 'APPROVAL' | AckStage | 'ALL_PAYMENTS_FINAL' | 'ALL_PAYMENTS_FAILED';
  bankStatus?: string;
  reasonCode?: string;
  message?: string;
}

/** Why a payment failed, as the payment object shows it. */
export interface TransitionFailure {
  stage: AckStage | 'SUBMISSION' | 'APPROVAL';
  code: string;
  message: string;
}

/** Why an event was refused. */
export type TransitionErrorCode = 'ALREADY_FINAL' | 'INVALID_TRANSITION';

/** A refused event: nothing may change. */
export interface TransitionError {
  ok: false;
  code: TransitionErrorCode;
  message: string;
}

/** An accepted event: the status to write (possibly unchanged), why, and what else changes. */
export interface Transition<S> {
  ok: true;
  from: S;
  to: S;
  cause: TransitionCause;
  changes?: AckChanges;
  failure?: TransitionFailure;
}

type PaymentStep = 'SUBMITTED' | 'SUBMISSION_FAILED' | 'APPROVAL_FAILED' | AckOutcome;
type BatchStep = 'SUBMITTED' | 'SUBMISSION_FAILED' | 'APPROVAL_FAILED' | 'ACCEPTED' | 'REJECTED' | 'ALL_PAYMENTS_FINAL' | 'ALL_PAYMENTS_FAILED';

/** From each status, the status each step leads to; a step not listed is refused. */
const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, Partial<Record<PaymentStep, PaymentStatus>>>> = {
  PROCESSING: { SUBMITTED: 'SUBMITTED', SUBMISSION_FAILED: 'FAILED', APPROVAL_FAILED: 'FAILED' },
  SUBMITTED: { ACCEPTED: 'SUBMITTED', ACCEPTED_WITH_CHANGES: 'SUBMITTED', SETTLED: 'COMPLETED', REJECTED: 'FAILED' },
  COMPLETED: {},
  FAILED: {},
};

const BATCH_TRANSITIONS: Readonly<Record<BatchStatus, Partial<Record<BatchStep, BatchStatus>>>> = {
  PROCESSING: { SUBMITTED: 'SUBMITTED', SUBMISSION_FAILED: 'FAILED', APPROVAL_FAILED: 'FAILED' },
  SUBMITTED: { ACCEPTED: 'SUBMITTED', REJECTED: 'FAILED', ALL_PAYMENTS_FINAL: 'COMPLETED', ALL_PAYMENTS_FAILED: 'FAILED' },
  COMPLETED: {},
  FAILED: {},
};

function refused(code: TransitionErrorCode, message: string): TransitionError {
  return { ok: false, code, message };
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

function outcomeOf(bankStatus: string): AckOutcome {
  return OUTCOME_OF_EFFECT[statusEffect(bankStatus)];
}

function lookUp<S extends PaymentStatus | BatchStatus, K extends string>(
  table: Readonly<Record<S, Partial<Record<K, S>>>>,
  from: S,
  step: K,
  what: string,
): S | TransitionError {
  if (isFinal(from)) return refused('ALREADY_FINAL', `${from} is final; ${what} cannot change it`);
  return table[from][step] ?? refused('INVALID_TRANSITION', `${what} cannot move a ${from} instruction`);
}

function ackCause(event: { stage: AckStage; status: string; reason?: string; message?: string }): TransitionCause {
  const cause: TransitionCause = { stage: event.stage, bankStatus: event.status };
  if (event.reason !== undefined) cause.reasonCode = event.reason;
  if (event.message !== undefined) cause.message = event.message;
  return cause;
}

function applyAck(from: PaymentStatus, event: Extract<PaymentEvent, { kind: 'ACK' }>): Transition<PaymentStatus> | TransitionError {
  const what = `${event.stage} ${event.status}`;
  const outcome = outcomeOf(event.status);
  // ACK3 is the clearing result: accepted with changes there means settled with changes (a new
  // value date, a charge), so the payment completes and carries the changes.
  const settles = (outcome === 'ACCEPTED_WITH_CHANGES' && event.stage === 'ACK3') || (event.settles === true && outcome !== 'REJECTED');
  const step: AckOutcome = settles ? 'SETTLED' : outcome;
  const to = lookUp(PAYMENT_TRANSITIONS, from, step, what);
  if (typeof to !== 'string') return to;
  const result: Transition<PaymentStatus> = { ok: true, from, to, cause: ackCause(event) };
  // A date or a charge is recorded with whatever status carries it (BANKS.md §4.8), not only ACWC.
  if (event.changes !== undefined) result.changes = event.changes;
  switch (outcome) {
    case 'ACCEPTED_WITH_CHANGES':
      break;
    case 'REJECTED': {
      const code = event.reason ?? event.status;
      result.failure = { stage: event.stage, code, message: event.message ?? `rejected by the bank at ${event.stage} (${code})` };
      break;
    }
    case 'ACCEPTED':
    case 'SETTLED':
      break;
    default:
      return assertNever(outcome);
  }
  return result;
}

/** The effect of SUBMISSION_FAILED: PROCESSING → FAILED with the failure at stage SUBMISSION. */
function submissionFailed<S extends PaymentStatus | BatchStatus>(from: S, to: S, event: SubmissionFailed): Transition<S> {
  const failure: TransitionFailure = { stage: 'SUBMISSION', code: event.code, message: event.message };
  return { ok: true, from, to, cause: { stage: 'SUBMISSION', reasonCode: event.code, message: event.message }, failure };
}

/** The effect of APPROVAL_FAILED: PROCESSING → FAILED with the failure at stage APPROVAL. */
function approvalFailed<S extends PaymentStatus | BatchStatus>(from: S, to: S, event: ApprovalFailed): Transition<S> {
  const failure: TransitionFailure = { stage: 'APPROVAL', code: event.code, message: event.message };
  return { ok: true, from, to, cause: { stage: 'APPROVAL', reasonCode: event.code, message: event.message }, failure };
}

/** The effect of an event on a payment in status `from`, or why it is refused (final statuses never change). */
export function transition(from: PaymentStatus, event: PaymentEvent): Transition<PaymentStatus> | TransitionError {
  switch (event.kind) {
    case 'SUBMITTED': {
      const to = lookUp(PAYMENT_TRANSITIONS, from, 'SUBMITTED', 'SUBMITTED');
      return typeof to === 'string' ? { ok: true, from, to, cause: { stage: 'SUBMITTED' } } : to;
    }
    case 'ACK':
      return applyAck(from, event);
    case 'SUBMISSION_FAILED': {
      const to = lookUp(PAYMENT_TRANSITIONS, from, 'SUBMISSION_FAILED', 'SUBMISSION_FAILED');
      return typeof to === 'string' ? submissionFailed(from, to, event) : to;
    }
    case 'APPROVAL_FAILED': {
      const to = lookUp(PAYMENT_TRANSITIONS, from, 'APPROVAL_FAILED', 'APPROVAL_FAILED');
      return typeof to === 'string' ? approvalFailed(from, to, event) : to;
    }
    default:
      return assertNever(event);
  }
}

function batchStep(event: BatchEvent): BatchStep | TransitionError {
  switch (event.kind) {
    case 'SUBMITTED':
    case 'SUBMISSION_FAILED':
    case 'APPROVAL_FAILED':
    case 'ALL_PAYMENTS_FINAL':
    case 'ALL_PAYMENTS_FAILED':
      return event.kind;
    case 'ACK1': {
      const outcome = outcomeOf(event.status);
      // At file level only the verdict matters: anything but RJCT means the file was taken.
      return outcome === 'REJECTED' ? 'REJECTED' : 'ACCEPTED';
    }
    default:
      return assertNever(event);
  }
}

/** The effect of an event on a batch in status `from`, or why it is refused. */
export function transitionBatch(from: BatchStatus, event: BatchEvent): Transition<BatchStatus> | TransitionError {
  const step = batchStep(event);
  if (typeof step !== 'string') return step;
  const what = event.kind === 'ACK1' ? `ACK1 ${event.status}` : event.kind;
  const to = lookUp(BATCH_TRANSITIONS, from, step, what);
  if (typeof to !== 'string') return to;
  if (event.kind === 'SUBMISSION_FAILED') return submissionFailed(from, to, event);
  if (event.kind === 'APPROVAL_FAILED') return approvalFailed(from, to, event);
  const cause: TransitionCause = event.kind === 'ACK1' ? ackCause({ ...event, stage: 'ACK1' }) : { stage: event.kind };
  const result: Transition<BatchStatus> = { ok: true, from, to, cause };
  if (step === 'REJECTED' && event.kind === 'ACK1') {
    const code = event.reason ?? event.status;
    result.failure = { stage: 'ACK1', code, message: event.message ?? `file rejected by the bank at ACK1 (${code})` };
  }
  return result;
}
