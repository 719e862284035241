// POST /v1.0/auth — the OAuth 2.0 token endpoint, client credentials grant (RFC 6749 §4.4).
// Clients authenticate with a secret (Basic or in the body) or a signed assertion (private_key_jwt,
// RFC 7523; verified in src/jose/client-assertions.ts).
// Errors here are RFC 6749 §5.2 bodies, not problems: that is what OAuth client libraries read.
import formbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Client, ClientsService } from '../clients/service.ts';
import { AppError } from '../errors.ts';
import { isAcceptableText } from '../http/input-text.ts';
import { AssertionError, JWT_BEARER_ASSERTION_TYPE } from '../jose/client-assertions.ts';
import type { ClientAssertionVerifier } from '../jose/client-assertions.ts';
import type { AuthFailures } from '../rate-limits/auth-failures.ts';
import type { RateLimit } from '../rate-limits/pre-handler.ts';
import { isScope } from './scopes.ts';
import type { Scope } from './scopes.ts';
import type { TokenService } from './tokens.ts';

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

class TokenError extends Error {
  constructor(
    readonly error: OAuthError,
    readonly description: string,
  ) {
    super(description);
  }
}

function sendTokenError(reply: FastifyReply, err: TokenError, usedBasic: boolean): FastifyReply {
  const status = err.error === 'invalid_client' ? 401 : 400;
  if (status === 401) {
    void reply.header('www-authenticate', usedBasic ? 'Basic realm="payrail", charset="UTF-8"' : 'Basic realm="payrail"');
  }
  return reply.code(status).header('cache-control', 'no-store').header('pragma', 'no-cache').send({ error: err.error, error_description: err.description });
}

interface Credentials {
  clientId: string;
  secret: string;
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** client_secret_basic: `Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): Credentials | undefined {
  if (!header || !/^Basic\s/i.test(header)) return undefined;
  let decoded: string;
  try {
    // Not toString('utf8'): that turns bytes that are not UTF-8 into U+FFFD silently.
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(header.slice(6).trim(), 'base64'));
  } catch {
    throw new TokenError('invalid_request', 'the Basic credentials are not UTF-8');
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new TokenError('invalid_client', 'malformed Basic credentials');
  let credentials: Credentials;
  try {
    credentials = { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new TokenError('invalid_client', 'malformed Basic credentials');
  }
  // The form and JSON fields are checked for every route (src/http/input-text.ts); these come
  // out of a header, so the same check is made here before the id can reach the database.
  if (!isAcceptableText(credentials.clientId, 'line') || !isAcceptableText(credentials.secret, 'line')) {
    throw new TokenError('invalid_request', 'the Basic credentials contain a control character');
  }
  return credentials;
}

function param(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  // A parameter sent twice arrives as an array: RFC 6749 §3.2 forbids repeating one.
  if (typeof value !== 'string') throw new TokenError('invalid_request', `${name} must be a single string`);
  return value;
}

function requestedScopes(raw: string | undefined, client: Client): Scope[] {
  if (raw === undefined || raw.trim() === '') return client.scopes;
  const names = raw.split(' ').filter(Boolean);
  for (const name of names) {
    if (!isScope(name) || !client.scopes.includes(name)) throw new TokenError('invalid_scope', `scope '${name}' is not available to this client`);
  }
  return [...new Set(names)] as Scope[];
}

export interface TokenRouteDeps {
  clients: ClientsService;
  tokens: TokenService;
  /** The `authorisation` policy, charged to a client once it has authenticated; its 429 is a problem. */
  rateLimit: RateLimit;
  /** Failed authentications, limited per address and per presented client id (never the client's budget). */
  authFailures: AuthFailures;
  /** private_key_jwt. */
  assertions: ClientAssertionVerifier;
}

const TokenRequest = Type.Object(
  {
    grant_type: Type.Literal('client_credentials'),
    scope: Type.Optional(Type.String({ description: 'Space-separated scopes; omitted = every scope of the client' })),
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String()),
    client_assertion_type: Type.Optional(Type.String()),
    client_assertion: Type.Optional(Type.String()),
  },
  { title: 'TokenRequest', description: 'application/x-www-form-urlencoded or application/json' },
);

const TokenResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    scope: Type.String(),
  },
  { title: 'TokenResponse' },
);

const OAuthErrorBody = Type.Object(
  { error: Type.String(), error_description: Type.Optional(Type.String()) },
  { title: 'OAuthError', description: 'An OAuth 2.0 error (RFC 6749 §5.2)' },
);

/** The client a private_key_jwt request authenticates as (RFC 7521 §4.2). */
async function assertedClient(fields: Record<string, unknown>, postId: string | undefined, assertions: ClientAssertionVerifier): Promise<Authenticated> {
  const type = param(fields, 'client_assertion_type');
  const assertion = param(fields, 'client_assertion');
  if (type === undefined || assertion === undefined) throw new TokenError('invalid_request', 'client_assertion and client_assertion_type go together');
  if (type !== JWT_BEARER_ASSERTION_TYPE) throw new TokenError('invalid_client', `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
  try {
    // A registered key is current by definition: rotate-secret and disable revoke the keys (unless kept).
    return { client: await assertions.verify(assertion, postId) };
  } catch (err) {
    if (err instanceof AssertionError) throw new TokenError('invalid_client', err.message);
    throw err;
  }
}

