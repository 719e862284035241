// The composition root: one place that opens the database, builds the services and wires the
// HTTP app. `payrail serve` and the tests both start payrail through createPayrail().
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { accountRoutes } from './accounts/routes.ts';
import { createBearerAuth } from './auth/bearer.ts';
import { tokenRoute } from './auth/token-route.ts';
import { wellKnownRoutes } from './auth/well-known-routes.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { healthRoutes } from './http/health-routes.ts';
import { createMetrics } from './http/metrics.ts';
import { createHttpServer } from './http/server.ts';
import { createLogger } from './logger.ts';
import { createServices } from './services.ts';
import type { Services } from './services.ts';
import { openDatabase } from './store/database.ts';
import type { Database } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';

export interface Payrail {
  config: Config;
  database: Database;
  services: Services;
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
}

export async function createPayrail(config: Config, options: PayrailOptions = {}): Promise<Payrail> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const services = createServices({ db: database.db, clock, config });
    await services.keys.init();
    const requireAuth = createBearerAuth({ tokens: services.tokens, clients: services.clients });
    const http = await createHttpServer({
      logger,
      bodyLimitBytes: config.bodyLimitBytes,
      publicUrl: config.publicUrl,
      metrics: createMetrics(),
      routes: async (app) => {
        await healthRoutes(app, { db: database.db });
        await wellKnownRoutes(app, { keys: services.keys, issuer: config.publicUrl });
        await tokenRoute(app, { clients: services.clients, tokens: services.tokens });
        await accountRoutes(app, { accounts: services.accounts, requireAuth });
      },
    });
    await http.ready();
    let closed: Promise<void> | undefined;
    return {
      config,
      database,
      services,
      http,
      logger,
      listen: () => http.listen({ port: config.port, host: config.host }),
      close: () =>
        (closed ??= (async () => {
          await http.close();
          await database.close();
        })()),
    };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}
