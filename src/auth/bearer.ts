// Bearer authentication for every API route: the token must verify (algorithm, typ, issuer,
// audience pinned), its client must exist and be enabled, and it must carry the route's scope.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../errors.ts';
import type { Client, ClientsService } from '../clients/service.ts';
import type { Scope } from './scopes.ts';
import { InvalidTokenError } from './tokens.ts';
import type { TokenService } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated client (set by the bearer pre-handler). */
    client: Client | null;
    /** The scopes of the access token used. */
    tokenScopes: Scope[];
  }
}

const REALM = 'payrail';

function unauthenticated(reason: string): AppError {
  // Header values must stay printable ASCII without quotes.
  const description = reason.replace(/[^\x20-\x7e]|"/g, "'");
  return new AppError('UNAUTHENTICATED', 'Unauthenticated', reason, undefined, {
    'www-authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
  });
}

/** The bearer token of a request; the seed spells the header `authorisation`, so that works too. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? (request.headers['authorisation'] as string | undefined);
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  return match?.[1];
}

export interface BearerDeps {
  tokens: TokenService;
  clients: ClientsService;
}

export function createBearerAuth({ tokens, clients }: BearerDeps) {
  /** A pre-handler that authenticates the request and, if given, requires one of `scopes`. */
  return function requireAuth(...scopes: Scope[]): preHandlerAsyncHookHandler {
    return async function authenticate(request: FastifyRequest, _reply: FastifyReply) {
      const token = bearerToken(request);
      if (!token) throw unauthenticated('an access token is required (Authorization: Bearer <token>)');
      let claims;
      try {
        claims = await tokens.verify(token);
      } catch (err) {
        throw unauthenticated(err instanceof InvalidTokenError ? err.message : 'the access token is invalid');
      }
      const client = await clients.get(claims.clientId);
      if (!client || client.disabled) throw unauthenticated('the client is disabled or unknown');
      if (scopes.length > 0 && !scopes.some((s) => claims.scopes.includes(s))) {
        throw new AppError('INSUFFICIENT_SCOPE', 'Insufficient scope', `This operation needs the scope ${scopes.join(' or ')}`, undefined, {
          'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scopes.join(' ')}"`,
        });
      }
      request.client = client;
      request.tokenScopes = claims.scopes;
    };
  };
}

export type RequireAuth = ReturnType<typeof createBearerAuth>;

/** The authenticated client of a request that passed `requireAuth`. */
export function clientOf(request: FastifyRequest): Client {
  if (!request.client) throw new Error('route is missing its requireAuth pre-handler');
  return request.client;
}