/** An authenticated client and, for a secret, when that secret was issued (ms). */
interface Authenticated {
  client: Client;
  credentialAt?: number;
}

/** The client a token request authenticates as, by exactly one method (RFC 6749 §2.3). */
async function authenticateClient(
  fields: Record<string, unknown>,
  basic: Credentials | undefined,
  clients: ClientsService,
  assertions: ClientAssertionVerifier,
): Promise<Authenticated> {
  const postId = param(fields, 'client_id');
  const postSecret = param(fields, 'client_secret');
  const usesAssertion = fields.client_assertion !== undefined || fields.client_assertion_type !== undefined;
  const methods = [basic !== undefined, postSecret !== undefined, usesAssertion].filter(Boolean).length;
  if (methods > 1 || (basic && postId !== undefined && postId !== basic.clientId)) {
    throw new TokenError('invalid_request', 'use one client authentication method, not several');
  }
  if (usesAssertion) return assertedClient(fields, postId, assertions);
  const creds = basic ?? (postId !== undefined && postSecret !== undefined ? { clientId: postId, secret: postSecret } : undefined);
  if (!creds) throw new TokenError('invalid_client', 'client authentication is required');
  const authenticated = await clients.authenticate(creds.clientId, creds.secret);
  if (!authenticated) throw new TokenError('invalid_client', 'client authentication failed');
  return authenticated;
}

/** The body's fields and the client they authenticate; `credentials.usedBasic` tells how. */
async function readAndAuthenticate(request: FastifyRequest, credentials: { usedBasic: boolean }, clients: ClientsService, assertions: ClientAssertionVerifier) {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TokenError('invalid_request', 'the body must be form-encoded or a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const basic = basicCredentials(request.headers.authorization);
  credentials.usedBasic = basic !== undefined;
  return { ...(await authenticateClient(fields, basic, clients, assertions)), fields };
}

export async function tokenRoute(app: FastifyInstance, { clients, tokens, rateLimit, authFailures, assertions }: TokenRouteDeps): Promise<void> {
  await app.register(async (scoped) => {
    await scoped.register(formbody, { bodyLimit: 64 * 1024 });
    // Unparseable bodies on this route are OAuth errors too (400, or 413 above the size limit).
    scoped.setErrorHandler((err: { statusCode?: number }, request, reply) => {
      const status = err instanceof AppError ? err.status : (err.statusCode ?? 500);
      if (status >= 400 && status < 500) {
        // RFC 6749 §5.2 answers a request it cannot read with 400 invalid_request; only the size
        // limit keeps its own status (413), which tells the client what to change. A field the
        // input check refused (a control character in client_id) is named.
        const field = err instanceof AppError ? err.errors?.[0] : undefined;
        // RFC 6749 §5.1: error_description is printable ASCII without a double quote or a backslash.
        const description = field ? `${field.path} ${field.message}`.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?') : 'the request body could not be read';
        return reply
          .code(status === 413 ? 413 : 400)
          .header('cache-control', 'no-store')
          .send({ error: 'invalid_request', error_description: description });
      }
      throw err;
    });
    scoped.post(
      '/v1.0/auth',
      {
        bodyLimit: 64 * 1024,
        // Validated by hand below: failures must be RFC 6749 error bodies, not problems.
        validatorCompiler: () => () => true,
        schema: {
          operationId: 'createAccessToken',
          summary: 'Get an access token (OAuth 2.0 client credentials)',
          tags: ['auth'],
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: TokenRequest,
          response: { 200: TokenResponse, 400: OAuthErrorBody, 401: OAuthErrorBody },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const credentials = { usedBasic: false };
        try {
          const authenticated = await readAndAuthenticate(request, credentials, clients, assertions).catch(async (err: unknown) => {
            // Every refusal before the client is authenticated is a failed attempt of this
            // address (and of the client id it presents): counted apart from the client's budget,
            // and over those limits answered 429 with Retry-After instead of 401. Credentials that
            // are right are never held up by them: the failures of an address shared with others
            // (a NAT, a proxy, a test run on loopback) do not keep its real clients out.
            if (err instanceof TokenError && (await authFailures.refuseOrCount(request, reply))) return undefined;
            throw err;
          });
          if (authenticated === undefined) return reply; // answered 429 above
          const { client, credentialAt, fields } = authenticated;
          // Only a client that proved who it is spends its own `authorisation` budget.
          if (!(await rateLimit.charge('authorisation', client, reply))) return reply;

          const grantType = param(fields, 'grant_type');
          if (grantType === undefined) throw new TokenError('invalid_request', 'grant_type is required');
          if (grantType !== 'client_credentials') throw new TokenError('unsupported_grant_type', `grant_type '${grantType}' is not supported`);
          const scopes = requestedScopes(param(fields, 'scope'), client);
          const accessToken = await tokens.issue(client, scopes, credentialAt);
          return reply
            .header('cache-control', 'no-store')
            .header('pragma', 'no-cache')
            .send({ access_token: accessToken, token_type: 'Bearer', expires_in: tokens.ttlSeconds, scope: scopes.join(' ') });
        } catch (err) {
          if (err instanceof TokenError) return sendTokenError(reply, err, credentials.usedBasic);
          throw err;
        }
      },
    );
  });
}
