// A payrail in a process of its own, for scenarios that measure it from outside (latency without
// the load generator on the same thread, peak RSS of the server alone). Started by
// server-process.ts with its options as JSON in argv[2]; answers over IPC with where it listens
// and the bench tenant, and stops when told.
import type { StartOptions } from './payrail.ts';
import { startPayrail } from './payrail.ts';

/** What the parent passes. */
export interface ServeOptions extends StartOptions {
  /** Registers a webhook endpoint of the bench client at this URL. */
  webhookUrl?: string;
}

/** What the child answers once it listens. */
export interface ServeReady {
  address: string;
  /** The database it uses (sqlite:PATH or postgres://…). */
  databaseUrl: string;
  clientId: string;
  secret: string;
  token: string;
  accountId: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ServeOptions;
const bench = await startPayrail(options);
if (options.webhookUrl) await bench.payrail.services.webhookEndpoints.create(bench.client, { url: options.webhookUrl });
const ready: ServeReady = {
  address: bench.address,
  databaseUrl: bench.payrail.config.databaseUrl,
  clientId: bench.clientId,
  secret: bench.secret,
  token: bench.token,
  accountId: bench.accountId,
};
process.send!(ready);
process.on('message', async (message) => {
  if (message !== 'stop') return;
  await bench.stop();
  process.exit(0);
});
