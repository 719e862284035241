// Records attempts after the fact, in a new transaction (never while a request is in flight):
// the attempt rows, each delivery's new state, and the endpoint's failing streak. Attempts are
// written in groups, one transaction each, so a busy receiver costs a few statements and one
// commit per group rather than per event: the deliveries a group delivered move in one UPDATE.
// A crash before a group is written only means those events are sent again (delivery is at least
// once; receivers de-duplicate on `webhook-id`).
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { newId } from '../ids.ts';
import type { Db, Tx } from '../store/database.ts';
import type { DeliveryChanges } from './outcome.ts';
import type { SendResult } from './sender.ts';

/** One attempt's record: the delivery it belongs to, when it was made, what came back. */
export interface AttemptRecord {
  deliveryId: string;
  attemptedAt: number;
  result: SendResult;
  changes: DeliveryChanges;
}

/** Changes to the endpoint after the recorded attempts. */
export interface EndpointChange {
  failingSince?: string | null;
  disabledReason?: string;
}

export interface AttemptLogDeps {
  db: Db;
  clock: Clock;
}

// Rows per INSERT: far below either database's limit on bound parameters (6 per row).
const INSERT_CHUNK = 500;

async function insertAttempts(tx: Tx, records: readonly AttemptRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    await tx
      .insertInto('webhook_attempts')
      .values(
        records.slice(i, i + INSERT_CHUNK).map((r) => ({
          id: newId('webhookAttempt', r.attemptedAt),
          delivery_id: r.deliveryId,
          attempted_at: isoAt(r.attemptedAt),
          status_code: r.result.statusCode ?? null,
          error: r.result.error ?? null,
          duration_ms: r.result.durationMs,
        })),
      )
      .execute();
  }
}

/** Applies the deliveries' new states; only a pending delivery moves (one canceled meanwhile stays so). */
async function updateDeliveries(tx: Tx, records: readonly AttemptRecord[], now: string): Promise<void> {
  const delivered = records.filter((r) => r.changes.status === 'delivered').map((r) => r.deliveryId);
  for (let i = 0; i < delivered.length; i += INSERT_CHUNK) {
    await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered', next_attempt_at: null, attempt_count: sql<number>`attempt_count + 1`, updated_at: now })
      .where('id', 'in', delivered.slice(i, i + INSERT_CHUNK))
      .where('status', '=', 'pending')
      .execute();
  }
  for (const r of records) {
    if (r.changes.status !== 'delivered') await tx.updateTable('webhook_deliveries').set(r.changes).where('id', '=', r.deliveryId).where('status', '=', 'pending').execute();
  }
}

export function createAttemptLog({ db, clock }: AttemptLogDeps) {
  return {
    /** Writes the attempts of one endpoint and what they changed, all or nothing. */
    async write(endpointId: string, records: readonly AttemptRecord[], endpoint: EndpointChange): Promise<void> {
      if (records.length === 0 && endpoint.failingSince === undefined && endpoint.disabledReason === undefined) return;
      const now = isoAt(clock());
      await db.transaction().execute(async (tx) => {
        if (records.length > 0) {
          await insertAttempts(tx, records);
          await updateDeliveries(tx, records, now);
        }
        if (endpoint.failingSince !== undefined) {
          await tx.updateTable('webhook_endpoints').set({ failing_since: endpoint.failingSince }).where('id', '=', endpointId).execute();
        }
        if (endpoint.disabledReason !== undefined) {
          await tx
            .updateTable('webhook_endpoints')
            .set({ status: 'disabled', disabled_reason: endpoint.disabledReason, disabled_at: now, updated_at: now, lease_owner: null, lease_until: null })
            .where('id', '=', endpointId)
            .execute();
          // Nothing more is sent to a disabled endpoint: what was still pending has failed.
          await tx.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null, updated_at: now }).where('endpoint_id', '=', endpointId).where('status', '=', 'pending').execute();
        }
      });
    },
  };
}

export type AttemptLog = ReturnType<typeof createAttemptLog>;
