// Batch request and response shapes (SPEC §3, seed: Batch Payments API).
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { RAIL_TYPES } from '../rails/rails.ts';
import { PaymentInputSchema, PurposeSchema } from '../payments/schemas.ts';
import { ApprovalSchema } from '../payments/response-schemas.ts';

/** The fields every payment of a batch shares; they are given once, on the batch. */
export const SHARED_FIELDS = ['type', 'currency', 'senderAccountId', 'senderAccountCurrency', 'paymentDate'] as const;

/** One payment of a batch: a payment without the shared fields. */
export const BatchItemSchema = Type.Omit(PaymentInputSchema, [...SHARED_FIELDS], { title: 'PaymentBatchItem', additionalProperties: false });
export type BatchItem = Static<typeof BatchItemSchema>;

export const BatchInputSchema = Type.Object(
  {
    type: Type.Union(RAIL_TYPES.map((t) => Type.Literal(t))),
    paymentDate: Type.String({ minLength: 10, maxLength: 10, description: 'YYYY-MM-DD, shared by every payment' }),
    senderAccountId: Type.String({ minLength: 1, maxLength: 64 }),
    senderAccountCurrency: Type.Optional(Type.String({ minLength: 3, maxLength: 3 })),
    currency: Type.String({ minLength: 3, maxLength: 3 }),
    purpose: Type.Optional({ ...PurposeSchema, description: `${PurposeSchema.description}; the purpose of every payment that gives none of its own` }),
    payments: Type.Array(BatchItemSchema, { minItems: 1, maxItems: 1000, description: '1 to 1,000 payments' }),
  },
  { title: 'PaymentBatchInput', additionalProperties: false },
);
export type BatchInput = Static<typeof BatchInputSchema>;

/**
 * The batch request without its items' shape: the route checks each item on its own, so that a
 * batch answers with every problem of every payment at once (schema and rail rules together).
 */
export const BatchEnvelopeSchema = Type.Object(
  { ...BatchInputSchema.properties, payments: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);

/** The HK ACH bulk body (seed: "multiple transactions in a single request"): ACH by the path. */
export const AchBulkInputSchema = Type.Object(
  {
    senderAccountId: Type.String({ minLength: 1, maxLength: 64 }),
    senderAccountCurrency: Type.Optional(Type.String({ minLength: 3, maxLength: 3 })),
    currency: Type.String({ minLength: 3, maxLength: 3 }),
    paymentDate: Type.Optional(Type.String({ minLength: 10, maxLength: 10, description: 'defaults to today in Hong Kong' })),
    purpose: Type.Optional({ ...PurposeSchema, description: `${PurposeSchema.description}; the purpose of every payment that gives none of its own` }),
    payments: Type.Array(BatchItemSchema, { minItems: 1, maxItems: 1000 }),
  },
  { title: 'AchBulkInput', additionalProperties: false },
);
export type AchBulkInput = Static<typeof AchBulkInputSchema>;

export const AchBulkEnvelopeSchema = Type.Object(
  { ...AchBulkInputSchema.properties, payments: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);

const Status = Type.Union([Type.Literal('PROCESSING'), Type.Literal('SUBMITTED'), Type.Literal('COMPLETED'), Type.Literal('FAILED')]);

export const BatchSchema = Type.Object(
  {
    id: Type.String({ examples: ['pymtb_01JC9Z6Q8W4M2X1A7B3C5D9E0F'] }),
    type: Type.String(),
    status: Status,
    paymentDate: Type.String(),
    actualPaymentDate: Type.Optional(Type.String({ description: 'The date a late approval rolled the batch to' })),
    senderAccountId: Type.String(),
    senderAccountCurrency: Type.Optional(Type.String()),
    currency: Type.String(),
    purpose: Type.Optional(Type.String({ description: 'ISO category purpose code of the batch' })),
    payments: Type.Array(Type.Object({ id: Type.String(), status: Status, customerReference: Type.String(), amount: Type.Integer() })),
    summary: Type.Object({
      count: Type.Integer(),
      totalAmount: Type.Integer({ description: 'minor units' }),
      processing: Type.Integer(),
      submitted: Type.Integer(),
      completed: Type.Integer(),
      failed: Type.Integer(),
    }),
    failure: Type.Optional(Type.Object({ stage: Type.String(), code: Type.String(), message: Type.String() })),
    approval: Type.Optional(ApprovalSchema),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'PaymentBatch', description: 'A batch of payments (SPEC §3)' },
);

/** A batch in lists: the same object without the per-payment list (fetch one batch for that). */
export const BatchSummarySchema = Type.Omit(BatchSchema, ['payments'], { title: 'PaymentBatchSummary', description: 'A batch in lists: without its payments' });
