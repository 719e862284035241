// The webhook delivery worker's queries at scale (issue #21).
//
// Indexes. Per endpoint run the worker asks two questions (src/webhooks/endpoint-lease.ts
// dueDeliveries): is a failed delivery holding the later events (a pending one failed in its round,
// younger than HOLD_MAX_AGE_MS, its retry not yet due), and which deliveries are due, in event
// order. webhook_deliveries_due (0004) orders by next_attempt_at, not event_id: with a backlog,
// the first question read every pending delivery of the endpoint and the second sorted them all,
// once per run of 500 (docs/PERFORMANCE.md, "The hold and due queries at scale"). Both are partial
// indexes over pending deliveries only, so the delivered millions cost them nothing:
//   - webhook_deliveries_pending_order (endpoint_id, event_id, next_attempt_at): the due
//     deliveries in event order, read from the start until 500 are found; a retry not yet due
//     (an endpoint that has been failing) is passed over in the index, its row never read;
//   - webhook_deliveries_holding (endpoint_id, created_at), only deliveries that failed in their
//     round: the holder is among the last HOLD_MAX_AGE_MS of them.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('webhook_deliveries_pending_order')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'event_id', 'next_attempt_at'])
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_holding')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_at'])
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .where(sql.ref('round_attempts'), '>', sql.lit(0))
    .execute();
}
