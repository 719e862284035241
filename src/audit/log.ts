// The audit log (SPEC §11): who changed what, when and from where — approval decisions, approval
// policy changes, and the operator's changes of clients with the CLI. Append-only: this module
// only inserts and reads, and the database refuses UPDATE and DELETE of its rows (a trigger,
// migration 0013). An entry is written in the transaction of the change it records wherever the
// change has one, so a change is never without its entry.
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { currentOsUser } from '../clients/key-changes.ts';
import { newId } from '../ids.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import type { Page } from '../store/page.ts';
import { toPage } from '../store/page.ts';
import type { AuditLogRow } from '../store/schema.ts';

/**
 * Who acted: an API client (`cli_…`), the operator at the CLI (the operating-system user, when
 * known), payrail itself (a worker, e.g. approval expiry), or a console user (`usr_…`).
 */
export interface AuditActor {
  kind: 'client' | 'operator' | 'system' | 'user';
  id: string;
}

/** One change to record. */
export interface AuditRecord {
  actor: AuditActor;
  /** The caller's address (API), or null. */
  sourceAddress?: string | null;
  /** e.g. `approval.approve`, `approval.reject`, `approval.expire`, `approval_policy.set`, `client.create`. */
  action: string;
  object: { type: string; id: string };
  /** What changed; never a secret. */
  details?: Record<string, unknown>;
}

/** An entry as `payrail audit list` prints it. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  sourceAddress?: string;
  osUser?: string;
  action: string;
  object: { type: string; id: string };
  details: Record<string, unknown>;
}

/** The operator at this CLI process, as an actor. */
export function operatorActor(): AuditActor {
  return { kind: 'operator', id: currentOsUser() ?? 'unknown' };
}

function toEntry(row: AuditLogRow): AuditEntry {
  const e: AuditEntry = {
    id: row.id,
    at: row.created_at,
    actor: { kind: row.actor_kind as AuditActor['kind'], id: row.actor_id },
    action: row.action,
    object: { type: row.object_type, id: row.object_id },
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
  if (row.source_address !== null) e.sourceAddress = row.source_address;
  if (row.os_user !== null) e.osUser = row.os_user;
  return e;
}

export function createAuditLog({ db, clock }: { db: Db; clock: Clock }) {
  return {
    /** The database, for an entry of a change that had no transaction of its own (the CLI's). */
    db,

    /** Appends an entry inside `tx` (or on its own when the change had no transaction). */
    async record(tx: DbOrTx, r: AuditRecord): Promise<string> {
      const now = clock();
      const id = newId('auditEntry', now);
      await tx
        .insertInto('audit_log')
        .values({
          id,
          actor_kind: r.actor.kind,
          actor_id: r.actor.id,
          source_address: r.sourceAddress ?? null,
          os_user: r.actor.kind === 'operator' ? currentOsUser() : null,
          action: r.action,
          object_type: r.object.type,
          object_id: r.object.id,
          details: JSON.stringify(r.details ?? {}),
          created_at: isoAt(now),
        })
        .execute();
      return id;
    },

    /**
     * Entries newest first, optionally of one object or one action. `clientIds` (a console admin's
     * clients): only entries about those clients — the clients themselves, their batches,
     * payments and approval policies, their API calls, and console users given only those clients.
     */
    async list({
      limit = 100,
      startingAfter,
      objectId,
      action,
      clientIds,
    }: { limit?: number; startingAfter?: string; objectId?: string; action?: string; clientIds?: string[] } = {}): Promise<Page<AuditEntry>> {
      let q = db.selectFrom('audit_log').selectAll();
      if (startingAfter) q = q.where('id', '<', startingAfter);
      if (objectId) q = q.where('object_id', '=', objectId);
      if (action) q = q.where('action', '=', action);
      if (clientIds) {
        const ids = clientIds.length > 0 ? clientIds : [''];
        q = q.where((eb) =>
          eb.or([
            eb.and([eb('actor_kind', '=', 'client'), eb('actor_id', 'in', ids)]),
            eb('object_id', 'in', ids),
            eb.exists(eb.selectFrom('batches').select('batches.id').whereRef('batches.id', '=', 'audit_log.object_id').where('batches.client_id', 'in', ids)),
            eb.exists(
              eb.selectFrom('payments').select('payments.id').whereRef('payments.id', '=', 'audit_log.object_id').where('payments.client_id', 'in', ids),
            ),
            eb.exists(
              eb
                .selectFrom('approval_policies')
                .select('approval_policies.id')
                .whereRef('approval_policies.id', '=', 'audit_log.object_id')
                .where('approval_policies.client_id', 'in', ids),
            ),
            // A console user: when each of their clients is one of these.
            eb.and([
              eb.exists(eb.selectFrom('console_user_clients as uc').select('uc.user_id').whereRef('uc.user_id', '=', 'audit_log.object_id')),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('console_user_clients as uc')
                    .select('uc.user_id')
                    .whereRef('uc.user_id', '=', 'audit_log.object_id')
                    .where('uc.client_id', 'not in', ids),
                ),
              ),
            ]),
          ]),
        );
      }
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows.map(toEntry), limit);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/**
 * An operator's change from the CLI, recorded through `executor` (the change's own transaction
 * where its service offers one, else the database right after it): one place for the CLI's
 * audit entries (SPEC §11).
 */
export function recordOperatorChange(
  audit: AuditLog,
  executor: DbOrTx,
  action: string,
  object: { type: string; id: string },
  details: Record<string, unknown>,
): Promise<void> {
  return audit.record(executor, { actor: operatorActor(), action, object, details }).then(() => undefined);
}
