// The web console at /console (SPEC §11): sign-in and sessions (./auth/), the pages (./pages/).
// It uses the same services as the API, with a signed-in user's clients as the tenant scope.
//
// CONTRACT (session 7, two branches build against it):
// - console-core owns ./auth/ (users, sessions, TOTP, CSRF, lockout, sign-in/out, set-up links),
//   ./layout.ts, ./assets.ts, and test/helpers/console.ts.
// - console-pages owns ./pages/.
// - request.consoleUser is set (or null) for every /console request by the auth hook; pages call
//   requireUser(request, reply, action) from ./auth/session.ts and render with layout().
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import type { Payrail } from '../app.ts';
import { consoleAdminApiRoutes } from './admin/api.ts';
import { registerConsoleAuth } from './auth/index.ts';
import { registerConsolePages } from './pages/index.ts';

export interface ConsoleDeps {
  services: Services;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** Bank endpoints etc., for pages that need more than services. */
  payrail?: () => Payrail;
}

export async function consoleRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  // PUT /v1/approval-policy and GET /v1/audit-log: an admin user's console session (admin/api.ts).
  await consoleAdminApiRoutes(app, deps);
  await app.register(
    async (scope) => {
      await registerConsoleAuth(scope, deps);
      await registerConsolePages(scope, deps);
    },
    { prefix: '/console' },
  );
}
