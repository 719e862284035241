// The admin's pages (SPEC §11): users (list, create → the set-up link, disable, reset), the audit
// log (paginated, filtered by ?action= and ?object=, so a view can be bookmarked) and the approval
// policies. An admin manages only users whose clients are all among their own, sets policies only
// for their clients, and sees only audit entries about their clients. An admin creates and resets
// only viewers and makers (the set-up link owns the account: CONSOLE_SET_UP_ROLES); disabling is
// for every role.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { AuditEntry } from '../../audit/log.ts';
import type { ApprovalPolicy } from '../../approvals/policies.ts';
import type { ConsoleDeps } from '../index.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { requireUser } from '../auth/session.ts';
import type { UserView } from '../auth/users.ts';
import { CONSOLE_SET_UP_ROLES, maySetUp } from '../auth/users.ts';
import type { ConsoleUser } from '../user.ts';

type Form = Record<string, string | string[] | undefined>;

const text = (v: string | string[] | undefined): string => (typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '');
const list = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : []);

function send(reply: FastifyReply, page: Html, code = 200): FastifyReply {
  return reply.code(code).type('text/html; charset=utf-8').send(page.toString());
}

function csrfField(request: FastifyRequest): Html {
  return html`<input type="hidden" name="_csrf" value="${request.csrfToken}" />`;
}

/** Users this admin may see and manage: each of the user's clients is one of the admin's. */
function manageable(admin: ConsoleUser, u: UserView): boolean {
  return u.clients.length > 0 && u.clients.every((c) => admin.clientIds.includes(c));
}

function statusBadge(u: UserView): Html {
  if (u.lockedUntil) return html`<span class="badge warn">locked until ${u.lockedUntil.slice(11, 16)} UTC</span>`;
  const cls = u.status === 'active' ? 'ok' : u.status === 'disabled' ? 'danger' : '';
  return html`<span class="badge ${cls}">${u.status}</span>`;
}

