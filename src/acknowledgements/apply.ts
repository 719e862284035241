// Applying one pain.002 status report inside one transaction (BANKS.md §4). One path for every
// status a bank file carries, at group (GrpSts), payment-information (PmtInfSts) and transaction
// (TxSts) level: the most specific wins, so a group or payment-information status applies to each
// payment of its scope that has no status of its own in the file. Every status is recorded in the
// payment's history; what it does comes from the one status table (status-codes.ts) through
// transitions.applyAllIn (multi-row, guarded by the from-status).
//
// Order: banks' files may be read in any order (an ACK3 before its ACK2, a rejection before the
// acceptance it follows). What the statuses decide is therefore a function of everything the bank
// said about a payment, not of the order payrail read it in:
// - the file counts as accepted once any report accepts it (an ACTC/ACCP/ACSP/PART group status, or
//   transaction statuses without a group rejection: a bank reports on transactions of accepted files);
// - failure.stage: ACK1 when the file was rejected and never accepted; ACK3 when the bank passed the
//   payment's validation (ACCP, ACSP, ACWC, ACSC… in the status table) in any file; ACK2 otherwise.
//   A payment that failed first and whose earlier acceptance is read later gets its stage raised;
// - an ACWC completes a payment when another report passed its validation (RAILS.md §3: ACWC after
//   ACK2 is the clearing result with changes), whichever of the two came first. A report is its
//   message id: the same report re-sent in other bytes is applied again but is no second report.
// What still depends on order is only what a bank never sends for one payment: two different final
// verdicts (ACSC and RJCT), or two different charges.
//
// Two exceptions are final by design (an earlier-written report read in a later pass cannot undo
// them; within one pass the reader applies files in the bank's order): a batch rejected at ACK1 is
// never re-labelled as accepted, and a covering ACSC completes every payment still open.
// Scope: an original message is a batch's file (its payments by batch_id) or a file of live single
// payments (by payments.bank_file_id, SPEC §9); the same rules apply to both. A single-payment file
// has no status and no events of its own: a group or payment-information RJCT fails each of its open
// payments (`payments.failed` each), and its acceptance is kept as bank_files.verdict.
// Concurrency: the batch row (or the single-payment file's row) is locked (PostgreSQL) while a
// report about it is applied.
//
// Refused (AckRejected, rolling the whole report back, the file set aside with the reason): a report
// naming an unknown original message, one about a file payrail sent over another endpoint than the
// one whose inbox it came from (a report is believed only from the bank its file went to), or a
// status naming no known payment of the batch (the money state would be unknown). A status for a payment that is already final is recorded in its history;
// one that contradicts the final status (RJCT after COMPLETED) is also reported as a warning.
import { ackChangesFor } from '../bank-files/pain002/ack-changes.ts';
import type { Pain002Original, Pain002PaymentInfo, Pain002Report, Pain002Transaction } from '../bank-files/pain002/model.ts';
import { isEcho } from '../bank-files/pain002/reader.ts';
import type { StatusLevel } from '../bank-files/pain002/status-codes.ts';
import { bankStatus, inferStage, statusEffect } from '../bank-files/pain002/status-codes.ts';
import type { AckStage } from '../bank/reports.ts';
import { reasonMessage } from '../bank/reports.ts';
import { SANDBOX_ID } from '../bank/setup.ts';
import { failBatch } from '../batches/fail.ts';
import type { BatchesService } from '../batches/service.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Outbox } from '../events/outbox.ts';
import { transitionBatch } from '../payments/state-machine.ts';
import type { AckChanges, BatchStatus, PaymentEvent } from '../payments/state-machine.ts';
import type { PaymentChange, PaymentTransitions } from '../payments/transitions.ts';
import { payrailIdOf } from '../bank-files/pain001/identifiers.ts';
import type { DbOrTx } from '../store/database.ts';
import { ROWS_PER_STATEMENT } from '../store/insert-rows.ts';
import type { BankFileRow, BatchRow, PaymentRow } from '../store/schema.ts';
import { crashPoint } from '../workers/crash-point.ts';
import { matcherFor } from './matching.ts';

/** A report that cannot be applied; `reason` is recorded with the file set aside. */
export class AckRejected extends Error {}

/**
 * A report about a batch whose file was uploaded but is not yet recorded as SUBMITTED: the
 * dispatcher commits that right after the upload, and a quick bank can answer first. The file
 * waits in the inbox and is read again on a later pass.
 */
export class AckNotYet extends Error {}

