// The delivery worker's claims. Work is claimed per endpoint: a worker leases the endpoint (a
// conditional UPDATE, so two workers never hold the same endpoint, on SQLite or PostgreSQL) and
// then sends that endpoint's due deliveries one after another in event order, a failing one holding
// the later ones for a bounded time (HOLD_ATTEMPTS). A crashed worker's lease runs out and another
// worker takes the endpoint over, re-sending what was not recorded. Leases are reckoned on the
// database's clock on PostgreSQL (claimTime, as the payments' and batches' claims), so instances
// whose clocks disagree still agree on when one has run out; the worker keeps its own view of its
// lease's end on its own clock, taken before each statement (never later than the database's).
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { claimTime, isPostgres } from '../workers/claim.ts';
import type { Db } from '../store/database.ts';
import type { EventRow, WebhookDeliveryRow, WebhookEndpointRow } from '../store/schema.ts';

/**
 * A leased endpoint with its client's mode (which addresses it may be sent to) and when its lease
 * ends on this worker's clock (ms; renew before then).
 */
export type LeasedEndpoint = WebhookEndpointRow & { mode: 'test' | 'live'; leasedUntilMs: number };

/**
 * A delivery that failed fewer times than this in its round holds the endpoint's later events until
 * its next attempt: with the default 5 s base, at most about 30 s (attempts at 0, 5 s and 30 s).
 */
export const HOLD_ATTEMPTS = 3;

/**
 * …and only while it is younger than this: a receiver that fails some events and takes others
 * would otherwise hold the queue once per failing event, each time for the whole round, and fall
 * behind without end. With this bound deliveries lag their events by at most about this long.
 */
export const HOLD_MAX_AGE_MS = 30_000;

/** True when a delivery that just failed, created at `createdAt`, still holds the later events. */
export function holdsLaterEvents(roundAttempts: number, createdAt: string, nowMs: number): boolean {
  return roundAttempts < HOLD_ATTEMPTS && Date.parse(createdAt) > nowMs - HOLD_MAX_AGE_MS;
}

const PENDING = sql.lit('pending' as const);
/** round_attempts above this: the delivery failed in its current round. */
const FAILED_IN_ROUND = sql.lit(0);

export interface EndpointLeaseDeps {
  db: Db;
  clock: Clock;
  /** This worker's name in lease_owner. */
  owner: string;
  leaseMs: number;
}

