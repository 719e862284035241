// Approvals (SPEC §10): holding a new batch or payment that its policy says needs approval, and the
// decisions on it — approve, reject, expire — each in one transaction that takes the approval's
// row lock first (PostgreSQL: SELECT … FOR UPDATE; SQLite: every write transaction is serial,
// BEGIN IMMEDIATE), re-reads it, and changes it only while it is PENDING. So of two approvers at
// the same moment, an approval and a rejection, or an approval and the expiry worker, exactly one
// outcome is recorded; the other sees it decided (409 APPROVAL_ALREADY_DECIDED) or, for a second
// approval of a two-approver item, counts the first.
//
// Once APPROVED, the batch or payment is claimable by the dispatcher or the single-payment worker
// (src/approvals/hold.ts): the approval's commit is what releases it, so a crash after it only
// delays the dispatch, which sends one file per batch whatever happens (src/batches/dispatcher.ts).
// Rejected or expired: every payment FAILED at stage APPROVAL with the seed's rejection events
// (`payment-batches.rejected`, then `payments.failed` per payment), through the state machine.
import { PostgresAdapter, sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { AuditActor, AuditLog } from '../audit/log.ts';
import { failBatch } from '../batches/fail.ts';
import type { BatchesService } from '../batches/service.ts';
import type { BusinessCalendar } from '../calendars/business-calendar.ts';
import type { Client, ClientMode } from '../clients/service.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { AppError, notFound, validationFailed } from '../errors.ts';
import type { EventType, Outbox } from '../events/outbox.ts';
import { isId, newId } from '../ids.ts';
import type { ApprovalFailed } from '../payments/state-machine.ts';
import type { PaymentTransitions } from '../payments/transitions.ts';
import { toPayment } from '../payments/view.ts';
import type { Payment } from '../payments/view.ts';
import type { RailType } from '../rails/rails.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { insertRows } from '../store/insert-rows.ts';
import type { Page } from '../store/page.ts';
import { toPage } from '../store/page.ts';
import type { ApprovalRow, PaymentStatusChangesTable } from '../store/schema.ts';
import type { Batch } from '../batches/view.ts';
import { crashPoint } from '../workers/crash-point.ts';
import type { ApprovalStatus } from './hold.ts';
import { approvalView, reasonProblems, rolledPaymentDate } from './model.ts';
import type { ApprovalGiven, ApprovalObjectType, ApprovalRejection, ApprovalView, Principal } from './model.ts';
import type { ApprovalPolicies, ApprovalRequirement } from './policies.ts';

/** What a new batch or payment carries while it waits: its approval, and what to open with it. */
export interface Hold {
  requirement: ApprovalRequirement;
  view: ApprovalView;
}

export interface ApprovalHoldsDeps {
  clock: Clock;
  outbox: Outbox;
  policies: ApprovalPolicies;
  expiryHours: number;
}

/** The organisation of a client (by default the client is its own). */
export function organisationOf(client: Pick<Client, 'id' | 'organisationId'>): string {
  return client.organisationId ?? client.id;
}

/**
 * What a caller may decide and see: the approvals of its organisation created by a client of its
 * own mode. A test-mode client never decides (nor lists) a live client's payments, even in one
 * organisation: sandbox credentials must not release real money.
 */
export type ApprovalScope = { organisationId: string; mode: ClientMode } | UsersScope;

/** A console user's scope: the approvals of the clients they were given (each of one mode). */
export interface UsersScope {
  clientIds: readonly string[];
}

/** True when an approval (or an object) of `clientId` is within the scope. */
function scopeHolds(scope: ApprovalScope, o: { clientId: string; organisationId: string; mode: ClientMode }): boolean {
  return 'clientIds' in scope ? scope.clientIds.includes(o.clientId) : o.organisationId === scope.organisationId && o.mode === scope.mode;
}

export function approvalScopeOf(client: Pick<Client, 'id' | 'organisationId' | 'mode'>): ApprovalScope {
  return { organisationId: organisationOf(client), mode: client.mode };
}

/**
 * Holding new batches and payments (used by their services at creation): does this one need
 * approval, and, in the creating transaction, the approval row and its `*.approval_required` event.
 */
export function createApprovalHolds({ clock, outbox, policies, expiryHours }: ApprovalHoldsDeps) {
  return {
    /** The hold a new batch (its total) or payment of `client` from `accountId` needs, if any. */
    async holdFor(client: Client, accountId: string, amount: number): Promise<Hold | undefined> {
      const requirement = await policies.requirementFor(client.id, accountId, amount);
      return requirement && { requirement, view: approvalView('PENDING', requirement.required, []) };
    },

    /** Inside the creating transaction: the approval row and `payment-batches.approval_required` / `payments.approval_required`. */
    async open(
      tx: DbOrTx,
      hold: Hold,
      o: {
        client: Client;
        /** Who created it, when not the client itself: the console user who submitted it (never approves it). */
        createdBy?: Principal;
        objectType: ApprovalObjectType;
        objectId: string;
        amount: number;
        currency: string;
        createdAt: string;
        data: Batch | Payment;
      },
    ): Promise<void> {
      const now = clock();
      await tx
        .insertInto('approvals')
        .values({
          id: newId('approval', now),
          organisation_id: organisationOf(o.client),
          client_id: o.client.id,
          mode: o.client.mode,
          object_type: o.objectType,
          object_id: o.objectId,
          status: 'PENDING',
          required: hold.requirement.required,
          amount: o.amount,
          currency: o.currency,
          created_by: o.createdBy?.id ?? o.client.id,
          maker_controllers: o.createdBy?.kind === 'user' ? JSON.stringify([...(await controllersOf(tx, o.createdBy.id))]) : null,
          approvals: '[]',
          rejection: null,
          expires_at: isoAt(Date.parse(o.createdAt) + expiryHours * 3600_000),
          decided_at: null,
          created_at: o.createdAt,
          updated_at: o.createdAt,
        })
        .execute();
      const type: EventType = o.objectType === 'payment-batch' ? 'payment-batches.approval_required' : 'payments.approval_required';
      await outbox.append(tx, { clientId: o.client.id, type, objectType: o.objectType, objectId: o.objectId, data: o.data });
    },
  };
}

export type ApprovalHolds = ReturnType<typeof createApprovalHolds>;

/** An item of `GET /v1/approvals`: the approval and what it is about. */
export interface ApprovalItem extends ApprovalView {
  id: string;
  objectType: ApprovalObjectType;
  objectId: string;
  clientId: string;
  amount: number;
  currency: string;
  expiresAt: string;
  decidedAt?: string;
  createdAt: string;
  updatedAt: string;
  paymentBatch?: Batch;
  payment?: Payment;
}

export interface ApprovalsServiceDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  transitions: PaymentTransitions;
  batches: BatchesService;
  calendar: BusinessCalendar;
  audit: AuditLog;
  expiryHours: number;
}