/** What applying a report had to say: things that were off but did not stop it. */
export interface AckApplied {
  warnings: string[];
}

export interface AckApplierDeps {
  clock: Clock;
  outbox: Outbox;
  transitions: PaymentTransitions;
  batches: BatchesService;
  /**
   * Which database: on PostgreSQL the batch row is locked (SELECT … FOR UPDATE) while a report
   * about it is applied; SQLite's write transaction (BEGIN IMMEDIATE) already serialises readers.
   */
  dialect: 'sqlite' | 'postgres';
}

/** One status the file gives, at one level, with its reasons. */
interface Said {
  status: string;
  level: StatusLevel;
  reasons: readonly string[];
  texts: readonly string[];
  tx?: Pain002Transaction;
}

function statusOf(raw: string | undefined): string | undefined {
  const status = raw?.trim();
  return status ? status : undefined;
}

const FINAL = new Set(['COMPLETED', 'FAILED']);

/** An instant from a report's CreDtTm, or undefined when there is none or it is not readable. */
function instantOf(createdAt: string | null | undefined): number | undefined {
  const at = createdAt ? Date.parse(createdAt) : NaN;
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Whether a status says something about this payment: its own (transaction level, or from the API
 * transport) always; a group or payment-information status only when the payment was still open
 * for the bank when it wrote that report: open when the status was applied, or made final by a
 * report the bank wrote later (GrpHdr/CreDtTm), read first. A PmtInfSts ACSC covering "every
 * payment still open" says nothing about one the bank had rejected before, so it does not count as
 * that payment's validation passing; a PmtInfSts ACCP the bank wrote before its rejection does.
 */
function covers(level: string | null, paymentStatus: string, reportAt: number | undefined, finalAt: number | undefined): boolean {
  if (level === null || level === 'transaction' || !FINAL.has(paymentStatus)) return true;
  return reportAt !== undefined && finalAt !== undefined && reportAt < finalAt;
}
const STAGE_RANK: Readonly<Record<string, number>> = { ACK1: 1, ACK2: 2, ACK3: 3 };

/**
 * Whether a batch's bank_stage says the bank accepted its file: ACK1 once accepted; ACK2/ACK3
 * for a batch rejected as a whole after that (the stage it failed at).
 */
function wasAccepted(bankStage: string | null): boolean {
  return bankStage === 'ACK1' || bankStage === 'ACK2' || bankStage === 'ACK3';
}

/**
 * What one original message of a report is about: the file of a batch, or a file of live single
 * payments (payments.bank_file_id). Its payments are the report's scope; `label` names it in
 * warnings and refusals.
 */
type Scope =
  | { kind: 'batch'; label: string; paymentInfoId: string; batch: BatchRow }
  | { kind: 'file'; label: string; paymentInfoId: string; file: Pick<BankFileRow, 'id' | 'name' | 'state' | 'message_id'> & { verdict: string | null } };

/** Whether the bank accepted the scope's file (a batch: its bank_stage; a single-payment file: its verdict). */
function scopeAccepted(scope: Scope): boolean {
  return scope.kind === 'batch' ? wasAccepted(scope.batch.bank_stage) : scope.file.verdict === 'accepted';
}

/** A file rejected as a whole before any acceptance: final by design, never re-labelled as accepted. */
function scopeRejectedAtAck1(scope: Scope): boolean {
  if (scope.kind === 'file') return scope.file.verdict === 'rejected';
  const { batch } = scope;
  return batch.status === 'FAILED' && batch.failure_code !== null && !wasAccepted(batch.bank_stage);
}

export function createAckApplier({ clock, outbox, transitions, batches, dialect }: AckApplierDeps) {
  async function scopeOf(tx: DbOrTx, original: Pain002Original, endpointId: string): Promise<Scope> {
    let batchId: string | null | undefined;
    if (original.originalMessageId) {
      const file = await tx
        .selectFrom('bank_files')
        .select(['id', 'batch_id', 'connection_id'])
        .where('direction', '=', 'out')
        .where('message_id', '=', original.originalMessageId)
        .executeTakeFirst();
      // Named but not one payrail sent: the report is about something else; no guessing from
      // the payment-information id.
      if (!file) throw new AckRejected(`unknown original message '${original.originalMessageId}': no batch payrail sent has it`);
      sameEndpoint(file, endpointId, `original message '${original.originalMessageId}'`);
      if (!file.batch_id) return singlePaymentFile(tx, file.id);
      batchId = file.batch_id;
    }
    // Real banks omit elements: with no OrgnlMsgId, fall back to the payment-information id, which
    // is the batch id (or, for a file of single payments, its message id).
    const paymentInfoId =
      original.paymentInfos.find((p) => p.originalPaymentInfoId)?.originalPaymentInfoId ??
      original.transactions.find((t) => t.originalPaymentInfoId)?.originalPaymentInfoId;
    if (batchId === undefined && paymentInfoId !== undefined) {
      const file = await tx
        .selectFrom('bank_files')
        .select(['id', 'connection_id'])
        .where('direction', '=', 'out')
        .where('batch_id', 'is', null)
        .where('message_id', '=', paymentInfoId)
        .executeTakeFirst();
      if (file) {
        sameEndpoint(file, endpointId, `payment information '${paymentInfoId}'`);
        return singlePaymentFile(tx, file.id);
      }
    }
    const byPaymentInfo = batchId === undefined;
    batchId ??= paymentInfoId;
    // PmtInfId is the batch id's file form (PYMTB01J…, src/bank-files/pain001/identifiers.ts).
    if (batchId) batchId = payrailIdOf('batch', batchId);
    // Found by its payment-information id alone: its file must have gone where the report came from.
    if (byPaymentInfo && batchId) await sameEndpointAsBatchFile(tx, batchId, endpointId);
    // Locked, and read inside the lock: two readers applying different files of one batch at once
    // would each count the other's payments as still open (the batch never settling) or miss the
    // other's ACCP/ACWC. The second waits here and then reads what the first committed.
    const batch = batchId
      ? await tx
          .selectFrom('batches')
          .selectAll()
          .where('id', '=', batchId)
          .$if(dialect === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst()
      : undefined;
    if (!batch) throw new AckRejected(`unknown original message '${original.originalMessageId ?? '(none)'}': no batch payrail sent has it`);
    if (batch.status === 'PROCESSING') await waitIfUploaded(tx, batch);
    return { kind: 'batch', label: `batch ${batch.id}`, paymentInfoId: batch.id, batch };
  }

  /**
   * A report is only believed from the endpoint its original file went to: a report in another
   * inbox (the sandbox's local folder, a second connection without OpenPGP) must not settle a
   * file sent to a bank that signs its reports. Files recorded before connections existed are
   * the sandbox's (migration 0010).
   */
  function sameEndpoint(file: { connection_id: string | null }, endpointId: string, what: string): void {
    const sentOver = file.connection_id ?? SANDBOX_ID;
    if (sentOver !== endpointId) throw new AckRejected(`${what} was sent over bank connection '${sentOver}', this report came over '${endpointId}'`);
  }

  /** The endpoint check for a batch found by its payment-information id: its out file's connection (none sent: nothing to check here). */
  async function sameEndpointAsBatchFile(tx: DbOrTx, batchId: string, endpointId: string): Promise<void> {
    const file = await tx.selectFrom('bank_files').select('connection_id').where('direction', '=', 'out').where('batch_id', '=', batchId).executeTakeFirst();
    if (file) sameEndpoint(file, endpointId, `batch ${batchId}`);
  }

  /**
   * A file of live single payments, its row locked (PostgreSQL) for the same reason a batch's is:
   * two reports about one file are applied one after the other. A file not yet marked uploaded is
   * being marked right now (the collector commits that right after the upload): wait for it.
   */
  async function singlePaymentFile(tx: DbOrTx, fileId: string): Promise<Scope> {
    const file = await tx
      .selectFrom('bank_files')
      .select(['id', 'name', 'state', 'message_id', 'verdict'])
      .where('id', '=', fileId)
      .$if(dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const first = await tx.selectFrom('payments').select('id').where('bank_file_id', '=', file.id).executeTakeFirst();
    if (!first) throw new AckRejected(`file ${file.name} carries no payment payrail knows`);
    if (file.state === 'generated') throw new AckNotYet(`the payments of file ${file.name} are not recorded as SUBMITTED yet`);
    return { kind: 'file', label: `file ${file.name}`, paymentInfoId: file.message_id ?? file.id, file };
  }

  function paymentsOf(tx: DbOrTx, scope: Scope): Promise<PaymentRow[]> {
    const q = tx.selectFrom('payments').selectAll();
    return (scope.kind === 'batch' ? q.where('batch_id', '=', scope.batch.id) : q.where('bank_file_id', '=', scope.file.id)).orderBy('id').execute();
  }

  /** A PROCESSING batch whose file exists is being marked SUBMITTED right now: wait for that. */
  async function waitIfUploaded(tx: DbOrTx, batch: BatchRow): Promise<void> {
    const file = await tx.selectFrom('bank_files').select('id').where('direction', '=', 'out').where('batch_id', '=', batch.id).executeTakeFirst();
    if (file) throw new AckNotYet(`batch ${batch.id} is not recorded as SUBMITTED yet`);
    throw new AckRejected(`batch ${batch.id} was never sent to the bank`);
  }

  /**
   * Per payment, what the bank said before this file: which reports passed its validation, which
   * carried ACWC. A report is its message id (GrpHdr/MsgId; the file when it has none): the same
   * report sent again in other bytes is one report, not a second opinion.
   */
  async function recordedStatuses(tx: DbOrTx, scope: Scope) {
    const query = tx
      .selectFrom('payment_status_changes')
      .innerJoin('payments', 'payments.id', 'payment_status_changes.payment_id')
      .leftJoin('bank_files', 'bank_files.id', 'payment_status_changes.bank_file_id')
      .select([
        'payment_status_changes.payment_id',
        'payment_status_changes.bank_file_id',
        'bank_files.message_id',
        'bank_files.report_created_at',
        'payment_status_changes.bank_status',
        'payment_status_changes.level',
        'payment_status_changes.from_status',
        'payment_status_changes.to_status',
      ])
      .where('payment_status_changes.bank_status', 'is not', null);
    const rows = await (
      scope.kind === 'batch' ? query.where('payments.batch_id', '=', scope.batch.id) : query.where('payments.bank_file_id', '=', scope.file.id)
    ).execute();
    // When the bank wrote the report that made each payment final.
    const finalAt = new Map<string, number | undefined>();
    for (const r of rows) if (!FINAL.has(r.from_status!) && FINAL.has(r.to_status)) finalAt.set(r.payment_id, instantOf(r.report_created_at));
    const passed = new Map<string, Set<string>>();
    const changed = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!covers(r.level, r.from_status!, instantOf(r.report_created_at), finalAt.get(r.payment_id))) continue;
      const status = r.bank_status!;
      const file = r.message_id ?? r.bank_file_id ?? '';
      if (bankStatus(status)?.passesValidation) (passed.get(r.payment_id) ?? passed.set(r.payment_id, new Set()).get(r.payment_id)!).add(file);
      if (statusEffect(status) === 'CHANGES') (changed.get(r.payment_id) ?? changed.set(r.payment_id, new Set()).get(r.payment_id)!).add(file);
    }
    return { passed, changed, finalAt };
  }

  /** The payment-information status of the file (payrail sends one PmtInf per file), or why the file is refused. */
  function paymentInfoOf(original: Pain002Original, scope: Scope, warnings: string[]): Pain002PaymentInfo | undefined {
    const normal = (id: string) => id.toUpperCase().replaceAll('_', '');
    let found: Pain002PaymentInfo | undefined;
    for (const info of original.paymentInfos) {
      const status = statusOf(info.status);
      if (!status) continue;
      if (info.originalPaymentInfoId !== undefined && normal(info.originalPaymentInfoId) !== normal(scope.paymentInfoId)) {
        throw new AckRejected(`PmtInfSts ${status} for unknown payment information '${info.originalPaymentInfoId}' of ${scope.label}`);
      }
      if (found) warnings.push(`${scope.label}: several PmtInfSts; the first (${statusOf(found.status)}) applies`);
      else found = info;
    }
    return found;
  }

  /** Each payment's own statuses in the file (document order), matched by id or reference. */
  function ownStatuses(original: Pain002Original, scope: Scope, payments: readonly PaymentRow[], warnings: string[]): Map<string, Said[]> {
    const match = matcherFor(payments);
    const own = new Map<string, Said[]>();
    let echoes = 0;
    for (const t of original.transactions) {
      if (isEcho(t)) {
        echoes++;
        continue;
      }
      const status = statusOf(t.status);
      const found = match(t.originalInstructionId, t.originalEndToEndId);
      const ids =
        [t.originalInstructionId && `OrgnlInstrId '${t.originalInstructionId}'`, t.originalEndToEndId && `OrgnlEndToEndId '${t.originalEndToEndId}'`]
          .filter(Boolean)
          .join(', ') || 'no id';
      if (typeof found === 'string') {
        if (status) throw new AckRejected(`status ${status} for ${ids}: ${found} in ${scope.label}`);
        warnings.push(`${scope.label}: an entry without a status (${ids}) ${found}; ignored`);
        continue;
      }
      if (!status) continue; // named but no status of its own: the group or payment-information status applies
      const list = own.get(found.id) ?? own.set(found.id, []).get(found.id)!;
      list.push({ status, level: 'transaction', reasons: t.reasons, texts: t.reasonTexts, tx: t });
    }
    if (echoes > 0) warnings.push(`${scope.label}: ${echoes} entr${echoes === 1 ? 'y' : 'ies'} with no status and no id (echo lines) ignored`);
    return own;
  }

  return {
    /**
     * Applies a whole report inside `tx`; throws AckRejected (rolling back) when it cannot.
     * `endpointId` is the endpoint whose inbox the report came from (`sandbox` or a connection's id):
     * every original message it names must have been sent over that same endpoint.
     */
    async apply(tx: DbOrTx, report: Pain002Report, fileId: string, endpointId: string): Promise<AckApplied> {
      if (report.originals.length === 0) throw new AckRejected('the report names no original message');
      const warnings: string[] = [];
      const source = { fileId, endpointId, reportId: report.messageId ?? fileId, createdAt: instantOf(report.createdAt) };
      for (const original of report.originals) await applyOriginal(tx, original, source, warnings);
      return { warnings };
    },
  };

  async function applyOriginal(
    tx: DbOrTx,
    original: Pain002Original,
    { fileId, endpointId, reportId, createdAt }: { fileId: string; endpointId: string; reportId: string; createdAt: number | undefined },
    warnings: string[],
  ): Promise<void> {
    const scope = await scopeOf(tx, original, endpointId);
    const payments = await paymentsOf(tx, scope);
    const own = ownStatuses(original, scope, payments, warnings);
    const info = paymentInfoOf(original, scope, warnings);
    const groupStatus = statusOf(original.groupStatus);
    const group: Said | undefined = groupStatus
      ? { status: groupStatus, level: 'group', reasons: original.groupReasons, texts: original.groupReasonTexts }
      : undefined;
    const infoSaid: Said | undefined = info
      ? { status: statusOf(info.status)!, level: 'paymentInfo', reasons: info.reasons, texts: info.reasonTexts }
      : undefined;
    for (const s of [group, infoSaid, ...[...own.values()].flat()]) {
      if (s && !bankStatus(s.status)) warnings.push(`${scope.label}: unknown status code '${s.status}' (${s.level}) recorded as intermediate`);
    }

    // Acceptance (BANKS.md §4.3): no separate ACK1 is needed.
    const rejectsFile = (s: Said | undefined) => s !== undefined && statusEffect(s.status) === 'FAILS';
    const acceptsFile = (s: Said | undefined) => s !== undefined && bankStatus(s.status)?.acceptsFile === true;
    // A batch rejected at ACK1 (FAILED with the bank's failure code; a single-payment file: its
    // verdict) stays what it is: no later report re-labels it as accepted or raises its payments'
    // failure stages.
    const rejectedAtAck1 = scopeRejectedAtAck1(scope);
    // Transaction statuses count as acceptance only when no group or payment-information status
    // in the same file rejects it (a first report with PmtInfSts RJCT plus TxSts RJCT lines is a
    // whole-file rejection, not an acceptance).
    const acceptsNow = !rejectedAtAck1 && (acceptsFile(group) || (!rejectsFile(group) && !rejectsFile(infoSaid) && (own.size > 0 || acceptsFile(infoSaid))));
    const accepted = scopeAccepted(scope) || acceptsNow;
    if (acceptsNow && !scopeAccepted(scope)) await markAccepted(tx, scope);

    const recorded = await recordedStatuses(tx, scope);
    // The group's or payment-information's reason, for a payment whose own status gives none.
    const textsFromInfo = info !== undefined && info.reasonTexts.length > 0;
    const inherited = {
      reasons: [...(info?.reasons ?? []), ...original.groupReasons],
      texts: textsFromInfo ? info.reasonTexts : original.groupReasonTexts,
      // Whether the status those texts came with is itself a rejection (not a PART/ACSP/ACCP note).
      textsOfRejection: rejectsFile(textsFromInfo ? infoSaid : group),
    };
    const changes: PaymentChange[] = [];
    for (const payment of payments) {
      const said = own.get(payment.id) ?? (infoSaid ? [infoSaid] : group ? [group] : []);
      if (said.length === 0) continue;
      const passedElsewhere = [...(recorded.passed.get(payment.id) ?? [])].some((r) => r !== reportId);
      const changedElsewhere = [...(recorded.changed.get(payment.id) ?? [])].some((r) => r !== reportId);
      const counts = said.filter((s) => covers(s.level, payment.status, createdAt, recorded.finalAt.get(payment.id)));
      const passesHere = counts.some((s) => bankStatus(s.status)?.passesValidation);
      const changesHere = counts.some((s) => statusEffect(s.status) === 'CHANGES');
      // ACWC past validation: the ACWC in one file, the validation passed in another.
      const settlesByChanges = (changesHere && passedElsewhere) || (passesHere && changedElsewhere);
      const passed = passedElsewhere || passesHere;
      for (const s of said) {
        changes.push(changeFor(payment, s, { accepted, passed, passedElsewhere, settlesByChanges, inherited, warnings }));
      }
    }

    const results = await transitions.applyAllIn(tx, changes, fileId, {
      beforeEvents: (t) => {
        const said = { group, info: infoSaid, inherited, own, wholeBatchOpen: payments.every((p) => !FINAL.has(p.status)) };
        return scope.kind === 'batch' ? settleBatch(t, scope.batch, said) : settleFile(t, scope, said);
      },
    });
    results.forEach((result, i) => {
      if (typeof result !== 'object') return;
      // Another reader changed a payment of this batch (or file) meanwhile: roll back and read the file again
      // on a later pass (a plain error leaves it in the inbox); it is a good file, not one to set aside.
      if (result.refused === 'CONCURRENT_UPDATE') throw new Error(`payment ${changes[i]!.row.id}: ${result.message}; the report is read again`);
      throw new AckRejected(`payment ${changes[i]!.row.id}: ${result.message}`);
    });
    if (!rejectedAtAck1) await raiseFailureStages(tx, scope, accepted);
    crashPoint('mid-ack-apply');
  }

  /** The stage and event of one status for one payment, decided on the payment as it stands. */
  function changeFor(
    payment: PaymentRow,
    s: Said,
    ctx: {
      accepted: boolean;
      passed: boolean;
      passedElsewhere: boolean;
      settlesByChanges: boolean;
      inherited: { reasons: string[]; texts: string[]; textsOfRejection: boolean };
      warnings: string[];
    },
  ): PaymentChange {
    const effect = statusEffect(s.status);
    const ownCode = s.reasons[0];
    const text = s.texts.length > 0 ? s.texts.join(' ') : undefined;
    const decide = (current: PaymentRow): { stage: string; event: PaymentEvent } => {
      let stage: AckStage;
      if (effect === 'FAILS') stage = !ctx.accepted ? 'ACK1' : ctx.passed ? 'ACK3' : 'ACK2';
      else if (effect === 'COMPLETES' || ctx.settlesByChanges) stage = 'ACK3';
      else if (s.level !== 'transaction' && effect === 'INTERMEDIATE') stage = 'ACK1';
      else stage = effect === 'CHANGES' ? 'ACK2' : inferStage(s.status, ctx.passedElsewhere);
      const event: Extract<PaymentEvent, { kind: 'ACK' }> = { kind: 'ACK', stage, status: s.status };
      if (effect === 'FAILS') {
        // failure.code: the transaction's own reason, else the payment information's, else the group's, else the status.
        const code = ownCode ?? ctx.inherited.reasons[0] ?? s.status;
        // A text of the group or payment information only together with its code, or when that
        // status is itself a rejection: a PART's "some payments were rejected" explains no AC01.
        const inheritTexts = ownCode === undefined || ctx.inherited.textsOfRejection;
        const texts = s.texts.length > 0 ? s.texts : inheritTexts ? ctx.inherited.texts : [];
        event.reason = code;
        event.message = texts.length > 0 ? texts.join(' ') : reasonMessage(code);
      } else {
        if (ownCode !== undefined) event.reason = ownCode;
        if (text !== undefined) event.message = text;
      }
      const changes = s.tx ? changesOf(s.tx, payment.payment_date) : undefined;
      if (changes) event.changes = changes;
      if (ctx.settlesByChanges && effect !== 'FAILS') event.settles = true;
      if (FINAL.has(current.status)) {
        const contradicts = (effect === 'FAILS' && current.status === 'COMPLETED') || (effect === 'COMPLETES' && current.status === 'FAILED');
        // A payment's own status that would move it out of its final status (RJCT after ACSC,
        // ACSC after RJCT): the file is set aside with the reason, nothing in it applied (RAILS.md
        // §3), for an operator to look at. A group or payment-information status covers only the
        // payments still open (BANKS.md §4.4): for a final one it is recorded, the status stays.
        if (contradicts && s.level === 'transaction')
          throw new AckRejected(`payment ${payment.id} is ${current.status}: the bank's ${s.status} for it would move a final payment`);
        if (contradicts) ctx.warnings.push(`payment ${payment.id} is ${current.status}; the bank's ${s.status} (${s.level}) is recorded, the status stays`);
      }
      return { stage, event };
    };
    const change: PaymentChange = { row: payment, decide, recordIfFinal: true, level: s.level };
    if (s.texts.length > 0) change.reasonText = s.texts.join(' ');
    return change;
  }

  /** The bank accepted the file: a batch's bank_stage becomes ACK1, a single-payment file's verdict `accepted`. */
  async function markAccepted(tx: DbOrTx, scope: Scope): Promise<void> {
    const now = isoAt(clock());
    if (scope.kind === 'batch') await tx.updateTable('batches').set({ bank_stage: 'ACK1', updated_at: now }).where('id', '=', scope.batch.id).execute();
    else await tx.updateTable('bank_files').set({ verdict: 'accepted', updated_at: now }).where('id', '=', scope.file.id).execute();
  }

  /**
   * After the payments were written, before their events: a single-payment file has no status and
   * no events of its own (its payments get theirs, as single payments do). It keeps only the
   * verdict that makes a whole-file rejection final: a group or payment-information rejection in
   * this file that failed every payment of it, all still open, before any report accepted it.
   */
  async function settleFile(
    tx: DbOrTx,
    scope: Extract<Scope, { kind: 'file' }>,
    said: { group: Said | undefined; info: Said | undefined; wholeBatchOpen: boolean },
  ): Promise<void> {
    const current = await tx.selectFrom('bank_files').select('verdict').where('id', '=', scope.file.id).executeTakeFirstOrThrow();
    if (current.verdict !== null || !said.wholeBatchOpen) return;
    if (![said.info, said.group].some((s) => s !== undefined && statusEffect(s.status) === 'FAILS')) return;
    const open = await tx
      .selectFrom('payments')
      .select('id')
      .where('bank_file_id', '=', scope.file.id)
      .where('status', 'in', ['PROCESSING', 'SUBMITTED', 'COMPLETED'])
      .executeTakeFirst();
    if (open) return;
    await tx
      .updateTable('bank_files')
      .set({ verdict: 'rejected', updated_at: isoAt(clock()) })
      .where('id', '=', scope.file.id)
      .execute();
  }

  /**
   * After the payments were written, before their events: the batch follows them. Every payment
   * final: COMPLETED when one completed, FAILED when none did. A batch that a group or
   * payment-information rejection in this file ends FAILED, none of whose payments was final
   * before this file, was rejected as a whole: `payment-batches.rejected` comes first, then each
   * `payments.failed` (seed order, SPEC §6). One that ends FAILED otherwise (each payment failed
   * on its own, or some before the rejection) gets no batch event and no batch failure code.
   */
  async function settleBatch(
    tx: DbOrTx,
    batch: BatchRow,
    said: {
      group: Said | undefined;
      info: Said | undefined;
      inherited: { reasons: string[]; texts: string[] };
      own: Map<string, Said[]>;
      wholeBatchOpen: boolean;
    },
  ): Promise<void> {
    const current = await tx.selectFrom('batches').selectAll().where('id', '=', batch.id).executeTakeFirstOrThrow();
    if (current.status !== 'SUBMITTED') return;
    const counts = await tx
      .selectFrom('payments')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('batch_id', '=', batch.id)
      .groupBy('status')
      .execute();
    const count = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
    if (count('PROCESSING') + count('SUBMITTED') > 0) return;
    const now = isoAt(clock());
    const rejection = [said.info, said.group].find((s) => s !== undefined && statusEffect(s.status) === 'FAILS');
    if (count('COMPLETED') > 0) {
      const t = transitionBatch(current.status as BatchStatus, { kind: 'ALL_PAYMENTS_FINAL' });
      if (t.ok) await tx.updateTable('batches').set({ status: t.to, updated_at: now }).where('id', '=', batch.id).where('status', '=', 'SUBMITTED').execute();
      return;
    }
    // A batch is rejected as a whole only when this file fails every payment of it: after a
    // payment's own payments.failed, a payment-batches.rejected would break the seed order
    // (SPEC §6: the batch event first, then each payment's).
    if (!rejection || !said.wholeBatchOpen) {
      const t = transitionBatch(current.status as BatchStatus, { kind: 'ALL_PAYMENTS_FAILED' });
      if (t.ok) await tx.updateTable('batches').set({ status: t.to, updated_at: now }).where('id', '=', batch.id).where('status', '=', 'SUBMITTED').execute();
      return;
    }
    // A group reason given only as an originator (Cross River): the code every rejected
    // transaction of the file shares, with its text, rather than the bare status.
    const shared = sharedRejection(said.own);
    const code = rejection.reasons[0] ?? said.inherited.reasons[0] ?? shared?.code ?? rejection.status;
    const texts =
      rejection.texts.length > 0 ? rejection.texts : said.inherited.texts.length > 0 ? said.inherited.texts : shared?.code === code ? shared.texts : [];
    const message = texts.length > 0 ? texts.join(' ') : reasonMessage(code);
    // Rejected after the bank accepted the file: the batch failed at the stage its payments did
    // (ACK2, or ACK3 once their validation passed), kept in bank_stage for the batch's failure.stage.
    let bankStage = current.bank_stage;
    if (wasAccepted(current.bank_stage)) {
      const stages = await tx
        .selectFrom('payments')
        .select('failure_stage')
        .distinct()
        .where('batch_id', '=', batch.id)
        .where('status', '=', 'FAILED')
        .execute();
      bankStage = stages.some((r) => r.failure_stage === 'ACK3') ? 'ACK3' : 'ACK2';
    }
    const event = { kind: 'ACK1', status: rejection.status, reason: code, message } as const;
    await failBatch(tx, { clock, outbox, batches }, current, { event, stage: bankStage, from: 'SUBMITTED' });
  }

  /**
   * A payment that failed before the bank's acceptance (or its validation) was read: once the file
   * is known accepted, or the payment's validation passed, in any file, its failure stage is
   * what it would have been in the bank's order. Stages only rise.
   */
  async function raiseFailureStages(tx: DbOrTx, scope: Scope, accepted: boolean): Promise<void> {
    if (!accepted) return;
    const query = tx.selectFrom('payments').select(['id', 'failure_stage']).where('status', '=', 'FAILED').where('failure_stage', 'in', ['ACK1', 'ACK2']);
    const failed = await (scope.kind === 'batch' ? query.where('batch_id', '=', scope.batch.id) : query.where('bank_file_id', '=', scope.file.id)).execute();
    if (failed.length === 0) return;
    const { passed } = await recordedStatuses(tx, scope);
    const now = isoAt(clock());
    for (const want of ['ACK2', 'ACK3'] as const) {
      const ids = failed.filter((p) => (passed.has(p.id) ? 'ACK3' : 'ACK2') === want && STAGE_RANK[p.failure_stage!]! < STAGE_RANK[want]!).map((p) => p.id);
      for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
        await tx
          .updateTable('payments')
          .set({ failure_stage: want, updated_at: now })
          .where('id', 'in', ids.slice(i, i + ROWS_PER_STATEMENT))
          .where('status', '=', 'FAILED')
          .execute();
      }
    }
  }
}

/** The reason code (and texts, when they agree too) every rejected transaction of a file shares; undefined when they differ or none has one. */
function sharedRejection(own: Map<string, Said[]>): { code: string; texts: readonly string[] } | undefined {
  const rejections = [...own.values()].flat().filter((s) => statusEffect(s.status) === 'FAILS');
  const codes = new Set(rejections.map((s) => s.reasons[0]));
  const code = rejections[0]?.reasons[0];
  if (code === undefined || codes.size !== 1) return undefined;
  const texts = new Set(rejections.map((s) => s.texts.join('\n')));
  return { code, texts: texts.size === 1 ? rejections[0]!.texts : [] };
}

/** The date and charge a transaction status carries for a payment, or undefined when it carries none. */
function changesOf(t: Pain002Transaction, paymentDate: string): AckChanges | undefined {
  const found = ackChangesFor(t, paymentDate);
  const changes: AckChanges = {};
  if (found.actualPaymentDate) changes.actualPaymentDate = found.actualPaymentDate;
  if (found.charge) Object.assign(changes, { bankChargeAmount: found.charge.amount, bankChargeCurrency: found.charge.currency });
  return Object.keys(changes).length > 0 ? changes : undefined;
}

export type AckApplier = ReturnType<typeof createAckApplier>;
