// Webhook endpoints of a client: register (URL checked by the SSRF guard), list, get, delete, and
// rotate the signing secret. Every read is scoped to the client; a deleted endpoint is not found.
import type { Client } from '../clients/service.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { AppError, notFound, validationFailed } from '../errors.ts';
import type { EventType } from '../events/outbox.ts';
import type { CompleteHook } from '../idempotency/http.ts';
import { newId } from '../ids.ts';
import type { Db, DbOrTx, Tx } from '../store/database.ts';
import type { Page } from '../store/page.ts';
import { toPage } from '../store/page.ts';
import type { WebhookEndpointRow } from '../store/schema.ts';
import { toEndpoint } from './model.ts';
import type { WebhookEndpoint } from './model.ts';
import type { Resolver } from './resolver.ts';
import { generateWebhookSecret } from './signing.ts';
import { checkEndpointUrl } from './url-policy.ts';

/**
 * Endpoints a client may have at once; deleted ones do not count. Every event goes to every
 * subscribed endpoint: without a bound, 300 endpoints turned one 10-payment batch into 3,300
 * deliveries (issue #18).
 */
export const MAX_ENDPOINTS_PER_CLIENT = 20;

/** How long the secret before a rotation keeps signing (SPEC §6). */
export const SECRET_ROTATION_GRACE_MS = 24 * 3600_000;

export interface CreateEndpointInput {
  url: string;
  events?: EventType[];
}

/** An endpoint with its secret: the answer to create and rotate, the only times it is shown. */
export type WebhookEndpointWithSecret = WebhookEndpoint & { secret: string };

export interface WebhookEndpointsDeps {
  db: Db;
  clock: Clock;
  resolve: Resolver;
}

/**
 * Serialises the endpoint creations of one client, so that two racing requests cannot both pass
 * the cap: a no-op update takes the client's row lock on PostgreSQL (SQLite transactions already
 * hold the database's write lock, BEGIN IMMEDIATE).
 */
async function lockClient(tx: Tx, clientId: string): Promise<void> {
  await tx
    .updateTable('clients')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', clientId)
    .execute();
}