/** Where a decision came from, for the audit log. */
export interface DecisionOrigin {
  sourceAddress?: string | null;
}

/** Who decides: the principal, the organisation and mode they act in, and where the request came from. */
export interface Decider {
  principal: Principal;
  scope: ApprovalScope;
  origin?: DecisionOrigin;
}

type Decision = { kind: 'approve'; reason?: string } | { kind: 'reject'; reason: string };

/** What a decision did; `expired`: it came after the expiry, which was applied instead. */
type DecisionResult = { done: true } | { done: false; expired: true };

const SYSTEM: AuditActor = { kind: 'system', id: 'approval-expiry' };

function viewOf(
  row: ApprovalRow,
  status: ApprovalStatus = row.status,
  approvals: ApprovalGiven[] = JSON.parse(row.approvals) as ApprovalGiven[],
  rejection?: ApprovalRejection,
): ApprovalView {
  return approvalView(status, row.required, approvals, rejection ?? (row.rejection ? (JSON.parse(row.rejection) as ApprovalRejection) : null));
}

/** The refusal of an approval by a console user whose account and the maker's are under one control. */
export const SET_UP_THE_CREATOR =
  'Your console account and the one that created it were set up by the same person, or one by the other (whoever holds the set-up link of an account controls it), so you can never approve it: another approver must';

/**
 * A console user and whoever controls their account: the user who set it up (created or last
 * reset it, holding its link), who set up theirs, and so on. An operator's CLI ends the chain. One
 * recursive query (SQLite and PostgreSQL alike); UNION stops at a loop.
 */
