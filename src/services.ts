// The services over one database: what the HTTP routes and the CLI share.
import type { Clock } from './clock.ts';
import { createConsoleUsers } from './console/auth/users.ts';
import type { Config } from './config.ts';
import { createAccountsService } from './accounts/service.ts';
import { createApprovalPolicies } from './approvals/policies.ts';
import { createApprovalHolds, createApprovalsService } from './approvals/service.ts';
import { createAuditLog } from './audit/log.ts';
import { createKeyStore } from './auth/signing-keys.ts';
import { createTokenService } from './auth/tokens.ts';
import { createClientsService } from './clients/service.ts';
import { createClientAssertionVerifier } from './jose/client-assertions.ts';
import { createReplayStore } from './jose/replay-store.ts';
import { createJoseService } from './jose/service.ts';
import { createBusinessCalendar } from './calendars/business-calendar.ts';
import { createClosuresService } from './calendars/closures.ts';
import { createOutbox } from './events/outbox.ts';
import { createEventsService } from './events/service.ts';
import { createWebhookDeliveriesService } from './webhooks/deliveries-service.ts';
import { createWebhookEndpointsService } from './webhooks/endpoints-service.ts';
import { systemResolver } from './webhooks/resolver.ts';
import type { Resolver } from './webhooks/resolver.ts';
import { createIdempotencyService } from './idempotency/service.ts';
import { createPaymentsService } from './payments/service.ts';
import type { ProfileForAccount } from './payments/service.ts';
import { createBatchesService } from './batches/service.ts';
import { createBankConnectionsStore } from './bank/connections/store.ts';
import { createBankFilesService } from './bank-files/files-service.ts';
import { createPaymentTransitions } from './payments/transitions.ts';
import type { Db } from './store/database.ts';
import { plainTransactions } from './store/group-commit.ts';
import type { Transact } from './store/group-commit.ts';

export interface ServicesDeps {
  db: Db;
  /** How writing requests commit (the database's group commit); default: a transaction each. */
  transact?: Transact;
  clock: Clock;
  config: Config;
  /** Host name resolution for webhook URLs (tests simulate DNS answers with it). */
  webhookResolver?: Resolver;
  /** Tests' seam: the bank profile of an account's payments (default: live — its connection's, from the database; test — generic). */
  profileForAccount?: ProfileForAccount;
}

export function createServices({ db, transact = plainTransactions(db), clock, config, webhookResolver = systemResolver, profileForAccount }: ServicesDeps) {
  const keys = createKeyStore({ db, clock, retiredKeyTtlSeconds: config.accessTokenTtlSeconds + 60, masterKey: config.masterKey });
  // Every event gets its webhook deliveries in its own transaction (the outbox hook).
  const webhookDeliveries = createWebhookDeliveriesService({ db, clock });
  const outbox = createOutbox({ clock, onAppended: [webhookDeliveries.onEventAppended] });
  const clients = createClientsService({ db, clock, outbox });
  // private_key_jwt and JOSE bodies (src/jose); `jose.encryptForClient` is the webhooks' seam.
  const assertions = createClientAssertionVerifier({
    clients,
    replay: createReplayStore({ db, clock }),
    clock,
    issuer: config.publicUrl,
    tokenEndpoint: `${config.publicUrl}/v1.0/auth`,
  });
  const jose = createJoseService({ keys, clients });
  const tokens = createTokenService({
    keys,
    clock,
    issuer: config.publicUrl,
    audience: config.publicUrl,
    ttlSeconds: config.accessTokenTtlSeconds,
  });
  const accounts = createAccountsService({ db, clock });
  const calendar = createBusinessCalendar();
  const closures = createClosuresService({ db, clock, calendar });
  const webhookEndpoints = createWebhookEndpointsService({ db, clock, resolve: webhookResolver });
  const events = createEventsService({ db });
  const idempotency = createIdempotencyService({ db, clock });
  const audit = createAuditLog({ db, clock });
  const approvalPolicies = createApprovalPolicies({ db, clock, audit });
  const holds = createApprovalHolds({ clock, outbox, policies: approvalPolicies, expiryHours: config.approvalExpiryHours });
  // Live banks (BANKS.md §1): a live payment or batch whose sender account's bank has no connection
  // is refused before anything is stored, and checked against that connection's profile. Asked of
  // the database each time: always current, in every role.
  const bankConnections = createBankConnectionsStore({ db, clock, masterKey: config.masterKey });
  // The files sent and received, for operators (the console's bank page).
  const bankFiles = createBankFilesService({ db, dataDir: config.dataDir });
  const connectionFor = (bank: string) => bankConnections.connectionFor(bank);
  const payments = createPaymentsService({ db, transact, clock, accounts, connectionFor, holds, profileForAccount, calendar });
  const batches = createBatchesService({ db, transact, clock, accounts, connectionFor, holds, profileForAccount, calendar });
  const transitions = createPaymentTransitions({ db, clock, outbox });
  const approvals = createApprovalsService({ db, clock, outbox, transitions, batches, calendar, audit, expiryHours: config.approvalExpiryHours });
  const consoleUsers = createConsoleUsers({ db, clock, audit, masterKey: config.masterKey, idleMinutes: config.consoleIdleMinutes });
  return {
    keys,
    bankConnections,
    bankFiles,
    clients,
    assertions,
    jose,
    tokens,
    accounts,
    calendar,
    closures,
    outbox,
    events,
    idempotency,
    payments,
    batches,
    transitions,
    webhookEndpoints,
    webhookDeliveries,
    audit,
    approvalPolicies,
    approvals,
    consoleUsers,
  };
}

export type Services = ReturnType<typeof createServices>;
