// The composition root: one place that opens the database, builds the services and wires the
// HTTP app, and the bank side: the sandbox (its exchange, its API transport and, when it runs in
// this process, its file side) and the live bank connections' endpoints. `payrail serve` and the
// tests both start payrail through createPayrail().
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { accountRoutes } from './accounts/routes.ts';
import { authenticateOnRequest, createBearerAuth } from './auth/bearer.ts';
import { tokenRoute } from './auth/token-route.ts';
import { wellKnownRoutes } from './auth/well-known-routes.ts';
import { registerJoseMessages } from './jose/http.ts';
import { clientKeysRoutes } from './jose/routes.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { ProfileForAccount } from './payments/service.ts';
import type { Config } from './config.ts';
import { healthRoutes } from './http/health-routes.ts';
import { createMetrics } from './http/metrics.ts';
import { createApiActivity } from './http/api-activity.ts';
import { createHttpServer } from './http/server.ts';
import { createLogger } from './logger.ts';
import { createRateLimits } from './rate-limits/service.ts';
import type { AuthFailureLimits } from './rate-limits/auth-failures.ts';
import type { RateLimits } from './rate-limits/service.ts';
import { eventRoutes } from './events/routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import type { WebhookOptions } from './webhooks/options.ts';
import { createIdempotentRunner } from './idempotency/http.ts';
import { hkPaymentRoutes } from './payments/hk-routes.ts';
import { batchRoutes } from './batches/routes.ts';
import { approvalRoutes } from './approvals/routes.ts';
import { consoleRoutes } from './console/index.ts';
import { paymentRoutes } from './payments/routes.ts';
import { createWorkers } from './workers/index.ts';
import { createWakeup } from './workers/wake.ts';
import { openSandboxExchange } from './bank/setup.ts';
import { registerBankMetrics } from './bank/connections/metrics.ts';
import { createBankEndpointRegistry } from './bank/connections/registry.ts';
import type { BankEndpointRegistry } from './bank/connections/registry.ts';
import type { BankConnectionsStore } from './bank/connections/store.ts';
import { openConnectionTransport } from './bank/connections/transport.ts';
import { createSandboxApiTransport } from './sandbox-bank/api-transport.ts';
import { createSandboxFileBank } from './sandbox-bank/file-bank.ts';
import { openSandboxBankFolders } from './sandbox-bank/folders.ts';
import { join } from 'node:path';
import type { Workers } from './workers/index.ts';
import { createServices } from './services.ts';
import type { Services } from './services.ts';
import { openDatabase } from './store/database.ts';
import type { Database } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';

export interface Payrail {
  config: Config;
  database: Database;
  services: Services;
  rateLimits: RateLimits;
  workers: Workers;
  /** Where bank files go: the sandbox and the live bank connections. */
  endpoints: BankEndpointRegistry;
  http: FastifyInstance;
  logger: Logger;
  /** Starts listening on config.host:config.port; resolves to the bound address. */
  listen(): Promise<string>;
  /** Stops accepting, finishes in-flight requests, stops workers, closes the database. */
  close(): Promise<void>;
}

export interface PayrailOptions {
  clock?: Clock;
  logger?: Logger;
  /** Run the background workers (default: unless PAYRAIL_ROLE=api). Tests pass false and tick by hand. */
  startWorkers?: boolean;
  /** Webhook delivery seams: timeout, DNS resolver, jitter (tests set them). */
  webhooks?: WebhookOptions;
  /** Failed-authentication limits at the token endpoint (tests that send many failures lift them). */
  authFailureLimits?: AuthFailureLimits;
  /** How often a live bank connection's inbox is read when idle (default 10 s; tests shorten it). */
  bankPollIntervalMs?: number;
  /** Tests' seam: the bank profile of an account's payments for the creation checks (default: live — its connection's, from the database; test — generic). */
  profileForAccount?: ProfileForAccount;
}