async function controllersOf(tx: DbOrTx, userId: string): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`
    with recursive chain(id) as (
      select cast(${userId} as text)
      union
      select u.set_up_by from console_users u join chain on u.id = chain.id where u.set_up_by is not null
    )
    select id from chain`.execute(tx);
  return new Set(rows.map((r) => r.id));
}

/**
 * Why `principal` may not approve the object of `row`, or undefined. Maker-checker: whoever created
 * it never approves it; nor may a console user whose account is under the same control as the
 * maker's: one set up the other, or both were set up by the same person, through any chain of
 * set-up links (whoever holds an account's link controls it). The maker's side is what it was when
 * the work was made (kept with the approval) and what it is now. A client maker has no such account:
 * only the first rule applies to API-created work.
 */
async function approvalRefusal(tx: DbOrTx, row: ApprovalRow, principal: Principal): Promise<AppError | undefined> {
  if (row.created_by === principal.id) {
    return new AppError('APPROVAL_NOT_ALLOWED', 'Approval not allowed', 'You created it, so you cannot approve it: another approver must');
  }
  if (principal.kind !== 'user') return undefined;
  const maker = new Set<string>(row.maker_controllers ? (JSON.parse(row.maker_controllers) as string[]) : []);
  if (isId('consoleUser', row.created_by)) for (const id of await controllersOf(tx, row.created_by)) maker.add(id);
  if (maker.size === 0) return undefined;
  for (const id of await controllersOf(tx, principal.id)) {
    if (maker.has(id)) return new AppError('APPROVAL_NOT_ALLOWED', 'Approval not allowed', SET_UP_THE_CREATOR);
  }
  return undefined;
}

function decided(row: ApprovalRow): AppError {
  return new AppError(
    'APPROVAL_ALREADY_DECIDED',
    'Approval already decided',
    `This ${row.object_type === 'payment' ? 'payment' : 'batch'} is already ${row.status} in approval; nothing changed`,
  );
}

