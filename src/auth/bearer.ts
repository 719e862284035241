// Bearer authentication for every API route: the token must verify (algorithm, typ, issuer,
// audience pinned), its client must exist and be enabled, the token must not be older than the
// client's last secret rotation, and it must carry the route's scope.
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler, preHandlerAsyncHookHandler, RouteOptions } from 'fastify';
import { AppError } from '../errors.ts';
import type { Client, ClientsService } from '../clients/service.ts';
import type { Scope } from './scopes.ts';
import { InvalidTokenError, firstValidIssuedAt } from './tokens.ts';
import type { AccessTokenClaims, TokenService } from './tokens.ts';

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
    // The error first, as SPEC §2 writes the header (`Bearer error="invalid_token"`); RFC 6750 lets
    // the parameters come in any order.
    'www-authenticate': `Bearer error="invalid_token", error_description="${description}", realm="${REALM}"`,
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

/** Who sent a request: its verified access token and the (enabled) client it belongs to. */
export interface BearerIdentity {
  client: Client;
  claims: AccessTokenClaims;
}

const BEARER_AUTH = Symbol('payrail.requireAuth');

/** True for a hook made by requireAuth: a route that has one is an authenticated API route. */
export function isBearerAuthHook(hook: unknown): boolean {
  return typeof hook === 'function' && BEARER_AUTH in hook;
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}

/**
 * Routes declare `preHandler: [requireAuth(scope), …]`; this moves those hooks to `onRequest`, so a
 * request without a valid token (or scope) is refused with 401/403 before its body is read or
 * validated — an anonymous caller learns nothing about the schema and costs no parsing.
 */
export function authenticateOnRequest(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const pre = hooksOf(route.preHandler);
    const auth = pre.filter(isBearerAuthHook);
    if (auth.length === 0) return;
    route.preHandler = pre.filter((h) => !isBearerAuthHook(h));
    route.onRequest = [...hooksOf(route.onRequest), ...(auth as unknown as onRequestAsyncHookHandler[])];
  });
}

/** True when a route is guarded by requireAuth (wherever its hook now sits). */
export function isAuthenticatedRoute(route: RouteOptions): boolean {
  return [...hooksOf(route.onRequest), ...hooksOf(route.preHandler)].some(isBearerAuthHook);
}

export function createBearerAuth({ tokens, clients }: BearerDeps) {
  // One verification per request however many hooks ask: JOSE bodies need the client before
  // validation (src/jose/http.ts), requireAuth needs it again in the pre-handler.
  const identities = new WeakMap<FastifyRequest, Promise<BearerIdentity>>();

  async function verifyBearer(request: FastifyRequest): Promise<BearerIdentity> {
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
    if (claims.iat < firstValidIssuedAt(client)) throw unauthenticated('the access token was revoked (the client secret was rotated)');
    return { client, claims };
  }

  /** The request's identity; rejects with the 401 problem to send. */
  function identify(request: FastifyRequest): Promise<BearerIdentity> {
    let identity = identities.get(request);
    if (!identity) {
      identity = verifyBearer(request);
      identities.set(request, identity);
    }
    return identity;
  }

  /** A pre-handler that authenticates the request and, if given, requires one of `scopes`. */
  function requireAuth(...scopes: Scope[]): preHandlerAsyncHookHandler {
    const authenticate = async function authenticate(request: FastifyRequest, _reply: FastifyReply) {
      const { client, claims } = await identify(request);
      if (scopes.length > 0 && !scopes.some((s) => claims.scopes.includes(s))) {
        throw new AppError('INSUFFICIENT_SCOPE', 'Insufficient scope', `This operation needs the scope ${scopes.join(' or ')}`, undefined, {
          'www-authenticate': `Bearer error="insufficient_scope", scope="${scopes.join(' ')}", realm="${REALM}"`,
        });
      }
      request.client = client;
      request.tokenScopes = claims.scopes;
    };
    return Object.assign(authenticate, { [BEARER_AUTH]: true });
  }

  return Object.assign(requireAuth, { identify });
}

export type RequireAuth = ReturnType<typeof createBearerAuth>;

/** The authenticated client of a request that passed `requireAuth`. */
export function clientOf(request: FastifyRequest): Client {
  if (!request.client) throw new Error('route is missing its requireAuth pre-handler');
  return request.client;
}
