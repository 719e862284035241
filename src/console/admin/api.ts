// The two API operations of a console admin (SPEC §10, §11): PUT /v1/approval-policy and
// GET /v1/audit-log. They are not for API clients — a client must not loosen its own controls —
// but for a person: an admin user's console session, presented as the `payrail_session` cookie
// (the browser sends it only under /console, so these are for scripts that signed in; the console
// has the same functions as pages), with the session's `X-CSRF-Token` on PUT. Only the admin's
// clients: another client is 404, the audit log shows only entries about their clients.
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { ListQuery, listOf } from '../../http/pagination.ts';
import { ProblemSchema } from '../../http/schemas.ts';
import type { ConsoleDeps } from '../index.ts';
import type { ConsoleUser } from '../user.ts';
import { can } from '../user.ts';
import { CSRF_HEADER } from '../auth/csrf.ts';
import { SESSION_COOKIE } from '../auth/index.ts';
import { sameSecret } from '../auth/users.ts';

const PolicyBody = Type.Object(
  {
    clientId: Type.String({ maxLength: 64, description: 'One of the admin user’s clients' }),
    accountId: Type.Optional(Type.String({ maxLength: 64, description: "A sender account of the client: this account's own policy" })),
    above: Type.Integer({ minimum: 0, description: "Minor units: a single payment's amount or a batch's total above this needs approval (0: everything)" }),
    approvers: Type.Integer({ description: 'How many distinct approvers: 1 or 2' }),
  },
  { additionalProperties: false, title: 'ApprovalPolicyInput' },
);

const PolicySchema = Type.Object(
  {
    id: Type.String(),
    clientId: Type.String(),
    accountId: Type.Optional(Type.String()),
    above: Type.Integer(),
    approvers: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'ApprovalPolicy' },
);

const AuditEntrySchema = Type.Object(
  {
    id: Type.String(),
    at: Type.String(),
    actor: Type.Object({ kind: Type.String(), id: Type.String() }),
    sourceAddress: Type.Optional(Type.String()),
    osUser: Type.Optional(Type.String()),
    action: Type.String(),
    object: Type.Object({ type: Type.String(), id: Type.String() }),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'AuditEntry' },
);

const AuditQuery = Type.Composite(
  [
    ListQuery,
    Type.Object({
      action: Type.Optional(Type.String({ maxLength: 64, description: 'Only this action, e.g. approval.approve' })),
      objectId: Type.Optional(Type.String({ maxLength: 64, description: 'Only entries about this object' })),
    }),
  ],
  { additionalProperties: false },
);

export async function consoleAdminApiRoutes(base: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const users = deps.services.consoleUsers;
  const security = [{ consoleSession: [] }];
  const tags = ['console admin'];

  /** The admin user of the request's console session; 401/403 problems otherwise. */
  async function adminOf(request: FastifyRequest, changes: boolean): Promise<ConsoleUser> {
    const token = parseCookie(request.headers.cookie ?? '')[SESSION_COOKIE];
    const session = token ? await users.session(token) : undefined;
    if (!session) throw new AppError('UNAUTHENTICATED', 'Unauthenticated', 'a console session of an admin user is required (cookie payrail_session)');
    if (!can(session.user, 'admin')) throw new AppError('FORBIDDEN', 'Forbidden', 'this operation needs a console user with role admin');
    const presented = request.headers[CSRF_HEADER];
    if (changes && (typeof presented !== 'string' || !sameSecret(presented, session.csrfToken)))
      throw new AppError('FORBIDDEN', 'Forbidden', "the session's CSRF token is required in X-CSRF-Token");
    return session.user;
  }

  app.put(
    '/v1/approval-policy',
    {
      schema: {
        summary: "Set a client's (or a sender account's) approval policy",
        description:
          'For a console admin user (session cookie and X-CSRF-Token, docs/CONSOLE.md), on one of their clients; API clients cannot change approval policies. Replaces an existing policy; recorded in the audit log.',
        operationId: 'setApprovalPolicy',
        tags,
        security,
        body: PolicyBody,
        response: { 200: PolicySchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const admin = await adminOf(request, true);
      const { clientId, accountId, above, approvers } = request.body;
      if (!admin.clientIds.includes(clientId)) throw new AppError('NOT_FOUND', 'Not found', `No client with id '${clientId}'`);
      return deps.services.approvalPolicies.set(
        { clientId, ...(accountId !== undefined && { accountId }), above, approvers },
        { kind: 'user', id: admin.id },
        request.ip,
      );
    },
  );

  app.get(
    '/v1/audit-log',
    {
      schema: {
        summary: "The audit log of the admin user's clients, newest first",
        description: 'For a console admin user (session cookie, docs/CONSOLE.md). Append-only: nobody can edit or delete an entry.',
        operationId: 'listAuditLog',
        tags,
        security,
        querystring: AuditQuery,
        response: { 200: listOf(AuditEntrySchema), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const admin = await adminOf(request, false);
      const { limit = 20, startingAfter, action, objectId } = request.query;
      return deps.services.audit.list({ limit, startingAfter, action, objectId, clientIds: admin.clientIds });
    },
  );
}
