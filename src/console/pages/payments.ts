// Payments (SPEC §11): search by id, customer reference, receiver, status, rail and creation dates
// (all in the URL), and a payment's timeline — each status with the bank's code and words and the
// file it came in — and the webhooks sent for it (its events and its batch's) with their attempts.
import { PAYMENT_STATUSES } from '../../payments/state-machine.ts';
import { RAIL_TYPES } from '../../rails/rails.ts';
import type { WebhookDelivery } from '../../webhooks/model.ts';
import { html } from '../html.ts';
import type { Html } from '../html.ts';
import { can } from '../user.ts';
import { approvalPanel } from './approvals.ts';
import type { PageContext, PageResult } from './context.ts';
import { attemptsList, choiceParam, csrfField, cursorParam, dateParam, filterForm, money, pager, param, status, table, time } from './parts.ts';

const PAGE_SIZE = 25;

/** The next day of a YYYY-MM-DD date, as the instant it starts ("to" dates are inclusive). */
function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();
}

export async function paymentsPage(ctx: PageContext, query: unknown): Promise<PageResult | { redirect: string }> {
  const filters = {
    id: param(query, 'id'),
    reference: param(query, 'reference'),
    receiver: param(query, 'receiver'),
    status: choiceParam(query, 'status', PAYMENT_STATUSES),
    type: choiceParam(query, 'type', RAIL_TYPES),
    from: dateParam(query, 'from'),
    to: dateParam(query, 'to'),
  };
  const { payments } = ctx.deps.services;
  // An id is one payment: straight to it when the user may see it.
  if (filters.id && (await payments.find(ctx.reader, filters.id))) return { redirect: `/console/payments/${encodeURIComponent(filters.id)}` };
  const cursor = cursorParam(query);
  const page = filters.id
    ? { data: [], hasMore: false }
    : await payments.list(ctx.reader, {
        limit: PAGE_SIZE,
        startingAfter: cursor,
        status: filters.status,
        type: filters.type,
        customerReference: filters.reference,
        receiver: filters.receiver,
        createdFrom: filters.from && `${filters.from}T00:00:00.000Z`,
        createdTo: filters.to && dayAfter(filters.to),
      });
  const body = html`<h1>Payments</h1>
    ${filterForm(
      '/console/payments',
      [
        { name: 'id', label: 'Payment id' },
        { name: 'reference', label: 'Customer reference' },
        { name: 'receiver', label: 'Receiver' },
        { name: 'status', label: 'Status', kind: 'select', options: PAYMENT_STATUSES },
        { name: 'type', label: 'Rail', kind: 'select', options: RAIL_TYPES },
        { name: 'from', label: 'Created from', kind: 'date' },
        { name: 'to', label: 'to', kind: 'date' },
      ],
      filters,
    )}
    ${table(
      'Payments, newest first',
      ['Payment', 'Reference', 'Receiver', 'Rail', 'Amount', 'Status', 'Batch', 'Created'],
      page.data.map(
        (p) =>
          html`<tr>
            <td><a href="/console/payments/${p.id}">${p.id}</a></td>
            <td>${p.customerReference}</td>
            <td>${p.receiver.name}</td>
            <td>${p.type}</td>
            <td class="amount">${money(p.amount, p.currency)}</td>
            <td>${status(p.status)}</td>
            <td>${p.batchId ? html`<a href="/console/batches/${p.batchId}">${p.batchId}</a>` : ''}</td>
            <td>${time(p.createdAt)}</td>
          </tr>`,
      ),
      filters.id ? `No payment ${filters.id} among yours.` : 'No payment matches.',
    )}
    ${pager('/console/payments', filters, page, cursor)}`;
  return { title: 'Payments', current: 'payments', body };
}

