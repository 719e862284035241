// The Hong Kong single-payment API (seed): POST/GET /payment/hk/v1.0/{ach|fps|rtgs|cbft}.
// The GET answers with the status in the HTTP code: 200 COMPLETED, 202 pending, 400 FAILED.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequireAuth } from '../auth/bearer.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import { clientOf } from '../auth/bearer.ts';
import { notFound } from '../errors.ts';
import { everyProblem } from '../http/partial-input.ts';
import { ProblemSchema } from '../http/schemas.ts';
import type { IdempotentRunner } from '../idempotency/http.ts';
import type { RailType } from '../rails/rails.ts';
import type { PaymentInput } from './model.ts';
import { PaymentSchema } from './response-schemas.ts';
import { BatchSchema } from '../batches/schemas.ts';
import { PaymentInputSchema } from './schemas.ts';
import type { PaymentsService } from './service.ts';
import { AchBulkEnvelopeSchema, AchBulkInputSchema } from '../batches/schemas.ts';
import type { AchBulkInput } from '../batches/schemas.ts';
import type { BatchesService } from '../batches/service.ts';
import { bodyInvalid, compileFieldValidator } from '../http/validation.ts';
import { checkBatchShape } from '../batches/request.ts';
import { todayIn } from '../calendars/zoned-time.ts';
import { RAILS } from '../rails/rails.ts';
import type { Clock } from '../clock.ts';
import type { Payment } from './view.ts';

const HkType = Type.Union([Type.Literal('ach'), Type.Literal('fps'), Type.Literal('rtgs'), Type.Literal('cbft')], { description: 'The HK rail' });
const HkPaymentBody = Type.Omit(PaymentInputSchema, ['type'], { title: 'HkPaymentInput', additionalProperties: false });

const FPS_EXAMPLE = {
  amount: 150000,
  currency: 'HKD',
  senderAccountId: 'intacct_01JC9Z0000000000000000000',
  customerReference: 'INV-2026-0042',
  receiver: { name: 'Chan Tai Man', proxy: { type: 'MOBILE', value: '+85291234567' } },
};

/** The HTTP status of a GET: the payment's status said in HTTP (seed). */
export function hkStatusCode(payment: Payment): 200 | 202 | 400 {
  if (payment.status === 'COMPLETED') return 200;
  if (payment.status === 'FAILED') return 400;
  return 202;
}

export interface HkRoutesDeps {
  payments: PaymentsService;
  batches: BatchesService;
  clock: Clock;
  requireAuth: RequireAuth;
  rateLimit: RateLimit;
  idempotent: IdempotentRunner;
}

export async function hkPaymentRoutes(base: FastifyInstance, { payments, batches, clock, requireAuth, rateLimit, idempotent }: HkRoutesDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['hong kong'];
  // The ACH path takes a single payment or a bulk (`payments[]`): the schema is chosen by shape.
  const checkSingle = compileFieldValidator(HkPaymentBody);
  const checkBulkEnvelope = compileFieldValidator(AchBulkEnvelopeSchema);
  const isBulk = (type: string, body: unknown) => type === 'ach' && typeof body === 'object' && body !== null && 'payments' in body;
  const security = [{ bearer: [] }];

  app.post(
    '/payment/hk/v1.0/:type',
    {
      config: { idempotent: true },
      preHandler: [requireAuth('payments:write'), rateLimit('payments')],
      // Validated in the handler against the single or the bulk schema (see isBulk).
      validatorCompiler: () => () => true,
      schema: {
        operationId: 'createHkPayment',
        summary: 'Create an HK payment (ACH, FPS, RTGS, CBFT); ACH also takes a bulk',
        description:
          'The body is a payment without `type` (the path gives it); `paymentDate` defaults to today in Hong Kong. 202 with the payment. ' +
          'ACH also takes `{senderAccountId, currency, paymentDate, payments: [...]}` (1 to 1,000): 202 with a batch object.',
        tags,
        security,
        params: Type.Object({ type: HkType }),
        body: Type.Union([{ ...HkPaymentBody, examples: [FPS_EXAMPLE] }, AchBulkInputSchema], { title: 'HkPaymentRequest' }),
        response: { 202: Type.Union([PaymentSchema, BatchSchema], { title: 'HkPaymentOrBatch' }), 400: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const type = String((request.params as { type: string }).type);
      if (!['ach', 'fps', 'rtgs', 'cbft'].includes(type)) throw notFound('HK payment type', type);
      if (isBulk(type, request.body)) {
        const { input: bulk, schema } = checkBatchShape<AchBulkInput>(request.body, checkBulkEnvelope);
        const input = { ...bulk, type: 'ACH' as const, paymentDate: bulk.paymentDate ?? todayIn(RAILS.ACH.timeZone, clock()) };
        return idempotent(request, reply, 202, (complete) => batches.create(clientOf(request), input, complete, schema));
      }
      const rail = type.toUpperCase() as RailType;
      const schemaErrors = checkSingle(request.body);
      if (schemaErrors.length > 0) {
        // Every problem (SPEC §4): the rail rules run on what the schema did not refuse.
        const errors = await everyProblem(
          request.body,
          schemaErrors,
          async (rest) => (await payments.plan(clientOf(request), { ...(rest as object), type: rail } as PaymentInput), []),
        );
        throw bodyInvalid(errors);
      }
      const input = { ...(request.body as Omit<PaymentInput, 'type'>), type: rail };
      return idempotent(request, reply, 202, (complete) => payments.create(clientOf(request), input, complete));
    },
  );

  app.get(
    '/payment/hk/v1.0/:type/:paymentId',
    {
      preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')],
      validatorCompiler: () => () => true,
      schema: {
        operationId: 'getHkPayment',
        summary: 'Get an HK payment: 200 COMPLETED, 202 PROCESSING or SUBMITTED, 400 FAILED',
        tags,
        security,
        params: Type.Object({ type: HkType, paymentId: Type.String({ maxLength: 64 }) }),
        // Not validated: an unknown type, or any id, is simply not found here (404).
        // 400 is the FAILED payment itself, or a problem when the path is malformed.
        response: {
          200: PaymentSchema,
          202: PaymentSchema,
          400: Type.Union([PaymentSchema, ProblemSchema], {
            title: 'FailedHkPaymentOrProblem',
            description: 'The FAILED payment itself, or a problem when the path is malformed',
          }),
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const params = request.params as { type: string; paymentId: string };
      const payment = await payments.find(clientOf(request), params.paymentId);
      // A payment of another type under this path is not found here. The type is read in any case
      // (`FPS` as `fps`): the rail names are upper-case everywhere else in the API.
      if (!payment || payment.type.toLowerCase() !== params.type.toLowerCase()) throw notFound(`${params.type.toUpperCase()} payment`, params.paymentId);
      return reply.code(hkStatusCode(payment)).send(payment);
    },
  );
}
