// Discovery: the JWKS (RFC 7517) and authorization server metadata (RFC 8414), so standard OAuth
// client libraries find the token endpoint and keys unchanged.
import type { FastifyInstance } from 'fastify';
import { ACCESS_TOKEN_ALG } from './signing-keys.ts';
import type { KeyStore } from './signing-keys.ts';
import { SCOPES } from './scopes.ts';
import { CLIENT_SIGNING_ALGS } from '../jose/algorithms.ts';

export interface WellKnownDeps {
  keys: KeyStore;
  issuer: string;
}

export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}/v1.0/auth`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
    response_types_supported: ['token'],
    scopes_supported: [...SCOPES],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_SIGNING_ALGS],
    access_token_signing_alg_values_supported: [ACCESS_TOKEN_ALG],
  };
}

export async function wellKnownRoutes(app: FastifyInstance, { keys, issuer }: WellKnownDeps): Promise<void> {
  app.get(
    '/.well-known/jwks.json',
    { schema: { operationId: 'getJwks', summary: 'The gateway public keys (JWKS): signing keys and encryption keys (use: enc)', tags: ['auth'] } },
    async (_req, reply) => {
      // A rotation by another instance or the CLI shows up here within a minute.
      await keys.refreshIfStale();
      return reply.header('cache-control', 'public, max-age=300').send(keys.jwks());
    },
  );
  app.get(
    '/.well-known/oauth-authorization-server',
    { schema: { operationId: 'getAuthorizationServerMetadata', summary: 'OAuth 2.0 server metadata (RFC 8414)', tags: ['auth'] } },
    async () => authorizationServerMetadata(issuer),
  );
}
