// Approvals over HTTP (SPEC §10): approve and reject a batch or a single payment, and the queue of
// what waits. Deciding needs scope `payments:approve`, never a default scope; the caller must be
// a client of the same organisation and the same mode (test or live) as the creator, and not the
// creator. Unknown ids, those of other organisations and those of the other mode are 404 alike;
// the queue shows only the caller's organisation and mode.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequireAuth } from '../auth/bearer.ts';
import { clientOf } from '../auth/bearer.ts';
import { BatchSchema, BatchSummarySchema } from '../batches/schemas.ts';
import { ListQuery, listOf } from '../http/pagination.ts';
import { ProblemSchema } from '../http/schemas.ts';
import { ApprovalSchema, PaymentSchema } from '../payments/response-schemas.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import { APPROVAL_STATUSES } from './hold.ts';
import { MAX_REASON_LENGTH } from './model.ts';
import type { ApprovalObjectType } from './model.ts';
import type { ApprovalsService, Decider } from './service.ts';
import { approvalScopeOf } from './service.ts';

/** What a decision answers: the batch (with its payments) or the payment, as it is now. */
type Decided = Static<typeof BatchSchema> | Static<typeof PaymentSchema>;

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const ReasonDescription = `At most ${MAX_REASON_LENGTH} characters, one line, no control characters`;
const ApproveBody = Type.Object(
  { reason: Type.Optional(Type.String({ description: `A note kept with the approval. ${ReasonDescription}` })) },
  { additionalProperties: false, title: 'ApprovalDecision' },
);
const RejectBody = Type.Object(
  { reason: Type.String({ description: `Why it is rejected; becomes the payments' failure message. ${ReasonDescription}` }) },
  { additionalProperties: false, title: 'Rejection' },
);

const ApprovalItemSchema = Type.Composite(
  [
    Type.Object({
      id: Type.String({ examples: ['apr_01JC9Z6Q8W4M2X1A7B3C5D9E0F'] }),
      objectType: Type.Union([Type.Literal('payment-batch'), Type.Literal('payment')]),
      objectId: Type.String(),
      clientId: Type.String({ description: 'The client that created it (the maker)' }),
    }),
    ApprovalSchema,
    Type.Object({
      amount: Type.Integer({ description: "The payment's amount or the batch's total, minor units" }),
      currency: Type.String(),
      expiresAt: Type.String({ description: 'Not approved by then: EXPIRED, every payment FAILED (PAYRAIL_APPROVAL_EXPIRY_HOURS)' }),
      decidedAt: Type.Optional(Type.String()),
      createdAt: Type.String(),
      updatedAt: Type.String(),
      paymentBatch: Type.Optional(BatchSummarySchema),
      payment: Type.Optional(PaymentSchema),
    }),
  ],
  { title: 'Approval', description: 'An approval: what waits for (or had) the checker’s decision' },
);

const ApprovalListQuery = Type.Composite([ListQuery, Type.Object({ status: Type.Optional(Type.Union(APPROVAL_STATUSES.map((s) => Type.Literal(s)))) })], {
  additionalProperties: false,
});

export interface ApprovalRoutesDeps {
  approvals: ApprovalsService;
  requireAuth: RequireAuth;
  rateLimit: RateLimit;
}

function decider(request: FastifyRequest): Decider {
  const client = clientOf(request);
  return { principal: { kind: 'client' as const, id: client.id }, scope: approvalScopeOf(client), origin: { sourceAddress: request.ip } };
}

export async function approvalRoutes(base: FastifyInstance, { approvals, requireAuth, rateLimit }: ApprovalRoutesDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['approvals'];
  const security = [{ bearer: [] }];
  const errors = { 400: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

  // `name` makes the operationIds: approvePaymentBatch, rejectPayment, …
  const objects: { path: string; objectType: ApprovalObjectType; what: string; name: string; schema: typeof BatchSchema | typeof PaymentSchema }[] = [
    { path: '/v1/payment-batches/:id', objectType: 'payment-batch', what: 'batch', name: 'PaymentBatch', schema: BatchSchema },
    { path: '/v1/payments/:id', objectType: 'payment', what: 'single payment', name: 'Payment', schema: PaymentSchema },
  ];
  for (const { path, objectType, what, name, schema } of objects) {
    app.post(
      `${path}/approve`,
      {
        // An approval needs no body: none (or an empty one) is an empty object.
        preValidation: async (request) => {
          request.body ??= {};
        },
        preHandler: [requireAuth('payments:approve'), rateLimit('management')],
        schema: {
          operationId: `approve${name}`,
          summary: `Approve a ${what} that waits for approval`,
          description:
            'Scope payments:approve, same organisation and mode (test or live) as the creator, never the creator (403 APPROVAL_NOT_ALLOWED). Each approver approves once (409 APPROVAL_ALREADY_GIVEN); with the last approval needed it is APPROVED and leaves for the bank. A decided one: 409 APPROVAL_ALREADY_DECIDED.',
          tags,
          security,
          params: IdParams,
          body: ApproveBody,
          response: { 200: schema, ...errors },
        },
      },
      async (request) => {
        return (await approvals.approve(decider(request), objectType, request.params.id, request.body.reason)) as Decided;
      },
    );
    app.post(
      `${path}/reject`,
      {
        preHandler: [requireAuth('payments:approve'), rateLimit('management')],
        schema: {
          operationId: `reject${name}`,
          summary: `Reject a ${what} that waits for approval`,
          description: `Every payment of it is FAILED (failure.stage APPROVAL, code APPROVAL_REJECTED); events as for a bank rejection. A decided one: 409 APPROVAL_ALREADY_DECIDED.`,
          tags,
          security,
          params: IdParams,
          body: RejectBody,
          response: { 200: schema, ...errors },
        },
      },
      async (request) => {
        return (await approvals.reject(decider(request), objectType, request.params.id, request.body.reason)) as Decided;
      },
    );
  }

  app.get(
    '/v1/approvals',
    {
      preHandler: [requireAuth('payments:read', 'payments:approve'), rateLimit('management')],
      schema: {
        operationId: 'listApprovals',
        summary: "The approvals of the caller's organisation and mode, newest first (status=PENDING: what waits)",
        tags,
        security,
        querystring: ApprovalListQuery,
        response: { 200: listOf(ApprovalItemSchema) },
      },
    },
    async (request) => approvals.list(approvalScopeOf(clientOf(request)), request.query),
  );
}
