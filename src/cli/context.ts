// What a CLI command runs against: the same database and services as the server.
import { parseConfig } from '../config.ts';
import type { Config } from '../config.ts';
import { systemClock } from '../clock.ts';
import { createServices } from '../services.ts';
import type { Services } from '../services.ts';
import { openDatabase } from '../store/database.ts';
import type { Database } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';

export interface CliContext {
  config: Config;
  database: Database;
  services: Services;
}

/** Opens the configured database (migrated), runs `fn`, closes it. */
export async function withServices<T>(fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = parseConfig(process.env);
  const database = await openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const services = createServices({ db: database.db, clock: systemClock, config });
    return await fn({ config, database, services });
  } finally {
    await database.close();
  }
}