export async function createPayrail(config: Config, options: PayrailOptions = {}): Promise<Payrail> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config.databaseUrl);
  let rateLimits: RateLimits | undefined;
  try {
    await migrateToLatest(database.db);
    // A live account's payments are checked against its bank connection's profile, read from the
    // database at creation (src/payments/service.ts creationProfile); test mode: generic.
    const services = createServices({
      db: database.db,
      transact: database.transact,
      clock,
      config,
      webhookResolver: options.webhooks?.resolve,
      profileForAccount: options.profileForAccount,
    });
    await services.keys.init();
    await services.closures.refresh();
    const requireAuth = createBearerAuth({ tokens: services.tokens, clients: services.clients });
    const metrics = createMetrics();
    const bankMetrics = registerBankMetrics(metrics.registry, () => services.bankConnections.list());
    const limits = await createRateLimits({
      algorithm: config.rateLimitAlgorithm,
      redisUrl: config.redisUrl,
      keyPrefix: config.rateLimitKeyPrefix,
      clock,
      logger,
      authFailureLimits: options.authFailureLimits,
      registry: metrics.registry,
    });
    rateLimits = limits; // closed by the catch below if start-up fails later
    const { rateLimit, authFailures } = limits;
    const apiActivity = createApiActivity();
    // Idle workers of this process wake when a request changed something (src/workers/wake.ts).
    const wakeup = createWakeup();
    const http = await createHttpServer({
      logger,
      activity: apiActivity,
      bodyLimitBytes: config.bodyLimitBytes,
      trustProxy: config.trustProxy,
      publicUrl: config.publicUrl,
      metrics,
      routes: async (app) => {
        // A request that changed something (a payment, a batch, an approval…) has committed it by
        // now: the workers look at once instead of at their next poll. On the next turn of the
        // event loop, not inside the hook: woken there, `payrail serve` took over 10 s to stop
        // after the README walk-through (test/server/serve.test.ts; the cause is not understood).
        // A new test-mode single payment concerns only the single-payment worker and webhooks (workers/wake.ts).
        app.addHook('onResponse', async (request, reply) => {
          if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 300) return;
          const topic = request.routeOptions.url === '/v1/payments' && request.client?.mode === 'test' ? 'test-single-payment' : undefined;
          setImmediate(() => wakeup.wake(topic));
        });
        // First: it hooks every API route registered after it (application/jose bodies and answers).
        authenticateOnRequest(app);
        registerJoseMessages(app, { jose: services.jose, identify: requireAuth.identify });
        await healthRoutes(app, { db: database.db, readinessChecks: limits.readinessChecks, banks: () => bankStates(services.bankConnections) });
        await wellKnownRoutes(app, { keys: services.keys, issuer: config.publicUrl });
        await tokenRoute(app, { clients: services.clients, tokens: services.tokens, rateLimit, authFailures, assertions: services.assertions });
        await clientKeysRoutes(app, { clients: services.clients, requireAuth, rateLimit });
        const idempotent = createIdempotentRunner(services.idempotency);
        await accountRoutes(app, { accounts: services.accounts, requireAuth, rateLimit, idempotent });
        await paymentRoutes(app, { payments: services.payments, requireAuth, rateLimit, idempotent });
        await hkPaymentRoutes(app, { payments: services.payments, batches: services.batches, clock, requireAuth, rateLimit, idempotent });
        await batchRoutes(app, { batches: services.batches, requireAuth, rateLimit, idempotent });
        await approvalRoutes(app, { approvals: services.approvals, requireAuth, rateLimit });
        await eventRoutes(app, { events: services.events, requireAuth, rateLimit });
        await webhookRoutes(app, { endpoints: services.webhookEndpoints, deliveries: services.webhookDeliveries, requireAuth, rateLimit, idempotent });
        await consoleRoutes(app, { services, config, clock, logger });
      },
    });
    await http.ready();
    // The sandbox (test mode): payrail's side of its exchange, its API, and its bank side when it runs here.
    const sandboxExchange = await openSandboxExchange(config);
    const sandboxFolders = config.sandboxBank ? await openSandboxBankFolders(config) : undefined;
    const sandboxFiles =
      sandboxFolders &&
      createSandboxFileBank({
        folders: sandboxFolders,
        clock,
        ackDelayMs: config.sandboxAckDelayMs,
        calendar: services.calendar,
        logger,
        style: config.sandboxStyle,
      });
    const sandboxApi = createSandboxApiTransport({
      db: database.db,
      clock,
      ackDelayMs: config.sandboxAckDelayMs,
      calendar: services.calendar,
      transact: database.transact,
    });
    // Live banks: one endpoint per connection, read again every half minute and after our own changes.
    const endpoints = createBankEndpointRegistry({
      store: services.bankConnections,
      sandbox: sandboxExchange.endpoint,
      archiveRoot: join(config.dataDir, 'bank', 'archive'),
      logger,
      clock,
      openTransport: (connection) => openConnectionTransport(connection, { db: database.db, masterKey: config.masterKey, logger }),
    });
    services.bankConnections.onChange(() => void endpoints.refresh().catch((err: unknown) => logger.error({ err }, 'reading the bank connections failed')));
    await endpoints.refresh();
    const workers = createWorkers({
      db: database.db,
      dialect: database.dialect,
      clock,
      config,
      logger,
      services,
      endpoints,
      sandbox: { api: sandboxApi, ...(sandboxFiles && { filesTick: sandboxFiles.tick }) },
      bankMetrics,
      bankPollIntervalMs: options.bankPollIntervalMs,
      webhooks: options.webhooks,
      apiActivity,
      wakeup,
      transact: database.transact,
    });
    if (options.startWorkers ?? config.role !== 'api') workers.start();
    let closed: Promise<void> | undefined;
    return {
      config,
      database,
      services,
      rateLimits: limits,
      workers,
      endpoints,
      http,
      logger,
      listen: () => http.listen({ port: config.port, host: config.host }),
      close: () =>
        (closed ??= (async () => {
          await http.close();
          await workers.stop();
          await endpoints.close();
          await sandboxExchange.close();
          await sandboxFolders?.close();
          await limits.close();
          await database.close();
        })()),
    };
  } catch (err) {
    await rateLimits?.close().catch(() => {});
    await database.close().catch(() => {});
    throw err;
  }
}

/** Each bank connection's state for /readyz: reported, never what decides readiness. */
async function bankStates(connections: BankConnectionsStore): Promise<Record<string, unknown>> {
  const states: Record<string, unknown> = {};
  for (const c of await connections.list()) {
    const { status, lastPollAt, lastError, lastErrorAt, filesAwaitingAck1, filesOverdue, filesNotUploaded } = c.state;
    states[c.id] = { status, lastPollAt, lastError, lastErrorAt, filesAwaitingAck1, filesOverdue, filesNotUploaded };
  }
  return states;
}