function deliveriesTable(ctx: PageContext, deliveries: WebhookDelivery[]): Html {
  const admin = can(ctx.user, 'admin');
  return table(
    'Webhook deliveries of its events, with every attempt',
    ['Event', 'Endpoint', 'Status', 'Attempts', ...(admin ? ['Redeliver'] : [])],
    deliveries.map(
      (d) =>
        html`<tr>
          <td>${d.eventType}<br /><small>${d.eventId}</small></td>
          <td><a href="/console/webhooks/${d.endpointId}">${d.endpointId}</a></td>
          <td>${status(d.status)}</td>
          <td>${attemptsList(d.attempts)}</td>
          ${admin ? html`<td>${redeliverForm(ctx, d.endpointId, d.eventId)}</td>` : ''}
        </tr>`,
    ),
    'No webhook was sent for it.',
  );
}

/** The redeliver button of one event to one endpoint (admin). */
export function redeliverForm(ctx: PageContext, endpointId: string, eventId: string): Html {
  return html`<form method="post" action="/console/webhooks/${endpointId}/redeliver">
    ${csrfField(ctx.csrfToken)}
    <input type="hidden" name="eventId" value="${eventId}" />
    <button type="submit">Redeliver ${eventId}</button>
  </form>`;
}

export async function paymentPage(ctx: PageContext, id: string): Promise<PageResult> {
  const { services } = ctx.deps;
  // Another client's payment (or none): NOT_FOUND, answered as the 404 page.
  const payment = await services.payments.get(ctx.reader, id);
  const [history, deliveries] = await Promise.all([
    services.payments.history(ctx.reader, id),
    services.webhookDeliveries.ofObjects(ctx.user.clientIds, payment.batchId ? [payment.id, payment.batchId] : [payment.id]),
  ]);
  const admin = can(ctx.user, 'admin');
  const r = payment.receiver;
  const body = html`<h1>Payment ${payment.id}</h1>
    <dl class="facts">
      <dt>Status</dt>
      <dd>${status(payment.status)}</dd>
      <dt>Amount</dt>
      <dd>${money(payment.amount, payment.currency)}</dd>
      <dt>Rail</dt>
      <dd>${payment.type}</dd>
      <dt>Customer reference</dt>
      <dd>${payment.customerReference}</dd>
      <dt>Receiver</dt>
      <dd>
        ${r.name}${r.bank ? `, ${r.bank}` : ''}${r.bankAccountNumber ? ` ${r.bankAccountNumber}` : ''}${r.proxy ? ` (${r.proxy.type} ${r.proxy.value})` : ''}
      </dd>
      <dt>Payment date</dt>
      <dd>${payment.paymentDate}${payment.actualPaymentDate ? html` (paid on ${payment.actualPaymentDate})` : ''}</dd>
      ${
        payment.batchId
          ? html`<dt>Batch</dt>
              <dd><a href="/console/batches/${payment.batchId}">${payment.batchId}</a></dd>`
          : ''
      }
      ${
        payment.failure
          ? html`<dt>Failure</dt>
              <dd>${payment.failure.stage} ${payment.failure.code}: ${payment.failure.message}</dd>`
          : ''
      }
    </dl>
    ${payment.approval ? approvalPanel(ctx, 'payment', payment.id, payment.approval) : ''}
    <h2>Timeline</h2>
    <ol class="timeline">
      ${history.map(
        (c) =>
          html`<li>
            ${time(c.createdAt)} ${c.stage}: ${c.fromStatus ? html`${status(c.fromStatus)} → ` : ''}${status(c.status)}
            ${c.bankStatus ? html`<span class="bank-status">bank status ${c.bankStatus}</span>` : ''}
            ${c.reasonCode ? html`<span class="reason-code">code ${c.reasonCode}</span>` : ''} ${c.reasonText ? html`<q>${c.reasonText}</q>` : ''}
            ${c.message ? html`<span class="message-text">${c.message}</span>` : ''}
            ${
              c.bankFileName
                ? html`<span class="bank-file"
                    >from file
                    ${admin && c.bankFileId ? html`<a href="/console/bank-connections/files/${c.bankFileId}/download">${c.bankFileName}</a>` : c.bankFileName}</span
                  >`
                : ''
            }
          </li>`,
      )}
    </ol>
    <h2>Webhooks</h2>
    ${deliveriesTable(ctx, deliveries)}`;
  return { title: `Payment ${payment.id}`, current: 'payments', body };
}
