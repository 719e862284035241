// CSRF: the synchronizer token pattern. Each session has a random token (console_sessions.csrf_token);
// every page puts it in its forms (`_csrf`) and in `hx-headers` (X-CSRF-Token) for htmx; every
// POST, PUT, PATCH and DELETE under /console must carry it, compared in constant time, or gets the
// 403 page. Before sign-in (the sign-in and set-up forms) the token is a random value in its own
// cookie (HttpOnly, SameSite=Strict), the double-submit form of the same check.
//
// Why not @fastify/csrf-protection: it needs @fastify/cookie or a session plugin and signs tokens
// with a secret of its own; our session row already holds a per-session secret, and the check is
// a few lines whose every branch is visible and tested here.
import type { FastifyRequest } from 'fastify';
import { sameSecret } from './users.ts';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isStateChanging(method: string): boolean {
  return UNSAFE.has(method);
}

/** The token a request presents: the X-CSRF-Token header, else the form's `_csrf` field. */
export function presentedToken(request: FastifyRequest): string {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const body = request.body as Record<string, unknown> | null | undefined;
  const field = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
  if (typeof field === 'string') return field;
  // @fastify/multipart with attachFieldsToBody: a field is `{ value }`.
  const value = field && typeof field === 'object' ? (field as { value?: unknown }).value : undefined;
  return typeof value === 'string' ? value : '';
}

/** True when the request carries the expected token. An empty expected token never matches. */
export function csrfOk(request: FastifyRequest, expected: string): boolean {
  const presented = presentedToken(request);
  return expected !== '' && presented !== '' && sameSecret(presented, expected);
}
