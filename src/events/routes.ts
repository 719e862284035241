// GET /v1/events — the client's events, newest first (pollable alternative to webhooks).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequireAuth } from '../auth/bearer.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import { clientOf } from '../auth/bearer.ts';
import { ListQuery, listOf } from '../http/pagination.ts';
import { ProblemSchema } from '../http/schemas.ts';
import { EVENT_TYPES } from './outbox.ts';
import type { EventsService } from './service.ts';

export const EventSchema = Type.Object(
  {
    id: Type.String({ examples: ['evt_01JC9Z6Q8W4M2X1A7B3C5D9E0F'] }),
    type: Type.String({ examples: ['payments.succeeded'] }),
    createdAt: Type.String(),
    sequence: Type.Integer({ description: '1, 2, 3… per payment or batch: the order of events about one object' }),
    data: Type.Unknown({ description: 'The batch or payment object at that moment' }),
  },
  { title: 'Event' },
);

const EventListQuery = Type.Composite(
  [
    ListQuery,
    Type.Object({ type: Type.Optional(Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)))), objectId: Type.Optional(Type.String({ maxLength: 64 })) }),
  ],
  { additionalProperties: false },
);

export interface EventRoutesDeps {
  events: EventsService;
  requireAuth: RequireAuth;
  rateLimit: RateLimit;
}

export async function eventRoutes(base: FastifyInstance, { events, requireAuth, rateLimit }: EventRoutesDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['events'];
  const security = [{ bearer: [] }];
  app.get(
    '/v1/events',
    {
      preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')],
      schema: {
        operationId: 'listEvents',
        summary: 'List events, newest first',
        tags,
        security,
        querystring: EventListQuery,
        response: { 200: listOf(EventSchema) },
      },
    },
    async (request) => events.list(clientOf(request).id, request.query),
  );
  app.get(
    '/v1/events/:id',
    {
      preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')],
      schema: {
        operationId: 'getEvent',
        summary: 'Get an event',
        tags,
        security,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: EventSchema, 404: ProblemSchema },
      },
    },
    async (request) => events.get(clientOf(request).id, request.params.id),
  );
}