/** The client's endpoints that are not deleted (disabled ones count: they can be deleted). */
async function countEndpoints(q: DbOrTx, clientId: string): Promise<number> {
  const { n } = await q
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('client_id', '=', clientId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

function endpointLimitReached(): AppError {
  return new AppError(
    'WEBHOOK_ENDPOINT_LIMIT',
    'Too many webhook endpoints',
    `A client may have ${MAX_ENDPOINTS_PER_CLIENT} webhook endpoints; delete one before registering another`,
  );
}

export function createWebhookEndpointsService({ db, clock, resolve }: WebhookEndpointsDeps) {
  /** The client's endpoint row (not deleted), or undefined. */
  async function findRow(q: DbOrTx, clientId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    return q
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  return {
    findRow: (clientId: string, id: string) => findRow(db, clientId, id),

    /** Registers an endpoint; its secret is in this answer and never again. */
    async create(client: Client, input: CreateEndpointInput, complete?: CompleteHook): Promise<WebhookEndpointWithSecret> {
      const errors = await checkEndpointUrl(input.url, client.mode, resolve);
      if (errors.length > 0) throw validationFailed(errors);
      const now = clock();
      const events = input.events === undefined ? null : [...new Set(input.events)];
      const row: WebhookEndpointRow = {
        id: newId('webhookEndpoint', now),
        client_id: client.id,
        url: input.url,
        event_types: events === null ? null : JSON.stringify(events),
        secret: generateWebhookSecret(),
        previous_secret: null,
        previous_secret_expires_at: null,
        status: 'enabled',
        disabled_reason: null,
        disabled_at: null,
        failing_since: null,
        lease_owner: null,
        lease_until: null,
        deleted_at: null,
        created_at: isoAt(now),
        updated_at: isoAt(now),
      };
      const body = { ...toEndpoint(row, isoAt(now)), secret: row.secret };
      await db.transaction().execute(async (tx) => {
        await lockClient(tx, client.id);
        if ((await countEndpoints(tx, client.id)) >= MAX_ENDPOINTS_PER_CLIENT) throw endpointLimitReached();
        await tx.insertInto('webhook_endpoints').values(row).execute();
        await complete?.(tx, body);
      });
      return body;
    },

    async list(clientId: string, { limit = 20, startingAfter }: { limit?: number; startingAfter?: string }): Promise<Page<WebhookEndpoint>> {
      let q = db.selectFrom('webhook_endpoints').selectAll().where('client_id', '=', clientId).where('deleted_at', 'is', null);
      if (startingAfter) q = q.where('id', '<', startingAfter);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const now = isoAt(clock());
      return toPage(
        rows.map((r) => toEndpoint(r, now)),
        limit,
      );
    },

    /**
     * The endpoints of several clients (a console user's), oldest first, with their client and
     * since when their deliveries fail (the first failed attempt since the last success), if they do.
     */
    async listOfClients(clientIds: readonly string[]): Promise<(WebhookEndpoint & { clientId: string; failingSince?: string })[]> {
      if (clientIds.length === 0) return [];
      const rows = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('client_id', 'in', [...clientIds])
        .where('deleted_at', 'is', null)
        .orderBy('id')
        .limit(MAX_ENDPOINTS_PER_CLIENT * clientIds.length)
        .execute();
      const now = isoAt(clock());
      return rows.map((r) => ({ ...toEndpoint(r, now), clientId: r.client_id, ...(r.failing_since !== null && { failingSince: r.failing_since }) }));
    },

    async get(clientId: string, id: string): Promise<WebhookEndpoint> {
      const row = await findRow(db, clientId, id);
      if (!row) throw notFound('webhook endpoint', id);
      return toEndpoint(row, isoAt(clock()));
    },

    /** Deletes an endpoint: nothing more is sent to it, its pending deliveries are canceled. */
    async delete(clientId: string, id: string): Promise<void> {
      const now = isoAt(clock());
      await db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('webhook_endpoints')
          // The secrets go with it: a deleted endpoint never signs again.
          .set({ deleted_at: now, updated_at: now, secret: '', previous_secret: null, previous_secret_expires_at: null })
          .where('client_id', '=', clientId)
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw notFound('webhook endpoint', id);
        await tx
          .updateTable('webhook_deliveries')
          .set({ status: 'canceled', next_attempt_at: null, updated_at: now })
          .where('endpoint_id', '=', id)
          .where('status', '=', 'pending')
          .execute();
      });
    },

    /**
     * A new secret; the current one keeps signing for 24 hours beside it (receivers roll over).
     * Rotating again within those hours drops the oldest: at most two secrets sign at once.
     */
    async rotateSecret(clientId: string, id: string, complete?: CompleteHook): Promise<WebhookEndpointWithSecret> {
      // A rotation racing another one of the same endpoint re-reads and rotates after it.
      for (;;) {
        const rotated = await db.transaction().execute(async (tx) => {
          const row = await findRow(tx, clientId, id);
          if (!row) throw notFound('webhook endpoint', id);
          const now = clock();
          const changes = {
            secret: generateWebhookSecret(),
            previous_secret: row.secret,
            previous_secret_expires_at: isoAt(now + SECRET_ROTATION_GRACE_MS),
            updated_at: isoAt(now),
          };
          const r = await tx.updateTable('webhook_endpoints').set(changes).where('id', '=', id).where('secret', '=', row.secret).executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) return undefined;
          const body = { ...toEndpoint({ ...row, ...changes }, isoAt(now)), secret: changes.secret };
          await complete?.(tx, body);
          return body;
        });
        if (rotated) return rotated;
      }
    },
  };
}

export type WebhookEndpointsService = ReturnType<typeof createWebhookEndpointsService>;