function usersBody(request: FastifyRequest, admin: ConsoleUser, users: UserView[], o: { error?: string; created?: { email: string; link: string } }): Html {
  return html`<h1>Users</h1>
    ${
      o.created
        ? html`<div class="alert ok" role="status">
            <p>Created <strong>${o.created.email}</strong>. Send them this one-time set-up link (valid 24 hours; it is not shown again):</p>
            <code class="link" id="setup-link">${o.created.link}</code>
          </div>`
        : ''
    }
    ${o.error ? html`<div class="alert error" role="alert" id="form-error">${o.error}</div>` : ''}
    <div class="table-wrap">
      <table>
        <caption class="muted">
          People who sign in to this console with your clients
        </caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Clients</th>
            <th scope="col">Status</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          ${users.map(
            (u) =>
              html`<tr>
                <td>${u.email}</td>
                <td>${u.role}${u.totp ? html` <span class="muted">(TOTP)</span>` : ''}</td>
                <td class="mono">${u.clients.join(', ')}</td>
                <td>${statusBadge(u)}</td>
                <td>${u.lastSignInAt ?? html`<span class="muted">never</span>`}</td>
                <td>
                  ${
                    u.id === admin.id
                      ? html`<span class="muted">you</span>`
                      : html`${
                          maySetUp({ kind: 'user', id: admin.id }, u.role)
                            ? html`<form method="post" action="/console/users/${u.id}/reset" class="inline">
                                ${csrfField(request)}<button type="submit" class="secondary" aria-label="Reset ${u.email}">Reset</button>
                              </form>`
                            : html`<span class="muted">reset with the CLI</span>`
                        }
                        ${
                          u.status === 'disabled'
                            ? ''
                            : html`<form method="post" action="/console/users/${u.id}/disable" class="inline">
                                ${csrfField(request)}<button type="submit" class="danger" aria-label="Disable ${u.email}">Disable</button>
                              </form>`
                        }`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h2 id="new-user">New user</h2>
    <form method="post" action="/console/users" class="stack narrow-left" aria-labelledby="new-user">
      ${csrfField(request)}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" required autocomplete="off" />
      <label for="role">Role</label>
      <select id="role" name="role">
        ${CONSOLE_SET_UP_ROLES.map((r) => html`<option value="${r}">${r}</option>`)}
      </select>
      <fieldset>
        <legend>Clients</legend>
        ${admin.clientIds.map(
          (c, i) =>
            html`<div>
              <input type="checkbox" id="client-${i}" name="clients" value="${c}" ${admin.clientIds.length === 1 ? 'checked' : ''} />
              <label for="client-${i}" class="mono">${c}</label>
            </div>`,
        )}
      </fieldset>
      <p class="hint">
        Viewers read; makers also create batches and payments. Approvers and admins are created and reset by whoever runs the server (payrail users
        create|reset): whoever holds a set-up link owns the account, and you may not approve the work of an account you set up.
      </p>
      <button type="submit">Create user</button>
    </form>`;
}

function auditBody(entries: AuditEntry[], hasMore: boolean, q: { action: string; object: string }): Html {
  const qs = (after: string) => new URLSearchParams({ ...(q.action && { action: q.action }), ...(q.object && { object: q.object }), after }).toString();
  return html`<h1>Audit log</h1>
    <form method="get" action="/console/audit-log" class="filters" role="search" aria-label="Filter the audit log">
      <label for="action">Action <input id="action" name="action" value="${q.action}" placeholder="e.g. approval.approve" /></label>
      <label for="object">Object id <input id="object" name="object" value="${q.object}" placeholder="pymtb_…, cli_…, usr_…" /></label>
      <button type="submit">Filter</button>
      <a href="/console/audit-log">Clear</a>
    </form>
    <div class="table-wrap">
      <table>
        <caption class="muted">
          Newest first. Entries cannot be edited or deleted.
        </caption>
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">From</th>
            <th scope="col">Action</th>
            <th scope="col">Object</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          ${
            entries.length === 0
              ? html`<tr>
                  <td colspan="6">No entries.</td>
                </tr>`
              : ''
          }
          ${entries.map(
            (e) =>
              html`<tr>
                <td class="mono">${e.at.replace('T', ' ').replace('Z', '')}</td>
                <td>${e.actor.kind} <span class="mono">${e.actor.id}</span>${e.osUser ? html` <span class="muted">(${e.osUser})</span>` : ''}</td>
                <td class="mono">${e.sourceAddress ?? ''}</td>
                <td class="mono"><a href="/console/audit-log?${new URLSearchParams({ action: e.action }).toString()}">${e.action}</a></td>
                <td>
                  ${e.object.type} <a class="mono" href="/console/audit-log?${new URLSearchParams({ object: e.object.id }).toString()}">${e.object.id}</a>
                </td>
                <td class="mono">${Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <nav class="pager" aria-label="Pages">
      ${hasMore && entries.length > 0 ? html`<a href="/console/audit-log?${qs(entries[entries.length - 1]!.id)}" rel="next">Older entries</a>` : ''}
    </nav>`;
}

function policyBody(request: FastifyRequest, admin: ConsoleUser, policies: ApprovalPolicy[], o: { error?: string; saved?: boolean }): Html {
  return html`<h1>Approval policy</h1>
    <p>
      Batches and payments whose amount (a batch: its total) is above the threshold wait for that many approvers before they go to the bank. A sender account's
      policy replaces its client's.
    </p>
    ${o.saved ? html`<div class="alert ok" role="status">The policy is saved.</div>` : ''}
    ${o.error ? html`<div class="alert error" role="alert" id="form-error">${o.error}</div>` : ''}
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">Sender account</th>
            <th scope="col" class="num">Above (minor units)</th>
            <th scope="col" class="num">Approvers</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          ${
            policies.length === 0
              ? html`<tr>
                  <td colspan="5">No policy: nothing waits for approval.</td>
                </tr>`
              : ''
          }
          ${policies.map(
            (p) =>
              html`<tr>
                <td class="mono">${p.clientId}</td>
                <td class="mono">${p.accountId ?? html`<span class="muted">every account</span>`}</td>
                <td class="num">${p.above}</td>
                <td class="num">${p.approvers}</td>
                <td class="mono">${p.updatedAt}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h2 id="set-policy">Set a policy</h2>
    <form method="post" action="/console/approval-policy" class="stack narrow-left" aria-labelledby="set-policy">
      ${csrfField(request)}
      <label for="clientId">Client</label>
      <select id="clientId" name="clientId">
        ${admin.clientIds.map((c) => html`<option value="${c}">${c}</option>`)}
      </select>
      <label for="accountId">Sender account <span class="hint">(optional: intacct_…; empty for the whole client)</span></label>
      <input id="accountId" name="accountId" class="mono" />
      <label for="above">Above, in minor units <span class="hint">(100000 = 1,000.00; 0 = everything)</span></label>
      <input id="above" name="above" inputmode="numeric" pattern="[0-9]+" required />
      <label for="approvers">Approvers</label>
      <select id="approvers" name="approvers">
        <option value="1">1</option>
        <option value="2">2</option>
      </select>
      <button type="submit">Save policy</button>
    </form>`;
}

/** The status of a refusal shown on the users page (problemText rethrows anything else). */
const statusOf = (err: unknown): number => (err instanceof AppError ? err.status : 400);

function problemText(err: unknown): string {
  if (err instanceof AppError) {
    const fields = err.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    return fields ? `${err.detail ?? err.title} (${fields})` : (err.detail ?? err.title);
  }
  throw err;
}

export async function registerAdminPages(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const users = deps.services.consoleUsers;
  const visibleUsers = async (admin: ConsoleUser) => (await users.list()).filter((u) => manageable(admin, u));
  const page = (request: FastifyRequest, title: string, current: string, body: Html) =>
    layout({ title, user: request.consoleUser, csrfToken: request.csrfToken, current, body });

  const usersPage = async (request: FastifyRequest, reply: FastifyReply, admin: ConsoleUser, o: Parameters<typeof usersBody>[3], code = 200) =>
    send(reply, page(request, 'Users', 'users', usersBody(request, admin, await visibleUsers(admin), o)), code);

  app.get('/users', async (request, reply) => {
    const admin = requireUser(request, reply, 'admin');
    if (!admin) return reply;
    return usersPage(request, reply, admin, {});
  });

  app.post<{ Body: Form }>('/users', async (request, reply) => {
    const admin = requireUser(request, reply, 'admin');
    if (!admin) return reply;
    const clientIds = list(request.body?.clients);
    const foreign = clientIds.filter((c) => !admin.clientIds.includes(c));
    if (foreign.length > 0) return usersPage(request, reply, admin, { error: `Not one of your clients: ${foreign.join(', ')}` }, 400);
    try {
      const { user, setupToken } = await users.create(
        { email: text(request.body?.email), role: text(request.body?.role), clientIds },
        { kind: 'user', id: admin.id },
        request.ip,
      );
      return usersPage(request, reply, admin, { created: { email: user.email, link: `${deps.config.publicUrl}/console/setup/${setupToken}` } });
    } catch (err) {
      return usersPage(request, reply, admin, { error: problemText(err) }, statusOf(err));
    }
  });

  for (const action of ['disable', 'reset'] as const) {
    app.post<{ Params: { id: string } }>(`/users/:id/${action}`, async (request, reply) => {
      const admin = requireUser(request, reply, 'admin');
      if (!admin) return reply;
      const target = await users.get(request.params.id);
      if (!target || !manageable(admin, target) || target.id === admin.id) return usersPage(request, reply, admin, { error: 'No such user among yours.' }, 404);
      if (action === 'disable') {
        await users.disable(target.id, { kind: 'user', id: admin.id }, request.ip);
        return usersPage(request, reply, admin, {});
      }
      try {
        const { setupToken } = await users.reset(target.id, { kind: 'user', id: admin.id }, request.ip);
        return usersPage(request, reply, admin, { created: { email: target.email, link: `${deps.config.publicUrl}/console/setup/${setupToken}` } });
      } catch (err) {
        return usersPage(request, reply, admin, { error: problemText(err) }, statusOf(err));
      }
    });
  }

  app.get<{ Querystring: { action?: string; object?: string; after?: string } }>('/audit-log', async (request, reply) => {
    const admin = requireUser(request, reply, 'admin');
    if (!admin) return reply;
    const action = (request.query.action ?? '').trim().slice(0, 64);
    const object = (request.query.object ?? '').trim().slice(0, 64);
    const after = request.query.after && /^aud_[0-9A-Z]{26}$/.test(request.query.after) ? request.query.after : undefined;
    const result = await deps.services.audit.list({
      limit: 50,
      startingAfter: after,
      action: action || undefined,
      objectId: object || undefined,
      clientIds: admin.clientIds,
    });
    return send(reply, page(request, 'Audit log', 'audit', auditBody(result.data, result.hasMore, { action, object })));
  });

  const policies = async (admin: ConsoleUser) => (await deps.services.approvalPolicies.list()).filter((p) => admin.clientIds.includes(p.clientId));

  app.get('/approval-policy', async (request, reply) => {
    const admin = requireUser(request, reply, 'admin');
    if (!admin) return reply;
    return send(reply, page(request, 'Approval policy', 'approval-policy', policyBody(request, admin, await policies(admin), {})));
  });

  app.post<{ Body: Form }>('/approval-policy', async (request, reply) => {
    const admin = requireUser(request, reply, 'admin');
    if (!admin) return reply;
    const clientId = text(request.body?.clientId);
    const accountId = text(request.body?.accountId).trim();
    const above = text(request.body?.above).trim();
    let error: string | undefined;
    if (!admin.clientIds.includes(clientId)) error = 'Choose one of your clients.';
    else if (!/^\d{1,15}$/.test(above)) error = 'Above must be a whole number of minor units, 0 or more.';
    else {
      try {
        await deps.services.approvalPolicies.set(
          { clientId, ...(accountId !== '' && { accountId }), above: Number(above), approvers: Number(text(request.body?.approvers)) },
          { kind: 'user', id: admin.id },
          request.ip,
        );
      } catch (err) {
        error = problemText(err);
      }
    }
    return send(
      reply,
      page(request, 'Approval policy', 'approval-policy', policyBody(request, admin, await policies(admin), { error, saved: error === undefined })),
      error ? 400 : 200,
    );
  });
}
