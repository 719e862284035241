// /v1/webhook-endpoints and POST /v1/events/{id}/redeliver (SPEC §6). Scope `webhooks:write`
// for all of them; another client's endpoint or event is 404. Creating POSTs take an
// Idempotency-Key. Writes are limited with the `payments` policy and reads with
// `payment-enquiry`, like accounts (SPEC §5 names no policy of their own).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { RequireAuth } from '../auth/bearer.ts';
import { clientOf } from '../auth/bearer.ts';
import { ListQuery, listOf } from '../http/pagination.ts';
import { ProblemSchema } from '../http/schemas.ts';
import type { IdempotentRunner } from '../idempotency/http.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import type { WebhookDeliveriesService } from './deliveries-service.ts';
import type { CreateEndpointInput, WebhookEndpointsService } from './endpoints-service.ts';
import {
  DeliveryListQuery,
  DeliverySchema,
  EndpointInput,
  EndpointSchema,
  EndpointWithSecretSchema,
  IdParams,
  RedeliverInput,
  RedeliverySchema,
} from './schemas.ts';

export interface WebhookRoutesDeps {
  endpoints: WebhookEndpointsService;
  deliveries: WebhookDeliveriesService;
  requireAuth: RequireAuth;
  rateLimit: RateLimit;
  idempotent: IdempotentRunner;
}

export async function webhookRoutes(base: FastifyInstance, { endpoints, deliveries, requireAuth, rateLimit, idempotent }: WebhookRoutesDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['webhooks'];
  const security = [{ bearer: [] }];
  const write = [requireAuth('webhooks:write'), rateLimit('management')];
  const read = [requireAuth('webhooks:write'), rateLimit('management')];

  app.post(
    '/v1/webhook-endpoints',
    {
      config: { idempotent: true },
      preHandler: write,
      schema: {
        operationId: 'createWebhookEndpoint',
        summary: 'Register a webhook endpoint',
        description:
          'Answers with the signing secret, shown only here. Live-mode endpoints must be https and resolve to public addresses. A client may have 20 endpoints (deleted ones do not count): one more is 409 WEBHOOK_ENDPOINT_LIMIT. Takes an Idempotency-Key header.',
        tags,
        security,
        body: EndpointInput,
        response: { 201: EndpointWithSecretSchema, 400: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => idempotent(request, reply, 201, (complete) => endpoints.create(clientOf(request), request.body as CreateEndpointInput, complete)),
  );

  app.get(
    '/v1/webhook-endpoints',
    {
      preHandler: read,
      schema: {
        operationId: 'listWebhookEndpoints',
        summary: 'List webhook endpoints, newest first',
        tags,
        security,
        querystring: ListQuery,
        response: { 200: listOf(EndpointSchema) },
      },
    },
    async (request) => endpoints.list(clientOf(request).id, request.query),
  );

  app.get(
    '/v1/webhook-endpoints/:id',
    {
      preHandler: read,
      schema: {
        operationId: 'getWebhookEndpoint',
        summary: 'Get a webhook endpoint',
        tags,
        security,
        params: IdParams,
        response: { 200: EndpointSchema, 404: ProblemSchema },
      },
    },
    async (request) => endpoints.get(clientOf(request).id, request.params.id),
  );

  app.delete(
    '/v1/webhook-endpoints/:id',
    {
      preHandler: write,
      schema: {
        operationId: 'deleteWebhookEndpoint',
        summary: 'Delete a webhook endpoint (its pending deliveries are canceled)',
        tags,
        security,
        params: IdParams,
        response: { 204: Type.Null(), 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      await endpoints.delete(clientOf(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      config: { idempotent: true },
      preHandler: write,
      schema: {
        operationId: 'rotateWebhookEndpointSecret',
        summary: "Rotate an endpoint's signing secret",
        description:
          'Answers with the new secret. For 24 hours both secrets sign (two v1 signatures) so receivers can roll over. Takes an Idempotency-Key header.',
        tags,
        security,
        params: IdParams,
        response: { 200: EndpointWithSecretSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => idempotent(request, reply, 200, (complete) => endpoints.rotateSecret(clientOf(request).id, request.params.id, complete)),
  );

  app.get(
    '/v1/webhook-endpoints/:id/deliveries',
    {
      preHandler: read,
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: "An endpoint's deliveries, newest first, with every attempt",
        tags,
        security,
        params: IdParams,
        querystring: DeliveryListQuery,
        response: { 200: listOf(DeliverySchema), 404: ProblemSchema },
      },
    },
    async (request) => deliveries.list(clientOf(request).id, request.params.id, request.query),
  );

  app.post(
    '/v1/events/:id/redeliver',
    {
      // The body is optional: no body means "every subscribed endpoint", like an empty object.
      preValidation: async (request) => {
        request.body ??= {};
      },
      config: { idempotent: true },
      preHandler: write,
      schema: {
        operationId: 'redeliverEvent',
        summary: 'Deliver an event again',
        description:
          'Schedules a new round of attempts now, with the same webhook-id: to `endpointId`, or to every enabled endpoint subscribed to the event type. Takes an Idempotency-Key header.',
        tags,
        security,
        params: IdParams,
        body: RedeliverInput,
        response: { 202: RedeliverySchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, 202, (complete) => deliveries.redeliver(clientOf(request).id, request.params.id, request.body.endpointId, complete)),
  );
}
