// JOSE bodies on the API: `Content-Type: application/jose` requests and encrypted responses.
//
// Fastify validates the body before the pre-handlers run. A JOSE body can only be opened once the
// client is known (its signing key verifies the inner JWS); requireAuth runs at onRequest
// (authenticateOnRequest in auth/bearer.ts), and the body is opened at preValidation, between
// parsing and validation:
//
//   parse        the content-type parser keeps the compact JWE as it came (a JoseBody);
//   preValidation the client is identified from the bearer token (memoized: requireAuth reuses
//                it), the JWE is decrypted and its JWS verified, and `request.body` becomes the
//                signed JSON — so the route's own schema validates it exactly like plain JSON;
//   onRequest    requireAuth verifies the token and the scopes (before the body is read);
//   preHandler   rate limits run, then the handler;
//   onSend       the answer (success or problem) is signed by the gateway and encrypted to the
//                client's encryption key.
//
// The hooks are attached at route registration to the routes guarded by requireAuth (onRoute),
// so every API route, present or future, speaks JOSE, and no other route does (415 there).
import { errorCodes } from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { bearerToken, isAuthenticatedRoute } from '../auth/bearer.ts';
import type { BearerIdentity } from '../auth/bearer.ts';
import { AppError } from '../errors.ts';
import { depthCheckedJsonParser } from '../http/body-reading.ts';
import { JOSE_MEDIA_TYPE } from './algorithms.ts';
import type { JoseService, RecipientKey } from './service.ts';

/** A request body that came as `application/jose`, not yet opened. */
class JoseBody {
  constructor(readonly compact: string) {}
}

export interface JoseHttpDeps {
  jose: JoseService;
  /** The request's client from its bearer token (requireAuth.identify). */
  identify: (request: FastifyRequest) => Promise<BearerIdentity>;
}

/** True when the Accept header lists application/jose (with a non-zero q). */
export function acceptsJose(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    return type === JOSE_MEDIA_TYPE && !params.some((p) => /^q=0(\.0{0,3})?$/.test(p));
  });
}

function asArray<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}

/** `application/problem+json; charset=utf-8` → `problem+json` (the JWS `cty`, RFC 7515 §4.1.10). */
function payloadType(contentType: unknown): string {
  const type = String(contentType ?? 'application/json')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  return type.startsWith('application/') ? type.slice('application/'.length) : type;
}

/** Registers the application/jose parser and the hooks; call before the API routes are added. */
export function registerJoseMessages(app: FastifyInstance, { jose, identify }: JoseHttpDeps): void {
  // The key each JOSE exchange answers to, set once the client is known.
  const answerTo = new WeakMap<FastifyRequest, RecipientKey>();
  // The signed JSON is parsed exactly as a plain JSON body is (prototype-poisoning and depth checks included).
  const parseJson = depthCheckedJsonParser(app);
  const jsonOf = (request: FastifyRequest, text: string) =>
    new Promise<unknown>((resolve, reject) => parseJson(request, text, (err, value) => (err ? reject(err) : resolve(value))));

  // Kept as it came: it can only be read once the route is known to take it and its client is known.
  app.addContentTypeParser(JOSE_MEDIA_TYPE, { parseAs: 'string' }, (_request, body, done) => done(null, new JoseBody((body as string).trim())));

  /** The client of a request, for JOSE; undefined when requireAuth will refuse it anyway. */
  async function clientOfJoseRequest(request: FastifyRequest, mustAuthenticate: boolean): Promise<BearerIdentity | undefined> {
    if (mustAuthenticate) return identify(request);
    if (!bearerToken(request)) return undefined;
    return identify(request).catch(() => undefined);
  }

  async function openJoseBody(request: FastifyRequest): Promise<void> {
    const body = request.body;
    const isJose = body instanceof JoseBody;
    const hasPlainBody = !isJose && body !== undefined;
    const wantsJose = isJose || acceptsJose(request.headers.accept);
    if (!wantsJose && !hasPlainBody) return;
    // A JOSE body cannot be read without its client: no token is a 401 now, not a 400 later.
    const identity = await clientOfJoseRequest(request, isJose);
    if (!identity) return;
    if (hasPlainBody && identity.client.requireEncryption) {
      throw new AppError(
        'ENCRYPTION_REQUIRED',
        'Encryption required',
        'This client must send request bodies as application/jose (a JWE of a JWS); plain bodies are refused',
      );
    }
    if (!wantsJose) return;
    const jwks = await jose.keysOf(identity.client.id);
    const recipient = jose.recipientOf(jwks);
    if (!recipient) throw jose.encryptionKeyMissing(identity.client.id);
    answerTo.set(request, recipient);
    if (isJose) request.body = await jsonOf(request, await jose.open(body.compact, jwks));
  }

  async function sealResponse(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const recipient = answerTo.get(request);
    if (!recipient || !(typeof payload === 'string' || Buffer.isBuffer(payload)) || payload.length === 0) return payload;
    const sealed = await jose.seal(payload, payloadType(reply.getHeader('content-type')), recipient);
    void reply.header('content-type', JOSE_MEDIA_TYPE);
    return sealed;
  }

  // Exactly what Fastify answers for a content type without a parser, so each route's error
  // handling applies (a problem on the API, an OAuth error on the token endpoint).
  async function refuseJoseBody(request: FastifyRequest): Promise<void> {
    if (request.body instanceof JoseBody) throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(JOSE_MEDIA_TYPE);
  }

  app.addHook('onRoute', (route: RouteOptions) => {
    const authenticated = isAuthenticatedRoute(route);
    route.preValidation = [...asArray(route.preValidation), authenticated ? openJoseBody : refuseJoseBody];
    if (!authenticated) return;
    route.onSend = [...asArray(route.onSend), sealResponse];
    // Said in /openapi.json too (in place: the docs plugin keeps this same schema object).
    if (route.schema?.body) (route.schema as { consumes?: string[] }).consumes ??= ['application/json', JOSE_MEDIA_TYPE];
  });
}
