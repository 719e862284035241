// /v1/accounts — the sender accounts of the client's organisation (a client pays from its own only).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequireAuth } from '../auth/bearer.ts';
import { clientOf } from '../auth/bearer.ts';
import { ListQuery, listOf } from '../http/pagination.ts';
import { ProblemSchema } from '../http/schemas.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import type { AccountsService } from './service.ts';
import type { IdempotentRunner } from '../idempotency/http.ts';

const AccountInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 140 }),
    bank: Type.String({ minLength: 1, maxLength: 11, description: 'BIC (8 or 11) or 3-digit HK bank code', examples: ['DBSSSGSGXXX'] }),
    accountNumber: Type.String({ minLength: 1, maxLength: 34, pattern: '^[0-9A-Za-z -]+$' }),
    currencies: Type.Array(Type.String({ pattern: '^[A-Z]{3}$' }), { minItems: 1, maxItems: 50 }),
    legalName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 140, description: "The holder's legal name as the bank knows it: the debtor name of bank files (default: name)" }),
    ),
    country: Type.Optional(Type.String({ minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$', description: "ISO 3166-1 alpha-2 of the holder's address" })),
    address: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 35 }), { minItems: 1, maxItems: 3, description: "The holder's address, 1–3 lines" }),
    ),
    bankCustomerId: Type.Optional(Type.String({ minLength: 1, maxLength: 35, description: "The bank's id for the customer (pain.001 InitgPty/Id)" })),
  },
  { title: 'AccountInput', additionalProperties: false },
);

export const AccountSchema = Type.Object(
  {
    id: Type.String({ examples: ['intacct_01JC9Z0000000000000000000'] }),
    name: Type.String(),
    bank: Type.String(),
    accountNumber: Type.String(),
    market: Type.Union([Type.Literal('HK'), Type.Literal('SG')]),
    currencies: Type.Array(Type.String()),
    legalName: Type.Optional(Type.String()),
    country: Type.Optional(Type.String()),
    address: Type.Optional(Type.Array(Type.String())),
    bankCustomerId: Type.Optional(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'Account', description: 'A sender account' },
);

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export interface AccountRoutesDeps {
  accounts: AccountsService;
  requireAuth: RequireAuth;
  rateLimit: RateLimit;
  idempotent: IdempotentRunner;
}

// Accounts are limited with the payment calls they go with: reads under `payment-enquiry`,
// registration under `payments`, so no authenticated route is unbounded (SPEC §5 names no
// policy of their own; a client registers a handful of accounts, far below either budget).
export async function accountRoutes(base: FastifyInstance, { accounts, requireAuth, rateLimit, idempotent }: AccountRoutesDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['accounts'];
  const security = [{ bearer: [] }];

  app.post(
    '/v1/accounts',
    {
      config: { idempotent: true },
      preHandler: [requireAuth('accounts:write'), rateLimit('management')],
      schema: {
        operationId: 'createAccount',
        summary: 'Register a sender account (takes an Idempotency-Key header)',
        tags,
        security,
        body: AccountInput,
        response: { 201: AccountSchema, 400: ProblemSchema },
      },
    },
    async (request, reply) => idempotent(request, reply, 201, (complete) => accounts.create(clientOf(request).id, request.body, complete)),
  );

  app.get(
    '/v1/accounts',
    {
      preHandler: [requireAuth('payments:read', 'accounts:write'), rateLimit('management')],
      schema: {
        operationId: 'listAccounts',
        summary: 'List sender accounts',
        tags,
        security,
        querystring: ListQuery,
        response: { 200: listOf(AccountSchema) },
      },
    },
    async (request) => accounts.listOfOrganisation(clientOf(request), request.query),
  );

  app.get(
    '/v1/accounts/:id',
    {
      preHandler: [requireAuth('payments:read', 'accounts:write'), rateLimit('management')],
      schema: {
        operationId: 'getAccount',
        summary: 'Get a sender account',
        tags,
        security,
        params: IdParams,
        response: { 200: AccountSchema, 404: ProblemSchema },
      },
    },
    async (request) => accounts.get(clientOf(request), request.params.id),
  );
}