export function createEndpointLeases({ db, clock, owner, leaseMs }: EndpointLeaseDeps) {
  // The due deliveries are read in event order from webhook_deliveries_pending_order (migration
  // 0018). SQLite, which has no statistics, would rather take webhook_deliveries_due for the
  // next_attempt_at range and sort the endpoint's whole backlog: a unary + keeps that column's
  // index out of the query (the condition is still checked in the index's own copy of it).
  // PostgreSQL's planner, with statistics, chooses; it has no + for text.
  const dueAt = isPostgres(db) ? sql.ref<string | null>('next_attempt_at') : sql<string | null>`+next_attempt_at`;
  return {
    /**
     * Enabled endpoints of enabled clients that no other worker holds and that have a delivery due
     * now, the one served least recently first (a released lease keeps its time), so every endpoint
     * gets its turn. A disabled client's deliveries wait (they go out if it is ever enabled again).
     */
    async dueEndpoints(limit: number): Promise<string[]> {
      const now = isoAt(clock());
      const leaseNow = claimTime(db, clock);
      const rows = await db
        .selectFrom('webhook_endpoints as e')
        .select('e.id')
        .where('e.status', '=', 'enabled')
        .where('e.deleted_at', 'is', null)
        .where(({ exists, selectFrom }) =>
          exists(selectFrom('clients as c').select('c.id').whereRef('c.id', '=', 'e.client_id').where('c.disabled_at', 'is', null)),
        )
        .where((eb) => eb.or([eb('e.lease_owner', 'is', null), eb('e.lease_until', '<', leaseNow)]))
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('webhook_deliveries as d')
              .select('d.id')
              .whereRef('d.endpoint_id', '=', 'e.id')
              .where('d.status', '=', 'pending')
              .where('d.next_attempt_at', '<=', now),
          ),
        )
        .orderBy(sql`coalesce(e.lease_until, '')`)
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /** Leases an enabled endpoint of an enabled client whose lease is free or expired; undefined when another worker has it (or the client is disabled). */
    async lease(endpointId: string): Promise<LeasedEndpoint | undefined> {
      const leasedUntilMs = clock() + leaseMs;
      const r = await db
        .updateTable('webhook_endpoints')
        .set({ lease_owner: owner, lease_until: claimTime(db, clock, leaseMs) })
        .where('id', '=', endpointId)
        .where('status', '=', 'enabled')
        .where('deleted_at', 'is', null)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('clients').select('clients.id').whereRef('clients.id', '=', 'webhook_endpoints.client_id').where('clients.disabled_at', 'is', null),
          ),
        )
        .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', claimTime(db, clock))]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return undefined;
      const endpoint = await db
        .selectFrom('webhook_endpoints')
        .innerJoin('clients', 'clients.id', 'webhook_endpoints.client_id')
        .selectAll('webhook_endpoints')
        .select('clients.mode')
        .where('webhook_endpoints.id', '=', endpointId)
        .where('webhook_endpoints.lease_owner', '=', owner)
        .executeTakeFirst();
      return endpoint && { ...endpoint, leasedUntilMs };
    },

    /** Extends a lease still held; the new expiry, or undefined if it was lost (deleted, disabled, taken over). */
    async renew(endpointId: string): Promise<number | undefined> {
      const until = clock() + leaseMs;
      const r = await db
        .updateTable('webhook_endpoints')
        .set({ lease_until: claimTime(db, clock, leaseMs) })
        .where('id', '=', endpointId)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'enabled')
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? until : undefined;
    },

    /** Frees the endpoint; lease_until keeps the release time, which orders the next turns. */
    async release(endpointId: string): Promise<void> {
      await db
        .updateTable('webhook_endpoints')
        .set({ lease_owner: null, lease_until: claimTime(db, clock) })
        .where('id', '=', endpointId)
        .where('lease_owner', '=', owner)
        .execute();
    },

    /**
     * The endpoint's deliveries due now, with their events, in event order (creation order), up to
     * the first one held back: a delivery that failed fewer than HOLD_ATTEMPTS times in its round
     * and is waiting for its retry holds every later event of the endpoint (docs/WEBHOOKS.md,
     * order). `heldUntil`: when that retry is due, if one holds.
     */
    async dueDeliveries(endpointId: string, limit: number): Promise<{ due: { delivery: WebhookDeliveryRow; event: EventRow }[]; heldUntil?: string }> {
      const now = isoAt(clock());
      // 'pending' and 0 as literals, not parameters: SQLite uses a partial index (migration 0018)
      // only for a query whose conditions spell out the index's own.
      const holder = await db
        .selectFrom('webhook_deliveries')
        .select(['event_id', 'next_attempt_at'])
        .where('endpoint_id', '=', endpointId)
        .where('status', '=', PENDING)
        .where('round_attempts', '>', FAILED_IN_ROUND)
        .where('round_attempts', '<', HOLD_ATTEMPTS)
        .where('created_at', '>', isoAt(clock() - HOLD_MAX_AGE_MS))
        .where('next_attempt_at', '>', now)
        .orderBy('event_id')
        .limit(1)
        .executeTakeFirst();
      let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).where('status', '=', PENDING).where(dueAt, '<=', now);
      if (holder) query = query.where('event_id', '<', holder.event_id);
      // In event order already in the query: with a backlog longer than `limit`, a held delivery
      // whose retry came due after later events were created must still come first. An endpoint
      // has one delivery per event (webhook_deliveries_once): event_id alone is the order.
      const deliveries = await query.orderBy('event_id').limit(limit).execute();
      const heldUntil = holder?.next_attempt_at ?? undefined;
      if (deliveries.length === 0) return { due: [], ...(heldUntil && { heldUntil }) };
      const events = await db
        .selectFrom('events')
        .selectAll()
        .where(
          'id',
          'in',
          deliveries.map((d) => d.event_id),
        )
        .execute();
      const byId = new Map(events.map((e) => [e.id, e]));
      const due = deliveries.flatMap((delivery) => {
        const event = byId.get(delivery.event_id);
        return event ? [{ delivery, event }] : [];
      });
      return { due, ...(heldUntil && { heldUntil }) };
    },

    /**
     * Keeps the endpoint until `until` (a held retry's time): its later events wait for that retry
     * anyway, so no worker takes it up before, only to find nothing to send.
     */
    async park(endpointId: string, until: string): Promise<void> {
      // A ms before: a lease is free once lease_until < now, and the retry is due at `until` itself.
      // `until` is on this worker's clock (the retry's time); the lease is reckoned on the claims'
      // clock, so it is written as "that long from now" there.
      const before = claimTime(db, clock, Math.max(0, Date.parse(until) - clock() - 1));
      await db.updateTable('webhook_endpoints').set({ lease_until: before }).where('id', '=', endpointId).where('lease_owner', '=', owner).execute();
    },
  };
}

export type EndpointLeases = ReturnType<typeof createEndpointLeases>;
