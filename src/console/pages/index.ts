// The console's pages (SPEC §11): overview, batches, payments, approvals, new batch from a file,
// webhook endpoints, bank connections and files. Each route asks requireUser() for the role it
// needs (viewer reads everything; maker creates; approver approves; admin redelivers and sees the
// bank), renders through the services with the user's clients as the tenant, and answers another
// client's object, or an unknown one, with the 404 page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { MAX_FILE_BYTES } from '../../import/payroll-file.ts';
import { RAIL_TYPES } from '../../rails/rails.ts';
import { html } from '../html.ts';
import type { Html } from '../html.ts';
import type { ConsoleDeps } from '../index.ts';
import { layout } from '../layout.ts';
import { requireUser } from '../auth/session.ts';
import type { ConsoleAction } from '../user.ts';
import { approvalsPage, decide, objectPath } from './approvals.ts';
import { bankPage } from './bank.ts';
import { batchPage, batchesPage } from './batches.ts';
import type { PageContext, PageResult } from './context.ts';
import { pageContext } from './context.ts';
import { overviewPage } from './overview.ts';
import { field, param } from './parts.ts';
import { paymentPage, paymentsPage } from './payments.ts';
import { createUploads, newBatchPage } from './upload.ts';
import { redeliver, webhookPage, webhooksPage } from './webhooks.ts';

type Params = Record<string, string>;

/** The 404 page: unknown, or another client's (the same answer: nothing tells them apart). */
function notFoundPage(): PageResult {
  return {
    title: 'Not found',
    current: '',
    status: 404,
    body: html`<h1>Not found</h1>
      <p>There is nothing here, or it is not among your clients’ objects.</p>
      <p><a href="/console">Back to the overview</a></p>`,
  };
}

