// `payrail serve`: API, workers and sandbox bank in one process, with graceful shutdown.
import { fileURLToPath } from 'node:url';
import { createPayrail } from '../app.ts';
import { warnAboutKeysWrite } from '../clients/cli-view.ts';
import { parseConfig } from '../config.ts';
import type { Config } from '../config.ts';
import { CliError } from './output.ts';

export interface ServeFlags {
  port?: string;
  host?: string;
  publicUrl?: string;
  dataDir?: string;
  databaseUrl?: string;
  redisUrl?: string;
  role?: string;
  logLevel?: string;
  sandboxBank?: string;
  sandboxAckDelayMs?: string;
  sandboxStyle?: string;
  rateLimitAlgorithm?: string;
  webhookRetryBaseMs?: string;
}

const FLAG_ENV: Record<keyof ServeFlags, string> = {
  port: 'PORT',
  host: 'HOST',
  publicUrl: 'PAYRAIL_PUBLIC_URL',
  dataDir: 'PAYRAIL_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  role: 'PAYRAIL_ROLE',
  logLevel: 'LOG_LEVEL',
  sandboxBank: 'PAYRAIL_SANDBOX_BANK',
  sandboxAckDelayMs: 'PAYRAIL_SANDBOX_ACK_DELAY_MS',
  sandboxStyle: 'PAYRAIL_SANDBOX_STYLE',
  rateLimitAlgorithm: 'PAYRAIL_RATE_LIMIT_ALGORITHM',
  webhookRetryBaseMs: 'PAYRAIL_WEBHOOK_RETRY_BASE_MS',
};

const SHUTDOWN_GRACE_MS = 10_000;

/** Why the API could not take its port, as one line (the process then exits 1). */
function listenFailure(err: unknown, { host, port }: Config): Error {
  const code = (err as { code?: unknown }).code;
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE')
    return new CliError(`cannot listen on ${at}: the port is already in use (another payrail?); stop that process or choose another with PORT or --port`);
  if (code === 'EACCES')
    return new CliError(`cannot listen on ${at}: permission denied (a port below 1024 needs privileges); choose another with PORT or --port`);
  if (code === 'EADDRNOTAVAIL') return new CliError(`cannot listen on ${at}: ${host} is not an address of this machine (HOST or --host)`);
  return err instanceof Error ? err : new Error(String(err));
}

export async function serve(flags: ServeFlags): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [flag, name] of Object.entries(FLAG_ENV)) {
    const value = flags[flag as keyof ServeFlags];
    if (value !== undefined) env[name] = value;
  }
  const config = parseConfig(env);
  // The workers (and the webhook delivery child) start once the port is taken: a port in use
  // stops the process before anything else runs.
  const payrail = await createPayrail(config, { startWorkers: false });
  await warnAboutKeysWrite(payrail.services.clients, payrail.logger);
  // A worker-only instance serves no API: it shares the database, not the port.
  if (config.role !== 'worker') {
    try {
      await payrail.listen();
    } catch (err) {
      await payrail.close().catch(() => undefined);
      throw listenFailure(err, config);
    }
  }
  if (config.role !== 'api') payrail.workers.start();
  // Which code runs: the build in dist/, or src/ through tsx (bin/payrail.js chooses).
  const code = fileURLToPath(import.meta.url).includes('/dist/') ? 'dist' : 'src';
  const where = { database: payrail.database.dialect, role: config.role, code };
  if (config.role === 'worker') payrail.logger.info(where, 'payrail workers running (no API in this instance)');
  else
    payrail.logger.info(
      { ...where, api: config.publicUrl, docs: `${config.publicUrl}/docs` },
      `payrail is listening: API ${config.publicUrl}, reference ${config.publicUrl}/docs`,
    );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    payrail.logger.info({ signal }, 'shutting down');
    // In-flight requests get SHUTDOWN_GRACE_MS to finish; after that the process leaves anyway.
    setTimeout(() => {
      payrail.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    payrail.close().then(
      () => process.exit(0),
      (err: unknown) => {
        payrail.logger.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
