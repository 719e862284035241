// Who a request is counted against. API routes and successful token requests: the client (set by
// requireAuth, or just authenticated at the token endpoint). Failed token requests
// (auth-failures.ts): the caller's address and the client id it presented — the Basic header,
// `client_id` in the body, or a private_key_jwt assertion's `sub` (read unverified, like
// `client_id`: it only decides which counter a failure goes to).
import type { FastifyRequest } from 'fastify';
import type { Client } from '../clients/service.ts';
import { decodeJwt } from 'jose';
import { isId } from '../ids.ts';
import { parseOverrides } from './policies.ts';
import type { RateLimitOverrides } from './model.ts';

/** A counted caller: the key its counters live under, and its own limits. */
export interface Subject {
  key: string;
  unlimited: boolean;
  overrides: RateLimitOverrides;
}

/** A client as the limiter counts it. */
export function subjectOf(client: Client): Subject {
  return { key: client.id, unlimited: client.unlimited, overrides: parseOverrides(client.rateLimits) };
}

/** The client id in `Authorization: Basic …` (RFC 6749 §2.3.1), leniently: the route validates. */
function basicClientId(header: string | undefined): string | undefined {
  if (!header || !/^Basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The `sub` of a client assertion, unverified. */
function assertionSubject(assertion: unknown): string | undefined {
  if (typeof assertion !== 'string') return undefined;
  try {
    const { sub } = decodeJwt(assertion);
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The client id a token request presents, if it has the shape of one: anything else is not
 * counted by id (only by address), so made-up strings never become counters.
 */
export function presentedClientId(request: FastifyRequest): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const fromBody =
    body !== null && typeof body === 'object' ? (typeof body.client_id === 'string' ? body.client_id : assertionSubject(body.client_assertion)) : undefined;
  const id = basicClientId(request.headers.authorization) ?? fromBody;
  return id !== undefined && isId('client', id) ? id : undefined;
}
