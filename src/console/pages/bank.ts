// Bank connections and their files (SPEC §11). A connection is the operator's link to a bank,
// shared by every client whose accounts are at that bank: its settings and state say nothing
// about one client, so only admins see the connections. Files are listed for every role, narrowed
// to the user's clients (a file concerns a client when it carries one of its payments, see
// src/bank-files/files-service.ts); downloading an archived pain.001 or pain.002 is for admins,
// since a file of single payments, or a bank's report, can carry several clients' payments.
import { html } from '../html.ts';
import { can } from '../user.ts';
import type { PageContext, PageResult } from './context.ts';
import { choiceParam, cursorParam, filterForm, pager, param, status, table, time } from './parts.ts';

const PAGE_SIZE = 25;

export async function bankPage(ctx: PageContext, query: unknown): Promise<PageResult> {
  const { bankConnections, bankFiles } = ctx.deps.services;
  const filters = { direction: choiceParam(query, 'direction', ['out', 'in'] as const), connection: param(query, 'connection') };
  const cursor = cursorParam(query);
  const admin = can(ctx.user, 'admin');
  const [connections, files] = await Promise.all([
    admin ? bankConnections.list() : Promise.resolve([]),
    bankFiles.list(ctx.user.clientIds, { limit: PAGE_SIZE, startingAfter: cursor, direction: filters.direction, connectionId: filters.connection }),
  ]);
  const body = html`<h1>Bank connections and files</h1>
    ${
      admin
        ? html`<h2>Connections</h2>
            ${table(
              'Live bank connections',
              ['Connection', 'Banks (BIC)', 'Profile', 'State', 'Last poll', 'Awaiting ACK1', 'Overdue', 'Not uploaded'],
              connections.map(
                (c) =>
                  html`<tr>
                    <td><a href="/console/bank-connections?connection=${c.id}">${c.name}</a><br /><small>${c.id}</small></td>
                    <td>${c.bics.join(', ')}</td>
                    <td>${c.profile}</td>
                    <td>${status(c.state.status)}${c.state.lastError ? html` <small>${c.state.lastError}</small>` : ''}</td>
                    <td>${time(c.state.lastPollAt)}</td>
                    <td>${c.state.filesAwaitingAck1}</td>
                    <td>${c.state.filesOverdue}</td>
                    <td>${c.state.filesNotUploaded}</td>
                  </tr>`,
              ),
              'No live bank connection (test mode goes to the sandbox bank).',
            )}`
        : ''
    }
    <h2>Files</h2>
    ${filterForm(
      '/console/bank-connections',
      [
        { name: 'direction', label: 'Direction', kind: 'select', options: ['out', 'in'] },
        { name: 'connection', label: 'Connection id' },
      ],
      filters,
    )}
    ${table(
      'Files sent (pain.001) and received (pain.002) concerning your clients, newest first',
      ['File', 'Direction', 'Connection', 'Batch', 'State', 'Created', ...(admin ? ['Archived copy'] : [])],
      files.data.map(
        (f) =>
          html`<tr>
            <td>${f.name}${f.reason ? html`<br /><small>${f.reason}</small>` : ''}</td>
            <td>${f.direction === 'out' ? 'sent (pain.001)' : 'received (pain.002)'}</td>
            <td>${f.connectionId ?? ''}</td>
            <td>${f.batchId ? html`<a href="/console/batches/${f.batchId}">${f.batchId}</a>` : ''}</td>
            <td>${status(f.state)}${f.verdict ? html` ${f.verdict}` : ''}${f.overdueAt ? html` <span class="status status-overdue">OVERDUE</span>` : ''}</td>
            <td>${time(f.createdAt)}</td>
            ${admin ? html`<td><a href="/console/bank-connections/files/${f.id}/download" download>Download ${f.name}</a></td>` : ''}
          </tr>`,
      ),
      'No bank file concerns your clients.',
    )}
    ${pager('/console/bank-connections', filters, files, cursor)}`;
  return { title: 'Bank connections', current: 'banks', body };
}
