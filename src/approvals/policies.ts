// Approval policies (SPEC §10): per client, optionally per sender account of the client. A batch
// (its total) or a single payment (its amount) above the policy's amount needs that many distinct
// approvers; `above 0` holds everything. An account's policy replaces the client's for that
// account. Set by the operator with the CLI (`payrail approvals set-policy`); the HTTP route for
// an admin user comes with console users (SPEC §11, #19). Every change is in the audit log.
import type { AuditActor, AuditLog } from '../audit/log.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { AppError, validationFailed } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import type { ApprovalPolicyRow } from '../store/schema.ts';
import { prepared } from '../store/prepared.ts';

/** How many approvers a policy may ask for. */
export const APPROVER_COUNTS = [1, 2] as const;

/** A policy as the CLI prints it (and the admin API will show it). */
export interface ApprovalPolicy {
  id: string;
  clientId: string;
  /** Present: the policy of this sender account, replacing the client's. */
  accountId?: string;
  /** Minor units: amounts (batch totals) above this need approval. */
  above: number;
  approvers: number;
  createdAt: string;
  updatedAt: string;
}

export interface SetPolicyInput {
  clientId: string;
  accountId?: string;
  above: number;
  approvers: number;
}

/** What a new batch or payment needs: so many approvers, under which policy. */
export interface ApprovalRequirement {
  required: number;
  policyId: string;
}

function toPolicy(row: ApprovalPolicyRow): ApprovalPolicy {
  const p: ApprovalPolicy = {
    id: row.id,
    clientId: row.client_id,
    above: row.above,
    approvers: row.approvers,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.account_id !== null) p.accountId = row.account_id;
  return p;
}

function check(input: SetPolicyInput): void {
  const errors = [];
  if (!Number.isSafeInteger(input.above) || input.above < 0)
    errors.push({ path: 'above', code: 'INVALID_AMOUNT', message: 'must be a whole number of minor units, 0 or more' });
  if (!(APPROVER_COUNTS as readonly number[]).includes(input.approvers))
    errors.push({ path: 'approvers', code: 'INVALID_APPROVERS', message: 'must be 1 or 2' });
  if (errors.length > 0) throw validationFailed(errors);
}

/** The policies that may apply to a payment of a client from an account: the account's and the client's. */
const policiesFor = prepared<{ clientId: string; accountId: string }, ApprovalPolicyRow>((db, arg) =>
  db
    .selectFrom('approval_policies')
    .selectAll()
    .where('client_id', '=', arg('clientId'))
    .where((eb) => eb.or([eb('account_id', 'is', null), eb('account_id', '=', arg('accountId'))])),
);

export function createApprovalPolicies({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditLog }) {
  async function find(tx: DbOrTx, clientId: string, accountId: string | undefined): Promise<ApprovalPolicyRow | undefined> {
    let q = tx.selectFrom('approval_policies').selectAll().where('client_id', '=', clientId);
    q = accountId === undefined ? q.where('account_id', 'is', null) : q.where('account_id', '=', accountId);
    return q.executeTakeFirst();
  }

  async function mustBeKnown(tx: DbOrTx, clientId: string, accountId: string | undefined): Promise<void> {
    if (!(await tx.selectFrom('clients').select('id').where('id', '=', clientId).executeTakeFirst()))
      throw new AppError('NOT_FOUND', 'Not found', `No client with id '${clientId}'`);
    if (
      accountId !== undefined &&
      !(await tx.selectFrom('accounts').select('id').where('id', '=', accountId).where('client_id', '=', clientId).executeTakeFirst())
    ) {
      throw new AppError('NOT_FOUND', 'Not found', `No sender account '${accountId}' of client '${clientId}'`);
    }
  }

  return {
    /** Creates or replaces the client's (or the account's) policy; recorded in the audit log. */
    async set(input: SetPolicyInput, actor: AuditActor, sourceAddress: string | null = null): Promise<ApprovalPolicy> {
      check(input);
      return db.transaction().execute(async (tx) => {
        await mustBeKnown(tx, input.clientId, input.accountId);
        const now = isoAt(clock());
        const existing = await find(tx, input.clientId, input.accountId);
        let id: string;
        if (existing) {
          id = existing.id;
          await tx.updateTable('approval_policies').set({ above: input.above, approvers: input.approvers, updated_at: now }).where('id', '=', id).execute();
        } else {
          id = newId('approvalPolicy', clock());
          await tx
            .insertInto('approval_policies')
            .values({
              id,
              client_id: input.clientId,
              account_id: input.accountId ?? null,
              above: input.above,
              approvers: input.approvers,
              created_at: now,
              updated_at: now,
            })
            .execute();
        }
        const previous = existing ? { above: existing.above, approvers: existing.approvers } : null;
        await audit.record(tx, {
          actor,
          sourceAddress,
          action: 'approval_policy.set',
          object: { type: 'approval-policy', id },
          details: { clientId: input.clientId, accountId: input.accountId ?? null, above: input.above, approvers: input.approvers, previous },
        });
        return toPolicy(await tx.selectFrom('approval_policies').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      });
    },

    /** Removes the client's (or the account's) policy; what is already held stays held. */
    async remove(clientId: string, accountId: string | undefined, actor: AuditActor): Promise<ApprovalPolicy> {
      return db.transaction().execute(async (tx) => {
        const existing = await find(tx, clientId, accountId);
        if (!existing)
          throw new AppError(
            'NOT_FOUND',
            'Not found',
            `No approval policy of ${accountId === undefined ? `client '${clientId}'` : `account '${accountId}' of client '${clientId}'`}`,
          );
        await tx.deleteFrom('approval_policies').where('id', '=', existing.id).execute();
        await audit.record(tx, {
          actor,
          action: 'approval_policy.remove',
          object: { type: 'approval-policy', id: existing.id },
          details: { clientId, accountId: accountId ?? null, above: existing.above, approvers: existing.approvers },
        });
        return toPolicy(existing);
      });
    },

    /** Every policy, or those of one client: client-wide first, then per account. */
    async list(clientId?: string): Promise<ApprovalPolicy[]> {
      let q = db.selectFrom('approval_policies').selectAll();
      if (clientId !== undefined) q = q.where('client_id', '=', clientId);
      const rows = await q.orderBy('client_id').orderBy('account_id').orderBy('id').execute();
      return rows
        .map(toPolicy)
        .sort(
          (a, b) =>
            a.clientId.localeCompare(b.clientId) ||
            Number(a.accountId !== undefined) - Number(b.accountId !== undefined) ||
            (a.accountId ?? '').localeCompare(b.accountId ?? ''),
        );
    },

    /**
     * What a new batch (its total) or payment (its amount) of this client from this account needs:
     * the account's policy if it has one, else the client's; undefined when nothing is required.
     */
    async requirementFor(clientId: string, accountId: string, amount: number): Promise<ApprovalRequirement | undefined> {
      const rows = await policiesFor.execute(db, { clientId, accountId });
      const policy = rows.find((r) => r.account_id === accountId) ?? rows.find((r) => r.account_id === null);
      return policy && amount > policy.above ? { required: policy.approvers, policyId: policy.id } : undefined;
    },
  };
}

export type ApprovalPolicies = ReturnType<typeof createApprovalPolicies>;
