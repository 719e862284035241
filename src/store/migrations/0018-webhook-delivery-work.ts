// The webhook delivery worker's queries and wake-ups at scale (issue #21).
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
//
// Notices (PostgreSQL only). A statement that schedules webhook deliveries (new events, a
// redelivery: an INSERT … ON CONFLICT DO UPDATE) sends NOTIFY payrail_webhooks; the delivery
// process LISTENs (src/webhooks/delivery-process-main.ts) and is woken at commit, from whichever
// instance or CLI wrote them. Once per statement, not per row: a batch's thousands of deliveries are
// a few statements, and PostgreSQL folds the same notice sent again in one transaction into one.
// A channel of its own: the other workers have nothing to do with deliveries, nor the delivery
// process with payments. SQLite has no such thing: the parent passes its wake-ups on (IPC).
import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

/** The channel the webhook delivery process LISTENs on (src/workers/wake.ts). */
export const DELIVERY_CHANNEL = 'payrail_webhooks';

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

  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create function payrail_notify_deliveries() returns trigger language plpgsql as $$
    begin
      perform pg_notify(${sql.lit(DELIVERY_CHANNEL)}, '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger webhook_deliveries_scheduled after insert on webhook_deliveries
    for each statement execute function payrail_notify_deliveries()`.execute(db);
}
