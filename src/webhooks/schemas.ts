// Request and response schemas of the webhook endpoints: one source for validation, types and
// /openapi.json.
import { Type } from '@sinclair/typebox';
import { EVENT_TYPES } from '../events/outbox.ts';
import { ListQuery } from '../http/pagination.ts';

const EventTypeSchema = Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)));

export const EndpointInput = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description:
        'An absolute https URL (http and loopback too for test-mode clients), at most 2048 characters, without spaces, control characters, credentials or #fragment',
      examples: ['https://example.com/webhooks/payrail'],
    }),
    events: Type.Optional(
      Type.Array(EventTypeSchema, {
        minItems: 1,
        maxItems: EVENT_TYPES.length,
        uniqueItems: true,
        description: 'The event types to send; absent = every type',
      }),
    ),
  },
  { title: 'WebhookEndpointInput', additionalProperties: false },
);

export const EndpointSchema = Type.Object(
  {
    id: Type.String({ examples: ['we_01JC9Z6Q8W4M2X1A7B3C5D9E0F'] }),
    url: Type.String(),
    events: Type.Optional(Type.Array(Type.String())),
    status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
    disabledReason: Type.Optional(Type.String()),
    disabledAt: Type.Optional(Type.String()),
    previousSecretExpiresAt: Type.Optional(Type.String({ description: 'Until then the secret before the last rotation signs too' })),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'WebhookEndpoint' },
);

export const EndpointWithSecretSchema = Type.Composite(
  [
    EndpointSchema,
    Type.Object({
      secret: Type.String({
        description: 'whsec_…: shown only in this answer; keep it to verify signatures',
        examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      }),
    }),
  ],
  { title: 'WebhookEndpointWithSecret', description: 'A webhook endpoint with its signing secret (shown once)' },
);

const AttemptSchema = Type.Object(
  {
    attemptedAt: Type.String(),
    statusCode: Type.Optional(Type.Integer({ description: "The receiver's HTTP status" })),
    error: Type.Optional(Type.String({ description: 'Why there was no 2xx (timeout, connection refused, HTTP 500…)' })),
    durationMs: Type.Integer(),
  },
  { title: 'WebhookDeliveryAttempt' },
);

const DeliveryStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('canceled')]);

export const DeliverySchema = Type.Object(
  {
    id: Type.String(),
    eventId: Type.String(),
    eventType: Type.String(),
    endpointId: Type.String(),
    status: DeliveryStatusSchema,
    attemptCount: Type.Integer(),
    nextAttemptAt: Type.Optional(Type.String()),
    lastAttemptAt: Type.Optional(Type.String()),
    lastStatusCode: Type.Optional(Type.Integer()),
    lastError: Type.Optional(Type.String()),
    attempts: Type.Array(AttemptSchema),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'WebhookDelivery' },
);

export const DeliveryListQuery = Type.Composite(
  [ListQuery, Type.Object({ status: Type.Optional(DeliveryStatusSchema), eventId: Type.Optional(Type.String({ maxLength: 64 })) })],
  { additionalProperties: false },
);

export const RedeliverInput = Type.Object(
  {
    endpointId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Only this endpoint; absent = every enabled endpoint subscribed to the event type' }),
    ),
  },
  { additionalProperties: false, title: 'RedeliverRequest' },
);

export const RedeliverySchema = Type.Object(
  {
    eventId: Type.String(),
    deliveries: Type.Array(Type.Object({ id: Type.String(), endpointId: Type.String(), status: DeliveryStatusSchema, nextAttemptAt: Type.String() })),
  },
  { title: 'Redelivery' },
);

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
