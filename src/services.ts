// The services over one database: what the HTTP routes and the CLI share.
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createAccountsService } from './accounts/service.ts';
import { createKeyStore } from './auth/signing-keys.ts';
import { createTokenService } from './auth/tokens.ts';
import { createClientsService } from './clients/service.ts';
import { createBusinessCalendar } from './calendars/business-calendar.ts';
import { createOutbox } from './events/outbox.ts';
import { createEventsService } from './events/service.ts';
import { createIdempotencyService } from './idempotency/service.ts';
import { createPaymentsService } from './payments/service.ts';
import { createPaymentTransitions } from './payments/transitions.ts';
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
  const calendar = createBusinessCalendar();
  const outbox = createOutbox({ clock });
  const events = createEventsService({ db });
  const idempotency = createIdempotencyService({ db, clock });
  // No live bank connection exists yet: live-mode payments are refused before anything is stored.
  const payments = createPaymentsService({ db, clock, accounts, liveBankConfigured: false });
  const transitions = createPaymentTransitions({ db, clock, outbox });
  return { keys, clients, tokens, accounts, calendar, outbox, events, idempotency, payments, transitions };
}

export type Services = ReturnType<typeof createServices>;
