// The SDK's names for payrail's objects, all taken from the generated operations (openapi.ts), so
// that a change of the API shows up here as a type error rather than as a wrong guess.
import type { operations } from './openapi.ts';

type Op = operations;
type ItemOf<L> = L extends { data: Array<infer T> } ? T : never;
type QueryOf<K extends keyof Op> = Op[K] extends { query: infer Q } ? Q : never;
type BodyOf<K extends keyof Op> = Op[K] extends { body: infer B } ? B : Op[K] extends { body?: infer B } ? B : never;

export type Payment = Op['GET /v1/payments/{id}']['response'];
export type PaymentStatus = Payment['status'];
export type PaymentType = PaymentCreateParams['type'];
export type PaymentCreateParams = BodyOf<'POST /v1/payments'>;
export type PaymentListParams = QueryOf<'GET /v1/payments'>;
/** One entry of a payment's status history. */
export type PaymentStatusChange = ItemOf<Op['GET /v1/payments/{id}/events']['response']>;

export type PaymentBatch = Op['GET /v1/payment-batches/{id}']['response'];
/** A batch as lists show it: without its payments. */
export type PaymentBatchSummary = ItemOf<Op['GET /v1/payment-batches']['response']>;
export type PaymentBatchCreateParams = BodyOf<'POST /v1/payment-batches'>;
export type PaymentBatchListParams = QueryOf<'GET /v1/payment-batches'>;

export type Account = Op['GET /v1/accounts/{id}']['response'];
export type AccountCreateParams = BodyOf<'POST /v1/accounts'>;
export type AccountListParams = QueryOf<'GET /v1/accounts'>;

export type WebhookEndpoint = Op['GET /v1/webhook-endpoints/{id}']['response'];
/** Creation and rotation answers: the endpoint with its signing secret (shown only then). */
export type WebhookEndpointWithSecret = Op['POST /v1/webhook-endpoints']['response'];
export type WebhookEndpointCreateParams = BodyOf<'POST /v1/webhook-endpoints'>;
export type WebhookEndpointListParams = QueryOf<'GET /v1/webhook-endpoints'>;
export type WebhookDelivery = ItemOf<Op['GET /v1/webhook-endpoints/{id}/deliveries']['response']>;
export type WebhookDeliveryListParams = QueryOf<'GET /v1/webhook-endpoints/{id}/deliveries'>;

export type Event = Op['GET /v1/events/{id}']['response'];
export type EventType = NonNullable<EventListParams['type']>;
export type EventListParams = QueryOf<'GET /v1/events'>;
export type EventRedeliverParams = BodyOf<'POST /v1/events/{id}/redeliver'>;
export type Redelivery = Op['POST /v1/events/{id}/redeliver']['response'];

export type Approval = ItemOf<Op['GET /v1/approvals']['response']>;
export type ApprovalListParams = QueryOf<'GET /v1/approvals'>;
export type ApproveParams = BodyOf<'POST /v1/payments/{id}/approve'>;
export type RejectParams = BodyOf<'POST /v1/payments/{id}/reject'>;

export type ClientJwks = Op['GET /v1/clients/me/jwks']['response'];
export type ClientJwksInput = BodyOf<'PUT /v1/clients/me/jwks'>;

/**
 * The dry-run answer of POST /v1/payments/validate and /v1/payment-batches/validate (SPEC §12).
 * Written by hand: those routes are being added on another branch; regenerate openapi.ts once
 * they are merged and point this at them.
 */
export interface ValidationResult {
  valid: true;
  paymentDate: string;
  expectedValueDate: string;
  summary: { count: number; totalAmount: number; [extra: string]: unknown };
  [extra: string]: unknown;
}
