// Batches (SPEC §11): the list with its filters in the URL (status, rail, approval, payment
// dates), paged with the API's cursors; a batch's detail with every payment, its status and the
// bank's codes.
import { APPROVAL_STATUSES } from '../../approvals/hold.ts';
import { BATCH_STATUSES } from '../../payments/state-machine.ts';
import { RAIL_TYPES } from '../../rails/rails.ts';
import { html } from '../html.ts';
import type { Html } from '../html.ts';
import type { PageContext, PageResult } from './context.ts';
import { choiceParam, cursorParam, dateParam, filterForm, money, pager, status, table, time } from './parts.ts';
import { approvalPanel } from './approvals.ts';

const PAGE_SIZE = 25;

export async function batchesPage(ctx: PageContext, query: unknown): Promise<PageResult> {
  const filters = {
    status: choiceParam(query, 'status', BATCH_STATUSES),
    type: choiceParam(query, 'type', RAIL_TYPES),
    approval: choiceParam(query, 'approval', APPROVAL_STATUSES),
    from: dateParam(query, 'from'),
    to: dateParam(query, 'to'),
  };
  const cursor = cursorParam(query);
  const page = await ctx.deps.services.batches.list(ctx.reader, {
    limit: PAGE_SIZE,
    startingAfter: cursor,
    status: filters.status,
    type: filters.type,
    approvalStatus: filters.approval,
    paymentDateFrom: filters.from,
    paymentDateTo: filters.to,
  });
  const body = html`<h1>Batches</h1>
    ${ctx.user.role !== 'viewer' ? html`<p><a class="button" href="/console/batches/new">New batch from a file</a></p>` : ''}
    ${filterForm(
      '/console/batches',
      [
        { name: 'status', label: 'Status', kind: 'select', options: BATCH_STATUSES },
        { name: 'type', label: 'Rail', kind: 'select', options: RAIL_TYPES },
        { name: 'approval', label: 'Approval', kind: 'select', options: APPROVAL_STATUSES },
        { name: 'from', label: 'Payment date from', kind: 'date' },
        { name: 'to', label: 'to', kind: 'date' },
      ],
      filters,
    )}
    ${table(
      'Batches, newest first',
      ['Batch', 'Rail', 'Status', 'Payment date', 'Payments', 'Total', 'Approval', 'Created'],
      page.data.map(
        (b) =>
          html`<tr>
            <td><a href="/console/batches/${b.id}">${b.id}</a></td>
            <td>${b.type}</td>
            <td>${status(b.status)}</td>
            <td>${b.actualPaymentDate ?? b.paymentDate}</td>
            <td>${b.summary.count}</td>
            <td class="amount">${money(b.summary.totalAmount, b.currency)}</td>
            <td>${b.approval ? status(b.approval.status) : ''}</td>
            <td>${time(b.createdAt)}</td>
          </tr>`,
      ),
      'No batch matches.',
    )}
    ${pager('/console/batches', filters, page, cursor)}`;
  return { title: 'Batches', current: 'batches', body };
}

export async function batchPage(ctx: PageContext, id: string): Promise<PageResult> {
  const { services } = ctx.deps;
  // Another client's batch (or none): NOT_FOUND, answered as the 404 page.
  const batch = await services.batches.get(ctx.reader, id);
  const payments = await services.payments.list(ctx.reader, { batchId: id, limit: 1000 });
  const s = batch.summary;
  const body: Html = html`<h1>Batch ${batch.id}</h1>
    <dl class="facts">
      <dt>Status</dt>
      <dd>${status(batch.status)}</dd>
      <dt>Rail</dt>
      <dd>${batch.type}</dd>
      <dt>Payment date</dt>
      <dd>${batch.paymentDate}${batch.actualPaymentDate ? html` (paid on ${batch.actualPaymentDate})` : ''}</dd>
      <dt>Sender account</dt>
      <dd>${batch.senderAccountId}</dd>
      <dt>Total</dt>
      <dd>${money(s.totalAmount, batch.currency)} in ${s.count} payments</dd>
      <dt>Payments by status</dt>
      <dd>${s.processing} processing, ${s.submitted} submitted, ${s.completed} completed, ${s.failed} failed</dd>
      ${
        batch.purpose
          ? html`<dt>Purpose</dt>
              <dd>${batch.purpose}</dd>`
          : ''
      }
      ${
        batch.failure
          ? html`<dt>Failure</dt>
              <dd>${batch.failure.stage} ${batch.failure.code}: ${batch.failure.message}</dd>`
          : ''
      }
      <dt>Created</dt>
      <dd>${time(batch.createdAt)}</dd>
    </dl>
    ${batch.approval ? approvalPanel(ctx, 'payment-batch', batch.id, batch.approval) : ''}
    <h2>Payments</h2>
    ${table(
      `The ${s.count} payments of the batch`,
      ['Payment', 'Reference', 'Receiver', 'Amount', 'Status', 'Bank code', 'Bank’s words'],
      payments.data
        .slice()
        .reverse()
        .map(
          (p) =>
            html`<tr>
              <td><a href="/console/payments/${p.id}">${p.id}</a></td>
              <td>${p.customerReference}</td>
              <td>${p.receiver.name}</td>
              <td class="amount">${money(p.amount, p.currency)}</td>
              <td>${status(p.status)}</td>
              <td>${p.failure?.code ?? ''}</td>
              <td>${p.failure ? `${p.failure.stage}: ${p.failure.message}` : ''}</td>
            </tr>`,
        ),
    )}`;
  return { title: `Batch ${batch.id}`, current: 'batches', body };
}
