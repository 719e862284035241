// STUB (console-core implements): console users and sessions for tests, and Chromium.
import type { Payrail } from '../../src/app.ts';
import type { ConsoleRole, ConsoleUser } from '../../src/console/user.ts';

export interface ConsoleSession {
  user: ConsoleUser;
  /** `Cookie` header value of a signed-in session (TOTP already passed). */
  cookie: string;
  csrfToken: string;
}

/** A user with `role` on `clientIds`, signed in (created directly through the users service). */
export async function consoleSession(payrail: Payrail, o: { role: ConsoleRole; clientIds: string[]; email?: string }): Promise<ConsoleSession> {
  void payrail;
  void o;
  throw new Error('console-core: not built yet');
}
