// /v1/payment-batches — the Batch Payments API (seed).
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequireAuth } from '../auth/bearer.ts';
import { clientOf } from '../auth/bearer.ts';
import { ListQuery, listOf } from '../http/pagination.ts';
import { ProblemSchema } from '../http/schemas.ts';
import type { IdempotentRunner } from '../idempotency/http.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import { BatchEnvelopeSchema, BatchInputSchema, BatchSchema } from './schemas.ts';
import type { BatchInput } from './schemas.ts';
import { checkBatchShape } from './request.ts';
import { compileFieldValidator } from '../http/validation.ts';
import type { BatchesService } from './service.ts';
import { DryRunResultSchema } from '../payments/dry-run.ts';

const EXAMPLE = {
  type: 'MEPS',
  paymentDate: '2026-12-01',
  senderAccountId: 'intacct_01JC9Z0000000000000000000',
  senderAccountCurrency: 'SGD',
  currency: 'SGD',
  payments: [
    {
      amount: 20000,
      customerReference: 'DONUTS',
      paymentDetails: '10 boxes of 12 each',
      receiver: { name: 'Donut Shop', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789', address: { line1: '20 Side Street', line2: 'Unit 02-3A' } },
    },
  ],
};

export interface BatchRoutesDeps {
  batches: BatchesService;
  requireAuth: RequireAuth;
  rateLimit: RateLimit;
  idempotent: IdempotentRunner;
}

const checkEnvelope = compileFieldValidator(BatchEnvelopeSchema);

export async function batchRoutes(base: FastifyInstance, { batches, requireAuth, rateLimit, idempotent }: BatchRoutesDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['batches'];
  const security = [{ bearer: [] }];

  app.post(
    '/v1/payment-batches',
    {
      config: { idempotent: true },
      preHandler: [requireAuth('payments:write'), rateLimit('payments')],
      // Checked in the handler, envelope and each payment apart, so every problem is listed.
      validatorCompiler: () => () => true,
      schema: {
        operationId: 'createPaymentBatch',
        summary: 'Create a batch of 1 to 1,000 payments',
        description:
          'All payments share type, date, currency and sender account. If any payment is invalid the whole batch is refused (400, every problem listed) and nothing is created. The batch travels to the bank as one pain.001 file. Takes an Idempotency-Key header.',
        tags,
        security,
        body: { ...BatchInputSchema, examples: [EXAMPLE] },
        response: { 200: BatchSchema, 400: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { input, schema } = checkBatchShape<BatchInput>(request.body, checkEnvelope);
      return idempotent(request, reply, 200, (complete) => batches.create(clientOf(request), input, complete, schema));
    },
  );

  app.post(
    '/v1/payment-batches/validate',
    {
      // A dry run reads and stores nothing: counted as an enquiry, never against the payments budget (SPEC §12).
      preHandler: [requireAuth('payments:write'), rateLimit('payment-enquiry')],
      // Checked in the handler exactly as create checks it (same problems, same paths).
      validatorCompiler: () => () => true,
      schema: {
        operationId: 'validatePaymentBatch',
        summary: 'Validate a batch without creating it (dry run)',
        description:
          'Takes the body of `POST /v1/payment-batches` and runs the same checks: 200 with the payment date, the expected value date and a summary (count, total in minor units, currency), or exactly the problem create would answer with, every problem listed. Nothing is stored, no customer reference is used up (one already used is reported), no approval is opened; an Idempotency-Key header is ignored.',
        tags,
        security,
        body: { ...BatchInputSchema, examples: [EXAMPLE] },
        response: { 200: DryRunResultSchema, 400: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => {
      const { input, schema } = checkBatchShape<BatchInput>(request.body, checkEnvelope);
      return batches.validate(clientOf(request), input, schema);
    },
  );

  app.get(
    '/v1/payment-batches',
    {
      preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')],
      schema: {
        operationId: 'listPaymentBatches',
        summary: 'List batches, newest first',
        tags,
        security,
        querystring: ListQuery,
        response: { 200: listOf(BatchSchema) },
      },
    },
    async (request) => (await batches.list(clientOf(request), request.query)) as { data: Static<typeof BatchSchema>[]; hasMore: boolean },
  );

  app.get(
    '/v1/payment-batches/:id',
    {
      preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')],
      schema: {
        operationId: 'getPaymentBatch',
        summary: 'Get a batch with its payments and summary',
        tags,
        security,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: BatchSchema, 404: ProblemSchema },
      },
    },
    async (request) => (await batches.get(clientOf(request), request.params.id)) as Static<typeof BatchSchema>,
  );
}
