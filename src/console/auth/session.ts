// STUB (console-core replaces the bodies, keeps the signatures).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleAction, ConsoleUser } from '../user.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in console user, or null (set for every /console request). */
    consoleUser: ConsoleUser | null;
    /** The session's CSRF token, for forms rendered in this request ('' when signed out). */
    csrfToken: string;
  }
}

/**
 * The signed-in user allowed to do `action`, or null after answering (a redirect to sign-in when
 * signed out, 403 page when the role does not allow it). Pages: `const user = requireUser(...); if (!user) return reply;`
 */
export function requireUser(request: FastifyRequest, reply: FastifyReply, action: ConsoleAction): ConsoleUser | null {
  void request;
  void reply;
  void action;
  throw new Error('console-core: not built yet');
}
