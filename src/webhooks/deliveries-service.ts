// Deliveries: created by the outbox hook in the event's own transaction (one per event × matching
// enabled endpoint, so an event committed is an event that will be delivered), listed per
// endpoint with their attempts, and scheduled again on request (redelivery).
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { AppError, notFound } from '../errors.ts';
import type { EventAppendedHook } from '../events/outbox.ts';
import type { CompleteHook } from '../idempotency/http.ts';
import { newId } from '../ids.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { ROWS_PER_STATEMENT } from '../store/insert-rows.ts';
import type { Page } from '../store/page.ts';
import { toPage } from '../store/page.ts';
import type { WebhookAttemptRow, WebhookEndpointRow } from '../store/schema.ts';
import type { DeliveryStatus, WebhookDelivery } from './model.ts';
import { subscribes, toDelivery } from './model.ts';

export interface DeliveryListFilter {
  limit?: number;
  startingAfter?: string;
  status?: DeliveryStatus;
  eventId?: string;
}

/** The answer to a redelivery: which deliveries were scheduled, and when. */
export interface Redelivery {
  eventId: string;
  deliveries: { id: string; endpointId: string; status: DeliveryStatus; nextAttemptAt: string }[];
}

export interface WebhookDeliveriesDeps {
  db: Db;
  clock: Clock;
}

/** One delivery to schedule: an event to an endpoint. */
interface DeliveryTarget {
  eventId: string;
  clientId: string;
  endpointId: string;
}

/**
 * Inserts (or restarts) deliveries: due now, a new round. One statement per 500 deliveries, so an
 * acknowledgement that finishes 1,000 payments schedules their deliveries in two.
 */
async function schedule(tx: DbOrTx, targets: readonly DeliveryTarget[], now: number): Promise<void> {
  const at = isoAt(now);
  const rows = targets.map((t) => ({
    id: newId('webhookDelivery', now),
    event_id: t.eventId,
    endpoint_id: t.endpointId,
    client_id: t.clientId,
    status: 'pending' as const,
    next_attempt_at: at,
    round_started_at: null,
    round_attempts: 0,
    attempt_count: 0,
    created_at: at,
    updated_at: at,
  }));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await tx
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + ROWS_PER_STATEMENT))
      .onConflict((oc) =>
        oc
          .columns(['event_id', 'endpoint_id'])
          .doUpdateSet({ status: 'pending', next_attempt_at: at, round_started_at: null, round_attempts: 0, updated_at: at }),
      )
      .execute();
  }
}

