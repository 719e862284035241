// The OpenAPI document (served at /docs/json and /openapi.json) as clients and code generators
// read it (SPEC §12): every schema that has a `title` is a named component referenced with $ref;
// every operation has its operationId (set on the route); public routes say `security: []`; the
// problems an operation can answer (401, 403, 404, 409, 422, 429) are documented from what the
// route is: authenticated, limited, with a path id, taking an Idempotency-Key. Only the document
// changes here: the routes' own validation and serialisation use their schemas as they are
// (request bodies are compiled by routes and by compileFieldValidator, which resolve no $ref).
import { Type } from '@sinclair/typebox';
import type { FastifySchema, RouteOptions } from 'fastify';
import { ProblemSchema } from './schemas.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes an Idempotency-Key header (src/idempotency/http.ts): documented with its 409 and 422. */
    idempotent?: boolean;
  }
}

/** Routes under these prefixes are not part of the API: never in the document. */
const HIDDEN_PREFIXES = ['/console'];

const PROBLEM_ANSWERS: Record<number, string> = {
  400: 'The request is invalid (VALIDATION_FAILED lists every problem with its path, or another 400 code); nothing was changed',
  401: 'UNAUTHENTICATED: no valid access token',
  403: 'The token lacks the scope the operation needs (INSUFFICIENT_SCOPE), or the caller may not do this',
  404: 'NOT_FOUND: no such object among those the caller may see',
  409: 'A conflict: IDEMPOTENCY_KEY_IN_USE (the first request with this key is still running) or the object’s state (see `code`)',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE or ENCRYPTION_REQUIRED',
  422: 'IDEMPOTENCY_KEY_REUSED (the key came with another body) or BANK_NOT_CONNECTED (live mode: no connection serves the account’s bank)',
  429: 'RATE_LIMITED: over a limit of the client; Retry-After says when to try again',
};

const IdempotencyKeyHeader = Type.Object({
  'Idempotency-Key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'Makes the request safe to retry: the same key with the same body replays the first answer (header Idempotent-Replayed: true) and creates nothing',
    }),
  ),
});

function isRateLimited(route: RouteOptions, url: string): boolean {
  // The pre-handler of src/rate-limits/pre-handler.ts; the token endpoint charges in its handler.
  const handlers = [route.preHandler].flat();
  return url === '/v1.0/auth' || handlers.some((h) => typeof h === 'function' && h.name === 'limitRate');
}

function problemAnswer(status: number, schema: unknown): unknown {
  return { description: PROBLEM_ANSWERS[status] ?? 'A problem (RFC 9457)', content: { 'application/problem+json': { schema } } };
}

/**
 * @fastify/swagger's `transform`: hides the console, declares `security: []` on public routes and
 * adds the problems each route can answer. Only the document sees the result.
 */
export function documentRoute({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  if (HIDDEN_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`))) return { schema: { ...schema, hide: true }, url };
  if (!schema || schema.hide) return { schema, url };
  const security = schema.security ?? [];
  const authenticated = security.length > 0;
  const statuses = new Set(Object.keys((schema.response as Record<string, unknown> | undefined) ?? {}).map(Number));
  if (authenticated) statuses.add(401).add(403);
  if (isRateLimited(route, url)) statuses.add(429);
  if (/:[A-Za-z]/.test(url) && authenticated) statuses.add(404);
  if (route.config?.idempotent) statuses.add(409).add(422);
  if (schema.body || schema.querystring || schema.params) statuses.add(400);
  const response: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
  for (const status of statuses) {
    const declared = response[status];
    // A route's own problem answer, or one it can give by what it is: the Problem, as sent.
    if (declared === undefined || declared === ProblemSchema) response[status] = problemAnswer(status, ProblemSchema);
  }
  // Routes that declare no answer (the probes, the discovery documents) answer JSON: said so, without
  // a response schema that would change what they send.
  if (!Object.keys(response).some((s) => s.startsWith('2')))
    response[200] = {
      description: 'OK',
      content: {
        'application/json': { schema: { type: 'object', title: 'JsonDocument', description: 'A JSON object: a probe answer or a discovery document' } },
      },
    };
  const headers = route.config?.idempotent && !schema.headers ? IdempotencyKeyHeader : schema.headers;
  // The bearer token, or the same token as Swagger UI gets it through the client-credentials flow.
  // (Not for an admin user's console session: no client's token opens those.)
  const bearer = security.some((s) => 'bearer' in s);
  const documented = bearer ? [...security, { oauth2: [] }] : security;
  return { schema: { ...schema, security: documented, response, ...(headers ? { headers } : {}) }, url };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys whose values are data, not schemas: never searched for named schemas. */
const DATA_KEYS = new Set(['examples', 'example', 'default', 'enum', 'const']);

/**
 * @fastify/swagger's `transformObject`: every schema with a `title` becomes
 * `components.schemas[title]`, referenced with `$ref` wherever it occurs (nested ones too). Two
 * different schemas under one title are a programming error: the document is not served.
 */
export function nameSchemas(document: Record<string, unknown>): Record<string, unknown> {
  const components = ((document.components ??= {}) as { schemas?: Record<string, Json> }).schemas ?? {};
  const texts = new Map<string, string>(Object.entries(components).map(([name, s]) => [name, JSON.stringify(s)]));

  function walk(node: Json, key?: string): Json {
    if (Array.isArray(node)) return node.map((n) => walk(n));
    if (node === null || typeof node !== 'object' || (key !== undefined && DATA_KEYS.has(key))) return node;
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(node)) out[k] = DATA_KEYS.has(k) ? v : walk(v, k);
    const name = out.title;
    // `properties` maps field names to schemas: a field called "title" is not a schema's name.
    if (typeof name !== 'string' || key === 'properties') return out;
    const text = JSON.stringify(out);
    const known = texts.get(name);
    if (known !== undefined && known !== text) throw new Error(`OpenAPI: two different schemas are titled '${name}'`);
    texts.set(name, text);
    components[name] = out;
    return { $ref: `#/components/schemas/${name}` };
  }

  document.paths = walk(document.paths as Json);
  (document.components as { schemas: Record<string, Json> }).schemas = Object.fromEntries(
    Object.keys(components)
      .sort()
      .map((name) => [name, components[name]!]),
  );
  return document;
}