export function createApprovalsService({ db, clock, outbox, transitions, batches, calendar, audit, expiryHours }: ApprovalsServiceDeps) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  /** The approval of an object, locked for the rest of `tx`. */
  async function lock(tx: DbOrTx, objectType: ApprovalObjectType, objectId: string): Promise<ApprovalRow | undefined> {
    const q = tx.selectFrom('approvals').selectAll().where('object_type', '=', objectType).where('object_id', '=', objectId);
    return (postgres ? q.forUpdate() : q).executeTakeFirst();
  }

  /** True when the object exists and belongs to a client of the scope's organisation and mode. */
  async function inScope(tx: DbOrTx, objectType: ApprovalObjectType, objectId: string, scope: ApprovalScope): Promise<boolean> {
    const owner =
      objectType === 'payment-batch'
        ? await tx.selectFrom('batches').select('client_id').where('id', '=', objectId).executeTakeFirst()
        : await tx.selectFrom('payments').select('client_id').where('id', '=', objectId).executeTakeFirst();
    if (!owner) return false;
    const client = await tx.selectFrom('clients').select(['id', 'organisation_id', 'mode']).where('id', '=', owner.client_id).executeTakeFirst();
    return client !== undefined && scopeHolds(scope, { clientId: client.id, organisationId: client.organisation_id ?? client.id, mode: client.mode });
  }

  /** History rows for every payment of the object: one decision, who and when, in its timeline. */
  async function recordInHistory(tx: DbOrTx, row: ApprovalRow, stage: string, message: string, changes: Record<string, unknown> | null): Promise<void> {
    const ids =
      row.object_type === 'payment'
        ? [row.object_id]
        : (await tx.selectFrom('payments').select('id').where('batch_id', '=', row.object_id).orderBy('id').execute()).map((p) => p.id);
    const now = isoAt(clock());
    const rows: Insertable<PaymentStatusChangesTable>[] = ids.map((id) => ({
      id: newId('statusChange', clock()),
      payment_id: id,
      stage,
      from_status: 'PROCESSING',
      to_status: 'PROCESSING',
      bank_status: null,
      reason_code: null,
      message,
      changes: changes ? JSON.stringify(changes) : null,
      bank_file_id: null,
      created_at: now,
    }));
    await insertRows(tx, 'payment_status_changes', rows);
  }

  /** Writes the approval's new state on its row and on the object's `approval` column. */
  async function store(tx: DbOrTx, row: ApprovalRow, view: ApprovalView, extra: { decided?: boolean } = {}): Promise<void> {
    const now = isoAt(clock());
    const r = await tx
      .updateTable('approvals')
      .set({
        status: view.status,
        approvals: JSON.stringify(view.approvals),
        rejection: view.rejection ? JSON.stringify(view.rejection) : null,
        updated_at: now,
        ...(extra.decided && { decided_at: now }),
      })
      .where('id', '=', row.id)
      .where('status', '=', 'PENDING')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw decided(row);
    const table = row.object_type === 'payment-batch' ? 'batches' : 'payments';
    await tx
      .updateTable(table as 'batches')
      .set({ approval_status: view.status, approval: JSON.stringify(view), updated_at: now })
      .where('id', '=', row.object_id)
      .execute();
  }

  /** Enough approvals: APPROVED, the date rolled if late, `*.approved`; the workers may take it now. */
  async function approveFully(tx: DbOrTx, row: ApprovalRow, approvals: ApprovalGiven[]): Promise<void> {
    const view = viewOf(row, 'APPROVED', approvals);
    await store(tx, row, view, { decided: true });
    const now = clock();
    const who = approvals.map((a) => a.by).join(' and ');
    if (row.object_type === 'payment-batch') {
      const batch = await tx.selectFrom('batches').selectAll().where('id', '=', row.object_id).executeTakeFirstOrThrow();
      const rolled = rolledPaymentDate(calendar, batch.type as RailType, batch.payment_date, now);
      if (rolled) {
        await tx.updateTable('batches').set({ actual_payment_date: rolled }).where('id', '=', batch.id).execute();
        await tx.updateTable('payments').set({ actual_payment_date: rolled }).where('batch_id', '=', batch.id).execute();
      }
      await recordInHistory(tx, row, 'APPROVAL', `approved by ${who}`, rolled ? { actualPaymentDate: rolled } : null);
      const updated = await tx.selectFrom('batches').selectAll().where('id', '=', batch.id).executeTakeFirstOrThrow();
      await outbox.append(tx, {
        clientId: row.client_id,
        type: 'payment-batches.approved',
        objectType: 'payment-batch',
        objectId: batch.id,
        data: await batches.view(updated, true, tx),
      });
    } else {
      const payment = await tx.selectFrom('payments').selectAll().where('id', '=', row.object_id).executeTakeFirstOrThrow();
      const rolled = rolledPaymentDate(calendar, payment.type as RailType, payment.payment_date, now);
      if (rolled) await tx.updateTable('payments').set({ actual_payment_date: rolled }).where('id', '=', payment.id).execute();
      await recordInHistory(tx, row, 'APPROVAL', `approved by ${who}`, rolled ? { actualPaymentDate: rolled } : null);
      const updated = await tx.selectFrom('payments').selectAll().where('id', '=', payment.id).executeTakeFirstOrThrow();
      await outbox.append(tx, { clientId: row.client_id, type: 'payments.approved', objectType: 'payment', objectId: payment.id, data: toPayment(updated) });
    }
  }

  /**
   * Rejected or expired: the approval decided, the object and every payment of it FAILED at stage
   * APPROVAL; events in the seed's order (`payment-batches.rejected`, then `payments.failed` each).
   */
  async function failAll(tx: DbOrTx, row: ApprovalRow, view: ApprovalView, event: ApprovalFailed): Promise<void> {
    await store(tx, row, view, { decided: true });
    const payments =
      row.object_type === 'payment'
        ? await tx.selectFrom('payments').selectAll().where('id', '=', row.object_id).execute()
        : await tx.selectFrom('payments').selectAll().where('batch_id', '=', row.object_id).where('status', '=', 'PROCESSING').orderBy('id').execute();
    const beforeEvents = async (t: DbOrTx) => {
      if (row.object_type !== 'payment-batch') return;
      const batch = await t.selectFrom('batches').selectAll().where('id', '=', row.object_id).executeTakeFirstOrThrow();
      if (!(await failBatch(t, { clock, outbox, batches }, batch, { event, stage: 'APPROVAL', from: 'PROCESSING' })))
        throw new Error(`batch ${batch.id} cannot fail in approval: it is ${batch.status}`);
    };
    // One call for the whole object (it writes in chunks itself); its hook runs once, before the payments' events.
    const results = await transitions.applyAllIn(
      tx,
      payments.map((p) => ({ row: p, decide: () => ({ stage: 'APPROVAL', event }) })),
      null,
      { beforeEvents },
    );
    const refused = results.find((r) => typeof r === 'object');
    if (refused) throw new Error(`payments of ${row.object_id} cannot fail in approval: ${JSON.stringify(refused)}`);
  }

  async function expireIn(tx: DbOrTx, row: ApprovalRow): Promise<void> {
    const view = viewOf(row, 'EXPIRED');
    await failAll(tx, row, view, { kind: 'APPROVAL_FAILED', code: 'APPROVAL_EXPIRED', message: `not approved within ${expiryHours} hours` });
    await audit.record(tx, {
      actor: SYSTEM,
      action: 'approval.expire',
      object: { type: row.object_type, id: row.object_id },
      details: { approvalId: row.id, approvals: viewOf(row).approvals.length, required: row.required },
    });
  }

  /**
   * One decision by its decider's principal (of its scope) on an object, in one transaction. Another
   * organisation's object, or one created by a client of the other mode, is not found (404).
   */
  async function decide({ principal, scope, origin = {} }: Decider, objectType: ApprovalObjectType, objectId: string, decision: Decision): Promise<void> {
    const result = await db.transaction().execute(async (tx): Promise<DecisionResult> => {
      const row = await lock(tx, objectType, objectId);
      if (!row || !scopeHolds(scope, { clientId: row.client_id, organisationId: row.organisation_id, mode: row.mode })) {
        if (!row && (await inScope(tx, objectType, objectId, scope))) {
          throw new AppError(
            'APPROVAL_NOT_REQUIRED',
            'No approval required',
            `This ${objectType === 'payment' ? 'payment' : 'batch'} needs no approval (no policy held it when it was created)`,
          );
        }
        throw notFound(objectType === 'payment' ? 'payment' : 'payment batch', objectId);
      }
      if (decision.kind === 'approve') {
        const refusal = await approvalRefusal(tx, row, principal);
        if (refusal) throw refusal;
      }
      if (row.status !== 'PENDING') throw decided(row);
      const now = clock();
      if (now >= Date.parse(row.expires_at)) {
        await expireIn(tx, row);
        return { done: false, expired: true };
      }
      const at = isoAt(now);
      const given = JSON.parse(row.approvals) as ApprovalGiven[];
      const subject = { type: objectType, id: objectId };
      if (decision.kind === 'approve') {
        if (given.some((a) => a.by === principal.id))
          throw new AppError(
            'APPROVAL_ALREADY_GIVEN',
            'Approval already given',
            'You have approved this already; another approver must give the next approval',
          );
        const approvals = [...given, { by: principal.id, at }];
        if (approvals.length >= row.required) {
          await approveFully(tx, row, approvals);
        } else {
          await store(tx, row, viewOf(row, 'PENDING', approvals));
          await recordInHistory(tx, row, 'APPROVAL_GIVEN', `approved by ${principal.id} (${approvals.length} of ${row.required})`, null);
        }
        await audit.record(tx, {
          actor: principal,
          sourceAddress: origin.sourceAddress,
          action: 'approval.approve',
          object: subject,
          details: {
            approvalId: row.id,
            approvals: approvals.length,
            required: row.required,
            ...(decision.reason !== undefined && { reason: decision.reason }),
          },
        });
      } else {
        const rejection: ApprovalRejection = { by: principal.id, at, reason: decision.reason };
        await failAll(tx, row, viewOf(row, 'REJECTED', given, rejection), {
          kind: 'APPROVAL_FAILED',
          code: 'APPROVAL_REJECTED',
          message: `rejected in approval by ${principal.id}: ${decision.reason}`,
        });
        await audit.record(tx, {
          actor: principal,
          sourceAddress: origin.sourceAddress,
          action: 'approval.reject',
          object: subject,
          details: { approvalId: row.id, reason: decision.reason },
        });
      }
      return { done: true };
    });
    if (!result.done) {
      throw new AppError(
        'APPROVAL_ALREADY_DECIDED',
        'Approval already decided',
        `The approval expired (after ${expiryHours} hours) before this decision; the ${objectType === 'payment' ? 'payment' : 'batch'} is FAILED`,
      );
    }
  }

  function checkReason(reason: string | undefined, required: boolean): void {
    const problems = reasonProblems(reason, { required });
    if (problems.length > 0) throw validationFailed(problems);
  }

  async function objectView(objectType: ApprovalObjectType, objectId: string, withPayments: boolean): Promise<Batch | Payment> {
    if (objectType === 'payment') return toPayment(await db.selectFrom('payments').selectAll().where('id', '=', objectId).executeTakeFirstOrThrow());
    return batches.view(await db.selectFrom('batches').selectAll().where('id', '=', objectId).executeTakeFirstOrThrow(), withPayments);
  }

  async function toItem(row: ApprovalRow): Promise<ApprovalItem> {
    const item: ApprovalItem = {
      id: row.id,
      objectType: row.object_type,
      objectId: row.object_id,
      clientId: row.client_id,
      ...viewOf(row),
      amount: row.amount,
      currency: row.currency,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    if (row.decided_at !== null) item.decidedAt = row.decided_at;
    const object = await objectView(row.object_type, row.object_id, false);
    if (row.object_type === 'payment') item.payment = object as Payment;
    else item.paymentBatch = object as Batch;
    return item;
  }

  return {
    /** Approves as the decider's principal; returns the object as it is now. */
    async approve(decider: Decider, objectType: ApprovalObjectType, objectId: string, reason: string | undefined): Promise<Batch | Payment> {
      checkReason(reason, false);
      await decide(decider, objectType, objectId, { kind: 'approve', ...(reason !== undefined && { reason }) });
      crashPoint('after-approval');
      return objectView(objectType, objectId, true);
    },

    /** Rejects as the decider's principal: the object and its payments FAILED (stage APPROVAL). */
    async reject(decider: Decider, objectType: ApprovalObjectType, objectId: string, reason: string | undefined): Promise<Batch | Payment> {
      checkReason(reason, true);
      await decide(decider, objectType, objectId, { kind: 'reject', reason: reason! });
      return objectView(objectType, objectId, true);
    },

    /** Expires what waited longer than PAYRAIL_APPROVAL_EXPIRY_HOURS; returns how many expired. */
    async expireDue(limit = 50): Promise<number> {
      const now = isoAt(clock());
      const due = await db
        .selectFrom('approvals')
        .select(['object_type', 'object_id'])
        .where('status', '=', 'PENDING')
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .limit(limit)
        .execute();
      let expired = 0;
      for (const { object_type, object_id } of due) {
        const done = await db.transaction().execute(async (tx) => {
          const row = await lock(tx, object_type, object_id);
          // Decided meanwhile (an approval won the race): nothing to do.
          if (!row || row.status !== 'PENDING' || Date.parse(row.expires_at) > clock()) return false;
          await expireIn(tx, row);
          return true;
        });
        if (done) expired++;
      }
      return expired;
    },

    /** The approvals of the scope (organisation and creator's mode), newest first, optionally of one status. */
    async list(
      scope: ApprovalScope,
      { limit = 20, startingAfter, status }: { limit?: number; startingAfter?: string; status?: ApprovalStatus },
    ): Promise<Page<ApprovalItem>> {
      let q = db.selectFrom('approvals').selectAll();
      if ('clientIds' in scope) q = q.where('client_id', 'in', scope.clientIds.length > 0 ? [...scope.clientIds] : ['']);
      else q = q.where('organisation_id', '=', scope.organisationId).where('mode', '=', scope.mode);
      if (status) q = q.where('status', '=', status);
      if (startingAfter) q = q.where('id', '<', startingAfter);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = toPage(rows, limit);
      return { data: await Promise.all(page.data.map(toItem)), hasMore: page.hasMore };
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
