// /v1/payments — single payments on any rail, and every payment of the client's organisation
// (batches too; SPEC §2 tenancy).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequireAuth } from '../auth/bearer.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import { clientOf } from '../auth/bearer.ts';
import type { Client } from '../clients/service.ts';
import { everyProblem } from '../http/partial-input.ts';
import { bodyInvalid, compileFieldValidator } from '../http/validation.ts';
import { ListQuery, listOf } from '../http/pagination.ts';
import { ProblemSchema } from '../http/schemas.ts';
import type { IdempotentRunner } from '../idempotency/http.ts';
import { RAIL_TYPES } from '../rails/rails.ts';
import type { PaymentInput } from './model.ts';
import { DryRunResultSchema } from './dry-run.ts';
import { PaymentSchema, StatusChangeSchema } from './response-schemas.ts';
import { PaymentInputSchema } from './schemas.ts';
import type { PaymentsService } from './service.ts';

export const MEPS_EXAMPLE = {
  type: 'MEPS',
  amount: 20000,
  currency: 'SGD',
  senderAccountId: 'intacct_01JC9Z0000000000000000000',
  paymentDate: '2026-12-01',
  customerReference: 'DONUTS',
  paymentDetails: '10 boxes of 12 each',
  bankChargeBearer: 'SENDER',
  receiver: { name: 'Donut Shop', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789', address: { line1: '20 Side Street', line2: 'Unit 02-3A' } },
};

const PaymentListQuery = Type.Composite(
  [
    ListQuery,
    Type.Object({
      status: Type.Optional(Type.Union([Type.Literal('PROCESSING'), Type.Literal('SUBMITTED'), Type.Literal('COMPLETED'), Type.Literal('FAILED')])),
      type: Type.Optional(Type.Union(RAIL_TYPES.map((t) => Type.Literal(t)))),
      batchId: Type.Optional(Type.String({ maxLength: 64 })),
      customerReference: Type.Optional(Type.String({ maxLength: 35 })),
      createdFrom: Type.Optional(Type.String({ format: 'date-time', description: 'created at or after (RFC 3339)' })),
      createdTo: Type.Optional(Type.String({ format: 'date-time', description: 'created before (RFC 3339)' })),
    }),
  ],
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export interface PaymentRoutesDeps {
  payments: PaymentsService;
  requireAuth: RequireAuth;
  rateLimit: RateLimit;
  idempotent: IdempotentRunner;
}

export async function paymentRoutes(base: FastifyInstance, { payments, requireAuth, rateLimit, idempotent }: PaymentRoutesDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const checkPayment = compileFieldValidator(PaymentInputSchema);
  /** The body as a payment, or a 400 listing the schema's problems and the rail rules' together. */
  const paymentInput = async (client: Client, body: unknown): Promise<PaymentInput> => {
    const schemaErrors = checkPayment(body);
    if (schemaErrors.length === 0) return body as PaymentInput;
    const errors = await everyProblem(body, schemaErrors, async (rest) => (await payments.plan(client, rest as PaymentInput), []));
    throw bodyInvalid(errors);
  };
  const tags = ['payments'];
  const security = [{ bearer: [] }];

  app.post(
    '/v1/payments',
    {
      config: { idempotent: true },
      preHandler: [requireAuth('payments:write'), rateLimit('payments')],
      // Validated in the handler (paymentInput): schema and rail-rule problems are listed together.
      validatorCompiler: () => () => true,
      schema: {
        operationId: 'createPayment',
        summary: 'Create a single payment on any rail',
        description: 'Validated against the rail (RAILS.md), stored, then sent to the bank over its API transport. Takes an Idempotency-Key header.',
        tags,
        security,
        body: { ...PaymentInputSchema, examples: [MEPS_EXAMPLE] },
        response: { 202: PaymentSchema, 400: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const input = await paymentInput(clientOf(request), request.body);
      return idempotent(request, reply, 202, (complete) => payments.create(clientOf(request), input, complete));
    },
  );

  app.post(
    '/v1/payments/validate',
    {
      // A dry run reads and stores nothing: counted as an enquiry, never against the payments budget (SPEC §12).
      preHandler: [requireAuth('payments:write'), rateLimit('payment-enquiry')],
      validatorCompiler: () => () => true,
      schema: {
        operationId: 'validatePayment',
        summary: 'Validate a single payment without creating it (dry run)',
        description:
          'Takes the body of `POST /v1/payments` and runs the same checks: 200 with the payment date, the expected value date and a summary, or exactly the problem create would answer with. Nothing is stored, no customer reference is used up, no approval is opened, no event is sent; an Idempotency-Key header is ignored.',
        tags,
        security,
        body: { ...PaymentInputSchema, examples: [MEPS_EXAMPLE] },
        response: { 200: DryRunResultSchema, 400: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => payments.validate(clientOf(request), await paymentInput(clientOf(request), request.body)),
  );

  app.get(
    '/v1/payments',
    {
      preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')],
      schema: {
        operationId: 'listPayments',
        summary: 'List payments, newest first (single and batch)',
        tags,
        security,
        querystring: PaymentListQuery,
        response: { 200: listOf(PaymentSchema) },
      },
    },
    async (request) => payments.list(clientOf(request), request.query),
  );

  app.get(
    '/v1/payments/:id',
    {
      preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')],
      schema: { operationId: 'getPayment', summary: 'Get a payment', tags, security, params: IdParams, response: { 200: PaymentSchema, 404: ProblemSchema } },
    },
    async (request) => payments.get(clientOf(request), request.params.id),
  );

  app.get(
    '/v1/payments/:id/events',
    {
      preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')],
      schema: {
        operationId: 'listPaymentStatusChanges',
        summary: "A payment's status history: every change with its time and cause",
        tags,
        security,
        params: IdParams,
        response: { 200: listOf(StatusChangeSchema), 404: ProblemSchema },
      },
    },
    // The whole history in one page (a payment has at most a handful of changes).
    async (request) => ({ data: await payments.history(clientOf(request), request.params.id), hasMore: false }),
  );
}
