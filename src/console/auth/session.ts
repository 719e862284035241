// Who is signed in, for every /console request: the session cookie → request.consoleUser and
// request.csrfToken (the hook is in ./index.ts). Pages ask requireUser() for the user they need.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import type { ConsoleAction, ConsoleUser } from '../user.ts';
import { can } from '../user.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in console user, or null (set for every /console request). */
    consoleUser: ConsoleUser | null;
    /** The session's CSRF token, for forms rendered in this request ('' when signed out). */
    csrfToken: string;
  }
}

/** Where sign-in sends the user back to: a path under /console, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/console(\/|$|\?)/.test(next) || next.includes('//') || next.includes('\\')) return '/console';
  return next;
}

/** The 403 page (a role without the right, or a missing CSRF token). */
export function forbidden(request: FastifyRequest, reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(403)
    .type('text/html; charset=utf-8')
    .send(
      layout({
        title: 'Not allowed',
        user: request.consoleUser,
        csrfToken: request.csrfToken,
        body: html`<h1>Not allowed</h1>
          <p>${message}</p>
          <p><a href="/console">Back to the overview</a></p>`,
      }).toString(),
    );
}

/**
 * The signed-in user allowed to do `action`, or null after answering (a redirect to sign-in when
 * signed out, 403 page when the role does not allow it). Pages: `const user = requireUser(...); if (!user) return reply;`
 */
export function requireUser(request: FastifyRequest, reply: FastifyReply, action: ConsoleAction): ConsoleUser | null {
  const user = request.consoleUser;
  if (!user) {
    const target = `/console/sign-in?next=${encodeURIComponent(safeNext(request.url))}`;
    // htmx follows HX-Redirect with a full page load (a 303 would be swapped into the page).
    if (request.headers['hx-request'] === 'true') void reply.code(401).header('hx-redirect', target).send();
    else void reply.code(303).header('location', target).send();
    return null;
  }
  if (!can(user, action)) {
    void forbidden(request, reply, `Your role (${user.role}) does not allow this page.`);
    return null;
  }
  return user;
}
