// Who a request is counted against. API routes: the client of the access token (set by
// requireAuth, which runs first). The token endpoint, before anyone is authenticated: the client
// id presented (Basic header or `client_id` in the body) when it names a real client, otherwise
// the caller's IP address, so that inventing client ids does not buy fresh budgets. A
// private_key_jwt request presents its client id as the assertion's `sub` when it sends no
// `client_id` (read unverified, like `client_id`: it only decides whose budget is counted).
import type { FastifyRequest } from 'fastify';
import { clientOf } from '../auth/bearer.ts';
import type { Client } from '../clients/service.ts';
import { decodeJwt } from 'jose';
import { isId } from '../ids.ts';
import { parseOverrides } from './policies.ts';
import type { PolicyName, RateLimitOverrides } from './model.ts';

/** A counted caller: the key its counters live under, and its own limits. */
export interface Subject {
  key: string;
  unlimited: boolean;
  overrides: RateLimitOverrides;
}

/** How the limiter looks a presented client up (the clients service's `get`). */
export type FindClient = (id: string) => Promise<Client | undefined>;

function ofClient(client: Client): Subject {
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

/** The client id a token request presents, if any. */
export function presentedClientId(request: FastifyRequest): string | undefined {
  const fromBasic = basicClientId(request.headers.authorization);
  if (fromBasic !== undefined) return fromBasic;
  const body = request.body as Record<string, unknown> | null | undefined;
  if (body === null || typeof body !== 'object') return undefined;
  return typeof body.client_id === 'string' ? body.client_id : assertionSubject(body.client_assertion);
}

async function tokenRequestSubject(request: FastifyRequest, findClient: FindClient): Promise<Subject> {
  const id = presentedClientId(request);
  // Only well-formed ids reach the database; anything else is counted by address.
  const client = id !== undefined && isId('client', id) ? await findClient(id) : undefined;
  if (client) return ofClient(client);
  return { key: `ip:${request.ip}`, unlimited: false, overrides: {} };
}

/** The subject of a request for a policy. */
export async function subjectOf(policy: PolicyName, request: FastifyRequest, findClient: FindClient): Promise<Subject> {
  if (policy === 'authorisation') return tokenRequestSubject(request, findClient);
  return ofClient(clientOf(request));
}
