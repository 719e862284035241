// The services over one database: what the HTTP routes and the CLI share.
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createAccountsService } from './accounts/service.ts';
import { createKeyStore } from './auth/signing-keys.ts';
import { createTokenService } from './auth/tokens.ts';
import { createClientsService } from './clients/service.ts';
import type { Db } from './store/database.ts';

export interface ServicesDeps {
  db: Db;
  clock: Clock;
  config: Config;
}

export function createServices({ db, clock, config }: ServicesDeps) {
  const keys = createKeyStore({ db, clock, retiredKeyTtlSeconds: config.accessTokenTtlSeconds + 60 });
  const clients = createClientsService({ db, clock });
  const tokens = createTokenService({
    keys,
    clock,
    issuer: config.publicUrl,
    audience: config.publicUrl,
    ttlSeconds: config.accessTokenTtlSeconds,
  });
  const accounts = createAccountsService({ db, clock });
  return { keys, clients, tokens, accounts };
}

export type Services = ReturnType<typeof createServices>;
