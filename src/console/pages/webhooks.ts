// Webhook endpoints (SPEC §11): the endpoints of the user's clients, an endpoint's deliveries with
// every attempt (filtered by event in the URL), and the redeliver button (admin): a new round of
// the same delivery through the deliveries service, with its audit entry in the same transaction.
import { AppError } from '../../errors.ts';
import { html } from '../html.ts';
import type { Html } from '../html.ts';
import { can } from '../user.ts';
import type { PageContext, PageResult } from './context.ts';
import { attemptsList, cursorParam, filterForm, message, pager, param, status, table, time } from './parts.ts';
import { redeliverForm } from './payments.ts';

const PAGE_SIZE = 25;

export async function webhooksPage(ctx: PageContext): Promise<PageResult> {
  const endpoints = await ctx.deps.services.webhookEndpoints.listOfClients(ctx.user.clientIds);
  const body = html`<h1>Webhook endpoints</h1>
    ${table(
      'Webhook endpoints of your clients',
      ['Endpoint', 'Client', 'Events', 'Status', 'Failing since'],
      endpoints.map(
        (e) =>
          html`<tr>
            <td><a href="/console/webhooks/${e.id}">${e.url}</a></td>
            <td>${e.clientId}</td>
            <td>${e.events ? e.events.join(', ') : 'all'}</td>
            <td>${status(e.status)}${e.disabledReason ? html` <small>${e.disabledReason}</small>` : ''}</td>
            <td>${time(e.failingSince)}</td>
          </tr>`,
      ),
      'Your clients have no webhook endpoint.',
    )}`;
  return { title: 'Webhook endpoints', current: 'webhooks', body };
}

/** The endpoint `id` of one of the user's clients with that client, or NOT_FOUND. */
async function endpointOf(ctx: PageContext, id: string) {
  const endpoint = (await ctx.deps.services.webhookEndpoints.listOfClients(ctx.user.clientIds)).find((e) => e.id === id);
  if (!endpoint) throw new AppError('NOT_FOUND', 'Not found', `No webhook endpoint '${id}'`);
  return endpoint;
}

export async function webhookPage(ctx: PageContext, id: string, query: unknown, notice?: Html): Promise<PageResult> {
  const endpoint = await endpointOf(ctx, id);
  const filters = { eventId: param(query, 'eventId') };
  const cursor = cursorParam(query);
  const page = await ctx.deps.services.webhookDeliveries.list(endpoint.clientId, id, { limit: PAGE_SIZE, startingAfter: cursor, eventId: filters.eventId });
  const admin = can(ctx.user, 'admin');
  const body = html`<h1>Webhook endpoint ${endpoint.url}</h1>
    ${notice ?? ''}
    <dl class="facts">
      <dt>Id</dt>
      <dd>${endpoint.id}</dd>
      <dt>Client</dt>
      <dd>${endpoint.clientId}</dd>
      <dt>Status</dt>
      <dd>${status(endpoint.status)}</dd>
      <dt>Events</dt>
      <dd>${endpoint.events ? endpoint.events.join(', ') : 'all'}</dd>
    </dl>
    <h2>Deliveries</h2>
    ${filterForm(`/console/webhooks/${id}`, [{ name: 'eventId', label: 'Event id' }], filters)}
    ${table(
      'Deliveries to this endpoint, newest first, with every attempt',
      ['Event', 'Status', 'Attempts', 'Next attempt', ...(admin ? ['Redeliver'] : [])],
      page.data.map(
        (d) =>
          html`<tr>
            <td>${d.eventType}<br /><small>${d.eventId}</small></td>
            <td>${status(d.status)}</td>
            <td>${attemptsList(d.attempts)}</td>
            <td>${time(d.nextAttemptAt)}</td>
            ${admin ? html`<td>${redeliverForm(ctx, id, d.eventId)}</td>` : ''}
          </tr>`,
      ),
      'Nothing was delivered to this endpoint.',
    )}
    ${pager(`/console/webhooks/${id}`, filters, page, cursor)}`;
  return { title: 'Webhook endpoint', current: 'webhooks', body };
}

/** Redelivers one event to one endpoint as the admin user; the notice to show. */
export async function redeliver(ctx: PageContext, endpointId: string, eventId: string | undefined, sourceAddress: string): Promise<Html> {
  const endpoint = await endpointOf(ctx, endpointId);
  if (!eventId) return message('error', 'Choose an event to redeliver.');
  const { webhookDeliveries, audit } = ctx.deps.services;
  try {
    await webhookDeliveries.redeliver(endpoint.clientId, eventId, endpointId, async (tx) => {
      await audit.record(tx, {
        actor: { kind: 'user', id: ctx.user.id },
        sourceAddress,
        action: 'webhook.redeliver',
        object: { type: 'event', id: eventId },
        details: { endpointId, clientId: endpoint.clientId },
      });
    });
  } catch (err) {
    if (err instanceof AppError && err.code !== 'NOT_FOUND') return message('error', html`<strong>${err.code}</strong>: ${err.detail ?? err.title}`);
    if (err instanceof AppError) return message('error', `No event ${eventId} of this endpoint’s client.`);
    throw err;
  }
  return message('notice', `Event ${eventId} is scheduled for redelivery to ${endpoint.url}.`);
}
