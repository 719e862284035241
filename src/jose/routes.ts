// /v1/clients/me/jwks — the calling client's public keys (PUT: scope keys:write; GET: any token).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequireAuth } from '../auth/bearer.ts';
import { clientOf } from '../auth/bearer.ts';
import type { ClientsService } from '../clients/service.ts';
import { validationFailed } from '../errors.ts';
import { ProblemSchema } from '../http/schemas.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import { CLIENT_SIGNING_ALGS, KEY_MANAGEMENT_ALGS } from './algorithms.ts';
import { MAX_CLIENT_KEYS, validateClientJwks } from './client-keys.ts';

// Every key rule lives in validateClientJwks (shared with the CLI); the schema only says "a set
// of JWK objects", so a private member gets its own error code rather than UNKNOWN_FIELD.
const JwkSchema = Type.Object(
  {
    kty: Type.Optional(Type.String({ examples: ['EC'] })),
    kid: Type.Optional(Type.String({ examples: ['acme-2026-01'] })),
    use: Type.Optional(Type.String({ examples: ['sig'] })),
    alg: Type.Optional(Type.String({ examples: ['ES256'] })),
  },
  {
    additionalProperties: true,
    description: `A public JWK with kid, use and alg: sig keys ${CLIENT_SIGNING_ALGS.join('/')}, enc keys ${KEY_MANAGEMENT_ALGS.join('/')}; RSA of 2048 bits or more; no private members`,
  },
);

const JwksInput = Type.Object({ keys: Type.Array(JwkSchema, { maxItems: MAX_CLIENT_KEYS }) }, { additionalProperties: false, title: 'ClientKeysInput' });

const JwksSchema = Type.Object({ keys: Type.Array(Type.Object({}, { additionalProperties: true })) }, { title: 'ClientKeys' });

export interface ClientKeysRoutesDeps {
  clients: ClientsService;
  requireAuth: RequireAuth;
  rateLimit: RateLimit;
}

// Limited with the calls they go with, as accounts are: writes under `payments`, reads under
// `payment-enquiry` (a client changes its keys a few times a year).
export async function clientKeysRoutes(base: FastifyInstance, { clients, requireAuth, rateLimit }: ClientKeysRoutesDeps): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['auth'];
  const security = [{ bearer: [] }];

  app.put(
    '/v1/clients/me/jwks',
    {
      preHandler: [requireAuth('keys:write'), rateLimit('management')],
      schema: {
        operationId: 'replaceClientKeys',
        summary: "Replace the client's public keys (JWKS)",
        description:
          'Signing keys authenticate private_key_jwt assertions and sign application/jose request bodies; the first encryption key is what the gateway encrypts responses and webhooks to.',
        tags,
        security,
        body: JwksInput,
        response: { 200: JwksSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const result = validateClientJwks(request.body);
      if (!result.ok) throw validationFailed(result.errors, `The JWKS is invalid: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}`);
      const { claims } = await requireAuth.identify(request);
      return clients.setKeys(clientOf(request).id, result.jwks, 'client', {
        credentialAt: claims.credentialAt,
        tokenJti: claims.jti,
        sourceAddress: request.ip,
      });
    },
  );

  app.get(
    '/v1/clients/me/jwks',
    {
      // Reading one's own public keys is harmless: any authenticated token of the client may.
      preHandler: [requireAuth(), rateLimit('management')],
      schema: { operationId: 'getClientKeys', summary: "The client's registered public keys", tags, security, response: { 200: JwksSchema } },
    },
    async (request) => (await clients.keysOf(clientOf(request).id)) ?? { keys: [] },
  );
}