export function createWebhookDeliveriesService({ db, clock }: WebhookDeliveriesDeps) {
  async function enabledEndpoints(q: DbOrTx, clientId: string): Promise<Pick<WebhookEndpointRow, 'id' | 'event_types'>[]> {
    return q
      .selectFrom('webhook_endpoints')
      .select(['id', 'event_types'])
      .where('client_id', '=', clientId)
      .where('status', '=', 'enabled')
      .where('deleted_at', 'is', null)
      .execute();
  }

  /** The attempts of these deliveries, oldest first, by delivery. */
  async function attemptsOf(deliveryIds: string[]): Promise<Map<string, WebhookAttemptRow[]>> {
    const byDelivery = new Map<string, WebhookAttemptRow[]>();
    if (deliveryIds.length === 0) return byDelivery;
    const attempts = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('id').execute();
    for (const a of attempts) {
      const list = byDelivery.get(a.delivery_id);
      if (list) list.push(a);
      else byDelivery.set(a.delivery_id, [a]);
    }
    return byDelivery;
  }

  /** The outbox hook: runs inside the events' transaction; the endpoints are read once per client. */
  const onEventAppended: EventAppendedHook = async (tx, events) => {
    const endpointsOf = new Map<string, Pick<WebhookEndpointRow, 'id' | 'event_types'>[]>();
    for (const clientId of new Set(events.map((e) => e.clientId))) endpointsOf.set(clientId, await enabledEndpoints(tx, clientId));
    const targets = events.flatMap((event) =>
      endpointsOf
        .get(event.clientId)!
        .filter((e) => subscribes(e, event.type))
        .map((e) => ({ eventId: event.id, clientId: event.clientId, endpointId: e.id })),
    );
    if (targets.length > 0) await schedule(tx, targets, clock());
  };

  return {
    onEventAppended,

    /** An endpoint's deliveries, newest first, each with its attempts (oldest first). */
    async list(clientId: string, endpointId: string, f: DeliveryListFilter): Promise<Page<WebhookDelivery>> {
      const endpoint = await db
        .selectFrom('webhook_endpoints')
        .select('id')
        .where('client_id', '=', clientId)
        .where('id', '=', endpointId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!endpoint) throw notFound('webhook endpoint', endpointId);
      const limit = f.limit ?? 20;
      let q = db
        .selectFrom('webhook_deliveries')
        .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
        .selectAll('webhook_deliveries')
        .select('events.type as event_type')
        .where('webhook_deliveries.endpoint_id', '=', endpointId);
      if (f.startingAfter) q = q.where('webhook_deliveries.id', '<', f.startingAfter);
      if (f.status) q = q.where('webhook_deliveries.status', '=', f.status);
      if (f.eventId) q = q.where('webhook_deliveries.event_id', '=', f.eventId);
      const rows = await q
        .orderBy('webhook_deliveries.id', 'desc')
        .limit(limit + 1)
        .execute();
      const byDelivery = await attemptsOf(rows.slice(0, limit).map((r) => r.id));
      return toPage(
        rows.map(({ event_type, ...row }) => toDelivery(row, event_type, byDelivery.get(row.id) ?? [])),
        limit,
      );
    },

    /**
     * The deliveries of the events about some objects (a payment and its batch), oldest first, each
     * with its attempts: a payment's timeline in the console. Only the events of `clientIds`.
     */
    async ofObjects(clientIds: readonly string[], objectIds: readonly string[]): Promise<WebhookDelivery[]> {
      if (clientIds.length === 0 || objectIds.length === 0) return [];
      const rows = await db
        .selectFrom('webhook_deliveries')
        .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
        .selectAll('webhook_deliveries')
        .select('events.type as event_type')
        .where('events.client_id', 'in', [...clientIds])
        .where('events.object_id', 'in', [...objectIds])
        .orderBy('webhook_deliveries.id')
        .limit(200)
        .execute();
      const byDelivery = await attemptsOf(rows.map((r) => r.id));
      return rows.map(({ event_type, ...row }) => toDelivery(row, event_type, byDelivery.get(row.id) ?? []));
    },

    /**
     * Schedules a new round of an event's delivery now, with the same `webhook-id`: to one endpoint
     * of the client (even one not subscribed to the type: the client asked for it by name), or to
     * every enabled endpoint subscribed to it.
     */
    async redeliver(clientId: string, eventId: string, endpointId: string | undefined, complete?: CompleteHook): Promise<Redelivery> {
      const event = await db
        .selectFrom('events')
        .select(['id', 'client_id', 'type'])
        .where('client_id', '=', clientId)
        .where('id', '=', eventId)
        .executeTakeFirst();
      if (!event) throw notFound('event', eventId);
      return db.transaction().execute(async (tx) => {
        let targets: string[];
        if (endpointId !== undefined) {
          const endpoint = await tx
            .selectFrom('webhook_endpoints')
            .select(['id', 'status'])
            .where('client_id', '=', clientId)
            .where('id', '=', endpointId)
            .where('deleted_at', 'is', null)
            .executeTakeFirst();
          if (!endpoint) throw notFound('webhook endpoint', endpointId);
          if (endpoint.status === 'disabled') {
            throw new AppError(
              'WEBHOOK_ENDPOINT_DISABLED',
              'Webhook endpoint disabled',
              `Webhook endpoint '${endpointId}' is disabled (its deliveries failed for 5 days); register the URL again to receive events`,
            );
          }
          targets = [endpoint.id];
        } else {
          targets = (await enabledEndpoints(tx, clientId)).filter((e) => subscribes(e, event.type)).map((e) => e.id);
        }
        const now = clock();
        await schedule(
          tx,
          targets.map((endpointId) => ({ eventId: event.id, clientId, endpointId })),
          now,
        );
        const rows =
          targets.length === 0
            ? []
            : await tx
                .selectFrom('webhook_deliveries')
                .select(['id', 'endpoint_id'])
                .where('event_id', '=', event.id)
                .where('endpoint_id', 'in', targets)
                .orderBy('id')
                .execute();
        const body: Redelivery = {
          eventId: event.id,
          deliveries: rows.map((r) => ({ id: r.id, endpointId: r.endpoint_id, status: 'pending', nextAttemptAt: isoAt(now) })),
        };
        await complete?.(tx, body);
        return body;
      });
    },
  };
}

export type WebhookDeliveriesService = ReturnType<typeof createWebhookDeliveriesService>;
