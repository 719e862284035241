// The overview (SPEC §11): today's volume and failures per rail as charts, what waits for
// approval, overdue bank files, failing webhook endpoints — each for the user's clients.
//
// "Today" is the UTC day: rails run in Hong Kong and Singapore time, but one day for all keeps
// the charts comparable; the page says which day. The charts' numbers are in a JSON block that
// our script (assets/overview-charts.js) draws with uPlot: no inline script under the CSP. The
// same numbers are in a table, for screen readers and without scripts.
import { isoAt } from '../../clock.ts';
import { RAIL_TYPES } from '../../rails/rails.ts';
import { html, raw } from '../html.ts';
import type { PageContext, PageResult } from './context.ts';
import { money, status, table, time } from './parts.ts';

/** JSON for a <script type="application/json"> block: `<` escaped so no `</script>` can end it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export async function overviewPage(ctx: PageContext): Promise<PageResult> {
  const { services } = ctx.deps;
  const now = ctx.deps.clock();
  const day = isoAt(now).slice(0, 10);
  const from = `${day}T00:00:00.000Z`;
  const to = isoAt(Date.parse(from) + 86_400_000);
  const [counts, approvals, overdue, endpoints] = await Promise.all([
    services.payments.countsByRail(ctx.reader, from, to),
    services.approvals.list(ctx.reader, { status: 'PENDING', limit: 10 }),
    services.bankFiles.overdue(ctx.user.clientIds),
    services.webhookEndpoints.listOfClients(ctx.user.clientIds),
  ]);

  const rails = RAIL_TYPES.filter((r) => counts.some((c) => c.type === r));
  const total = rails.map((r) => counts.filter((c) => c.type === r).reduce((n, c) => n + c.count, 0));
  const failed = rails.map((r) => counts.filter((c) => c.type === r && c.status === 'FAILED').reduce((n, c) => n + c.count, 0));
  const amounts = new Map<string, number>();
  for (const c of counts) amounts.set(`${c.type} ${c.currency}`, (amounts.get(`${c.type} ${c.currency}`) ?? 0) + c.amount);
  const failing = endpoints.filter((e) => e.status === 'disabled' || e.failingSince !== undefined);

  const body = html`<h1>Overview</h1>
    <section aria-labelledby="today">
      <h2 id="today">Today (${day}, UTC)</h2>
      ${
        rails.length === 0
          ? html`<p class="empty">No payments created today.</p>`
          : html`<script type="application/json" id="overview-data">
                ${raw(jsonForScript({ rails, total, failed }))}
              </script>
              <div class="charts">
                <figure>
                  <div id="chart-volume" class="chart" role="img" aria-label="Payments created today per rail (the table below has the numbers)"></div>
                  <figcaption>Payments per rail</figcaption>
                </figure>
                <figure>
                  <div id="chart-failures" class="chart" role="img" aria-label="Failed payments today per rail (the table below has the numbers)"></div>
                  <figcaption>Failures per rail</figcaption>
                </figure>
              </div>
              ${table(
                'Payments created today per rail',
                ['Rail', 'Payments', 'Failed', 'Volume'],
                rails.map(
                  (r, i) =>
                    html`<tr>
                      <th scope="row">${r}</th>
                      <td>${total[i]}</td>
                      <td>${failed[i]}</td>
                      <td>
                        ${[...amounts]
                          .filter(([k]) => k.startsWith(`${r} `))
                          .map(([k, v]) => html`<span class="amount">${money(v, k.slice(r.length + 1))}</span> `)}
                      </td>
                    </tr>`,
                ),
              )}`
      }
    </section>
    <section aria-labelledby="waiting">
      <h2 id="waiting">Waiting for approval</h2>
      ${table(
        'Batches and payments waiting for approval',
        ['What', 'Amount', 'Approvals', 'Expires'],
        approvals.data.map(
          (a) =>
            html`<tr>
              <td>
                <a href="${a.objectType === 'payment' ? `/console/payments/${a.objectId}` : `/console/batches/${a.objectId}`}"
                  >${a.objectType === 'payment' ? 'Payment' : 'Batch'} ${a.objectId}</a
                >
              </td>
              <td>${money(a.amount, a.currency)}</td>
              <td>${a.approvals.length} of ${a.required}</td>
              <td>${time(a.expiresAt)}</td>
            </tr>`,
        ),
        'Nothing waits for approval.',
      )}
      ${approvals.data.length > 0 ? html`<p><a href="/console/approvals">All approvals</a></p>` : ''}
    </section>
    <section aria-labelledby="overdue">
      <h2 id="overdue">Overdue bank files</h2>
      ${table(
        'Files sent with no acknowledgement within their connection’s timeout',
        ['File', 'Batch', 'Sent', 'Overdue since'],
        overdue.map(
          (f) =>
            html`<tr>
              <td>${f.name}</td>
              <td>${f.batchId ? html`<a href="/console/batches/${f.batchId}">${f.batchId}</a>` : ''}</td>
              <td>${time(f.uploadedAt)}</td>
              <td>${time(f.overdueAt)}</td>
            </tr>`,
        ),
        'No bank file is overdue.',
      )}
    </section>
    <section aria-labelledby="failing">
      <h2 id="failing">Failing webhook endpoints</h2>
      ${table(
        'Webhook endpoints whose deliveries fail',
        ['Endpoint', 'Client', 'Status', 'Failing since'],
        failing.map(
          (e) =>
            html`<tr>
              <td><a href="/console/webhooks/${e.id}">${e.url}</a></td>
              <td>${e.clientId}</td>
              <td>${status(e.status)}</td>
              <td>${time(e.failingSince ?? e.disabledAt)}</td>
            </tr>`,
        ),
        'Every webhook endpoint delivers.',
      )}
    </section>`;
  return { title: 'Overview', current: 'overview', body, assets: ['uPlot.min.css', 'uPlot.min.js', 'overview-charts.js'] };
}
