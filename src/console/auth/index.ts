// STUB (console-core replaces it): sign-in, sign-out, set-up links, the session hook that sets
// request.consoleUser, CSRF on every state-changing form, lockout.
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../index.ts';

export async function registerConsoleAuth(_app: FastifyInstance, _deps: ConsoleDeps): Promise<void> {}
