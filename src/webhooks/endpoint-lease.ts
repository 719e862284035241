// The delivery worker's claims. Work is claimed per endpoint: a worker leases the endpoint (a
// conditional UPDATE, so two workers never hold the same endpoint, on SQLite or PostgreSQL) and
// then sends that endpoint's due deliveries one after another in event order. A crashed worker's
// lease runs out and another worker takes the endpoint over, re-sending what was not recorded.
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Db } from '../store/database.ts';
import type { EventRow, WebhookDeliveryRow, WebhookEndpointRow } from '../store/schema.ts';

/** A leased endpoint with its client's mode (which addresses it may be sent to). */
export type LeasedEndpoint = WebhookEndpointRow & { mode: 'test' | 'live' };

export interface EndpointLeaseDeps {
  db: Db;
  clock: Clock;
  /** This worker's name in lease_owner. */
  owner: string;
  leaseMs: number;
}

export function createEndpointLeases({ db, clock, owner, leaseMs }: EndpointLeaseDeps) {
  return {
    /** Endpoints with deliveries due now, the one waiting longest first. */
    async dueEndpoints(limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => ['endpoint_id', eb.fn.min('next_attempt_at').as('due_since')])
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', isoAt(clock()))
        .groupBy('endpoint_id')
        .orderBy('due_since')
        .limit(limit)
        .execute();
      return rows.map((r) => r.endpoint_id);
    },

    /** Leases an enabled endpoint whose lease is free or expired; undefined when another worker has it. */
    async lease(endpointId: string): Promise<LeasedEndpoint | undefined> {
      const now = clock();
      const r = await db
        .updateTable('webhook_endpoints')
        .set({ lease_owner: owner, lease_until: isoAt(now + leaseMs) })
        .where('id', '=', endpointId)
        .where('status', '=', 'enabled')
        .where('deleted_at', 'is', null)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', isoAt(now))]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return undefined;
      return db
        .selectFrom('webhook_endpoints')
        .innerJoin('clients', 'clients.id', 'webhook_endpoints.client_id')
        .selectAll('webhook_endpoints')
        .select('clients.mode')
        .where('webhook_endpoints.id', '=', endpointId)
        .where('webhook_endpoints.lease_owner', '=', owner)
        .executeTakeFirst();
    },

    /** Extends a lease still held; the new expiry, or undefined if it was lost (deleted, disabled, taken over). */
    async renew(endpointId: string): Promise<number | undefined> {
      const until = clock() + leaseMs;
      const r = await db
        .updateTable('webhook_endpoints')
        .set({ lease_until: isoAt(until) })
        .where('id', '=', endpointId)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'enabled')
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? until : undefined;
    },

    async release(endpointId: string): Promise<void> {
      await db.updateTable('webhook_endpoints').set({ lease_owner: null, lease_until: null }).where('id', '=', endpointId).where('lease_owner', '=', owner).execute();
    },

    /** The endpoint's deliveries due now, in event order, with their events. */
    async dueDeliveries(endpointId: string, limit: number): Promise<{ delivery: WebhookDeliveryRow; event: EventRow }[]> {
      const deliveries = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', isoAt(clock()))
        .orderBy('id')
        .limit(limit)
        .execute();
      if (deliveries.length === 0) return [];
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
      return deliveries.flatMap((delivery) => {
        const event = byId.get(delivery.event_id);
        return event ? [{ delivery, event }] : [];
      });
    },
  };
}

export type EndpointLeases = ReturnType<typeof createEndpointLeases>;