function send(request: FastifyRequest, reply: FastifyReply, result: PageResult): FastifyReply {
  return reply
    .code(result.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(
      layout({
        title: result.title,
        user: request.consoleUser,
        csrfToken: request.csrfToken,
        current: result.current,
        body: result.body,
        assets: ['pages.css', ...(result.assets ?? [])],
      }).toString(),
    );
}

/** A fragment (the upload preview and progress) for our script to insert. */
function fragment(reply: FastifyReply, body: Html, code = 200): FastifyReply {
  return reply.code(code).type('text/html; charset=utf-8').send(body.toString());
}

export async function registerConsolePages(base: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const uploads = createUploads({ clock: deps.clock });

  await base.register(async (app) => {
    // The upload's bytes as they are (see ./upload.ts); up to the reader's limit, and a little
    // more so a file just over it is read and refused with the reader's own message.
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES + 1 }, (_request, body, done) => done(null, body));

    /** A page for users allowed `action`: rendered, or the 404 page for NOT_FOUND. */
    const page =
      (action: ConsoleAction, render: (ctx: PageContext, request: FastifyRequest<{ Params: Params }>) => Promise<PageResult | { redirect: string }>) =>
      async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
        const user = requireUser(request, reply, action);
        if (!user) return reply;
        try {
          const result = await render(pageContext(deps, user, request.csrfToken), request);
          if ('redirect' in result) return reply.code(303).header('location', result.redirect).send();
          return send(request, reply, result);
        } catch (err) {
          if (err instanceof AppError && err.status === 404) return send(request, reply, notFoundPage());
          throw err;
        }
      };

    app.get(
      '/',
      page('read', (ctx) => overviewPage(ctx)),
    );
    app.get(
      '/batches',
      page('read', (ctx, r) => batchesPage(ctx, r.query)),
    );
    app.get(
      '/batches/new',
      page('create', (ctx) => newBatchPage(ctx)),
    );
    app.get(
      '/batches/:id',
      page('read', (ctx, r) => batchPage(ctx, r.params.id!)),
    );
    app.get(
      '/payments',
      page('read', (ctx, r) => paymentsPage(ctx, r.query)),
    );
    app.get(
      '/payments/:id',
      page('read', (ctx, r) => paymentPage(ctx, r.params.id!)),
    );
    app.get(
      '/approvals',
      page('read', (ctx, r) => approvalsPage(ctx, r.query)),
    );
    app.get(
      '/webhooks',
      page('read', (ctx) => webhooksPage(ctx)),
    );
    app.get(
      '/webhooks/:id',
      page('read', (ctx, r) => webhookPage(ctx, r.params.id!, r.query)),
    );
    app.get(
      '/bank-connections',
      page('read', (ctx, r) => bankPage(ctx, r.query)),
    );

    // Decisions: a form post; the answer is the page it came from with the outcome as a message
    // (a refusal such as APPROVAL_NOT_ALLOWED is a 403/409 page saying so, nothing changed).
    for (const [segment, objectType] of [
      ['batches', 'payment-batch'],
      ['payments', 'payment'],
    ] as const) {
      for (const kind of ['approve', 'reject'] as const) {
        app.post(
          `/approvals/${segment}/:id/${kind}`,
          page('approve', async (ctx, r) => {
            const id = r.params.id!;
            const outcome = await decide(ctx, kind, objectType, id, field(r.body, 'reason'), r.ip);
            const result = await approvalsPage(
              ctx,
              {},
              html`${outcome.notice}
                <p><a href="${objectPath(objectType, id)}">See it</a></p>`,
            );
            return { ...result, status: outcome.status };
          }),
        );
      }
    }

    app.post(
      '/webhooks/:id/redeliver',
      page('admin', async (ctx, r) => webhookPage(ctx, r.params.id!, {}, await redeliver(ctx, r.params.id!, param(r.body, 'eventId'), r.ip))),
    );

    // The upload: preview (bytes in, fragment out), submit and progress (fragments).
    app.post(
      '/batches/new/preview',
      { bodyLimit: MAX_FILE_BYTES + 1, config: { bytesBody: true } },
      async (request: FastifyRequest<{ Params: Params }>, reply) => {
        const user = requireUser(request, reply, 'create');
        if (!user) return reply;
        const ctx = pageContext(deps, user, request.csrfToken);
        const body = request.body;
        if (!Buffer.isBuffer(body))
          return fragment(reply, html`<p class="message message-error" role="alert">Send the file as it is (application/octet-stream).</p>`, 415);
        const type = param(request.query, 'type');
        const settings = {
          accountId: param(request.query, 'account') ?? '',
          type: (RAIL_TYPES as readonly string[]).includes(type ?? '') ? (type as (typeof RAIL_TYPES)[number]) : 'FAST',
          currency: param(request.query, 'currency') ?? '',
          paymentDate: param(request.query, 'date') ?? '',
          purpose: param(request.query, 'purpose'),
          fileName: param(request.query, 'name') ?? 'upload',
        };
        return fragment(reply, await uploads.preview(ctx, settings, new Uint8Array(body.buffer, body.byteOffset, body.byteLength)));
      },
    );
    app.post('/batches/new/:upload/submit', async (request: FastifyRequest<{ Params: Params }>, reply) => {
      const user = requireUser(request, reply, 'create');
      if (!user) return reply;
      const progress = uploads.submit(pageContext(deps, user, request.csrfToken), request.params.upload!);
      return progress
        ? fragment(reply, progress)
        : fragment(reply, html`<p class="message message-error" role="alert">This check has expired: check the file again.</p>`, 404);
    });
    app.get('/batches/new/:upload/progress', async (request: FastifyRequest<{ Params: Params }>, reply) => {
      const user = requireUser(request, reply, 'create');
      if (!user) return reply;
      const progress = uploads.progress(pageContext(deps, user, request.csrfToken), request.params.upload!);
      return progress ? fragment(reply, progress) : fragment(reply, html`<p class="message message-error" role="alert">Unknown upload.</p>`, 404);
    });

    // An archived bank file (admin): its bytes as a download, or the 404 page.
    app.get('/bank-connections/files/:id/download', async (request: FastifyRequest<{ Params: Params }>, reply) => {
      const user = requireUser(request, reply, 'admin');
      if (!user) return reply;
      const copy = await deps.services.bankFiles.archivedCopy(user.clientIds, request.params.id!);
      if (!copy) return send(request, reply, notFoundPage());
      return reply
        .type('application/xml')
        .header('content-disposition', `attachment; filename="${copy.file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .send(copy.content);
    });
  });
}
