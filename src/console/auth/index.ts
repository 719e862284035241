// Signing in to the console (SPEC §11): the session hook that sets request.consoleUser and
// request.csrfToken for every /console request, the CSRF check of every state-changing request,
// the security headers of every console response, the assets, and the sign-in, set-up and
// sign-out routes. Users, sessions and lockout are in ./users.ts.
import formbody from '@fastify/formbody';
import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { registerAdminPages } from '../admin/pages.ts';
import { registerAssets } from '../assets.ts';
import type { ConsoleDeps } from '../index.ts';
import { csrfOk, isStateChanging } from './csrf.ts';
import { forbidden, safeNext } from './session.ts';
import { needsTotp } from './users.ts';
import { setupLinkInvalidPage, setupPage, signInPage } from './views.ts';

export const SESSION_COOKIE = 'payrail_session';
/** Before sign-in: the CSRF token of the sign-in and set-up forms (double-submit). */
export const PRE_SESSION_COOKIE = 'payrail_csrf';

/** Every console response: no inline script or style, no framing, no form posts elsewhere. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

type Form = Record<string, string | undefined>;

function field(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
}

export async function registerConsoleAuth(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const users = deps.services.consoleUsers;
  // Secure cookies when the console is served over https: by its public URL, or this request
  // (through a trusted proxy's X-Forwarded-Proto, PAYRAIL_TRUST_PROXY).
  const secure = (request: FastifyRequest): boolean => deps.config.publicUrl.startsWith('https:') || request.protocol === 'https';
  // Path=/: besides the console's pages, the session is an admin's credential for the two API
  // operations of SPEC §10/§11 (PUT /v1/approval-policy, GET /v1/audit-log, src/console/admin/api.ts);
  // with Path=/console a browser or cookie jar never sent it there. Only those routes read it on /v1.
  const cookie = (request: FastifyRequest, name: string, value: string, maxAgeS?: number): string =>
    `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${secure(request) ? '; Secure' : ''}${maxAgeS === undefined ? '' : `; Max-Age=${maxAgeS}`}`;

  await app.register(formbody, { bodyLimit: 64 * 1024 });
  app.decorateRequest('consoleUser', null);
  app.decorateRequest('csrfToken', '');

  app.addHook('onRequest', async (request, reply) => {
    request.consoleUser = null;
    request.csrfToken = '';
    if (request.url.startsWith('/console/assets/')) return;
    const cookies = parseCookie(request.headers.cookie ?? '');
    const token = cookies[SESSION_COOKIE];
    if (token) {
      const session = await users.session(token);
      if (session) {
        request.consoleUser = session.user;
        request.csrfToken = session.csrfToken;
        return;
      }
    }
    // Signed out: a pre-session token for the sign-in and set-up forms.
    const pre = cookies[PRE_SESSION_COOKIE];
    if (pre && /^[A-Za-z0-9_-]{43}$/.test(pre)) request.csrfToken = pre;
    else {
      request.csrfToken = randomBytes(32).toString('base64url');
      void reply.header('set-cookie', cookie(request, PRE_SESSION_COOKIE, request.csrfToken));
    }
  });

  // After the body is parsed: every state-changing request carries the token of its session (or,
  // signed out, of its pre-session cookie), else the 403 page and nothing happens.
  app.addHook('preHandler', async (request, reply) => {
    if (!isStateChanging(request.method)) return;
    if (!csrfOk(request, request.csrfToken))
      return forbidden(request, reply, 'This form has expired or did not come from this console. Reload the page and try again.');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    // Set-up links carry their token in the path: never sent on as a Referer.
    void reply.header('referrer-policy', 'no-referrer');
    if (!request.url.startsWith('/console/assets/')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  registerAssets(app);

  const page = (reply: FastifyReply, body: string, code = 200) => reply.code(code).type('text/html; charset=utf-8').send(body);

  app.get<{ Querystring: { next?: string; signed_out?: string } }>('/sign-in', async (request, reply) => {
    if (request.consoleUser) return reply.code(303).header('location', safeNext(request.query.next)).send();
    const notice = request.query.signed_out !== undefined ? 'You are signed out.' : undefined;
    return page(reply, signInPage({ csrfToken: request.csrfToken, next: safeNext(request.query.next), notice }));
  });

  app.post<{ Body: Form }>('/sign-in', async (request, reply) => {
    const email = field(request.body, 'email');
    const next = safeNext(field(request.body, 'next'));
    const result = await users.signIn({ email, password: field(request.body, 'password'), code: field(request.body, 'code'), sourceAddress: request.ip });
    if (!result.ok) {
      const error =
        result.reason === 'locked'
          ? 'Too many failed sign-ins: this account is locked for 15 minutes.'
          : 'The email, password or authenticator code is not right.';
      return page(reply, signInPage({ csrfToken: request.csrfToken, next, email, error }), result.reason === 'locked' ? 429 : 401);
    }
    // A new session id at every sign-in (no fixation); the old session, if any, ends.
    const old = parseCookie(request.headers.cookie ?? '')[SESSION_COOKIE];
    if (old) await users.endSession(old, request.ip);
    void reply.header('set-cookie', cookie(request, SESSION_COOKIE, result.token));
    void reply.header('set-cookie', cookie(request, PRE_SESSION_COOKIE, '', 0));
    return reply.code(303).header('location', next).send();
  });

  app.post('/sign-out', async (request, reply) => {
    const token = parseCookie(request.headers.cookie ?? '')[SESSION_COOKIE];
    if (token) await users.endSession(token, request.ip);
    void reply.header('set-cookie', cookie(request, SESSION_COOKIE, '', 0));
    return reply.code(303).header('location', '/console/sign-in?signed_out').send();
  });

  app.get<{ Params: { token: string } }>('/setup/:token', async (request, reply) => {
    const link = await users.setupLinkUser(request.params.token);
    if (!link) return page(reply, setupLinkInvalidPage(request.csrfToken), 404);
    const totp = needsTotp(link.role) ? users.newTotp(link.email) : undefined;
    return page(reply, setupPage({ csrfToken: request.csrfToken, token: request.params.token, email: link.email, totp }));
  });

  app.post<{ Params: { token: string }; Body: Form }>('/setup/:token', async (request, reply) => {
    const link = await users.setupLinkUser(request.params.token);
    if (!link) return page(reply, setupLinkInvalidPage(request.csrfToken), 404);
    const totpSecret = field(request.body, 'totp_secret');
    const error = await users.completeSetup(request.params.token, {
      password: field(request.body, 'password'),
      confirm: field(request.body, 'confirm'),
      totpSecret,
      code: field(request.body, 'code'),
    });
    if (error) {
      // The same secret again, so an authenticator already set up stays valid.
      const totp = needsTotp(link.role)
        ? /^[A-Z2-7]{16,}$/.test(totpSecret)
          ? { secret: totpSecret, uri: users.totpUri(totpSecret, link.email) }
          : users.newTotp(link.email)
        : undefined;
      return page(reply, setupPage({ csrfToken: request.csrfToken, token: request.params.token, email: link.email, totp, error }), 400);
    }
    return page(reply, signInPage({ csrfToken: request.csrfToken, next: '/console', email: link.email, notice: 'Your account is ready: sign in.' }));
  });

  await registerAdminPages(app, deps);
}
