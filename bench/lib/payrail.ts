// A payrail for one scenario: a fresh data folder in the temp dir, listening on 127.0.0.1 (random
// port), with one unlimited client (`payrail`), its sender account and an access token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPayrail } from '../../src/app.ts';
import type { Payrail } from '../../src/app.ts';
import type { Client } from '../../src/clients/service.ts';
import { parseConfig } from '../../src/config.ts';
import { SENDER_ACCOUNT } from './fixtures.ts';

/** The client the benchmarks act as. */
export interface BenchTenant {
  client: Client;
  clientId: string;
  secret: string;
  token: string;
  accountId: string;
}

export interface BenchPayrail extends BenchTenant {
  payrail: Payrail;
  address: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Settings on top of the bench defaults (e.g. DATABASE_URL, PAYRAIL_SANDBOX_ACK_DELAY_MS). */
  env?: Record<string, string>;
  /** Run the background workers (dispatcher, sandbox bank, ack reader, webhooks); default off. */
  workers?: boolean;
}

/** The `payrail` client, unlimited (no rate limit), with a sender account and a token. */
export async function createTenant(payrail: Payrail): Promise<BenchTenant> {
  const { client, secret } = await payrail.services.clients.create({ name: 'payrail', unlimited: true });
  const account = await payrail.services.accounts.create(client.id, SENDER_ACCOUNT);
  const token = await payrail.services.tokens.issue(client, client.scopes);
  return { client, clientId: client.id, secret, token, accountId: account.id };
}

export async function startPayrail({ env = {}, workers = false }: StartOptions = {}): Promise<BenchPayrail> {
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-bench-'));
  const config = parseConfig({
    PAYRAIL_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    PAYRAIL_PUBLIC_URL: 'http://payrail.bench',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const payrail = await createPayrail(config, { startWorkers: workers });
  const address = await payrail.listen();
  const tenant = await createTenant(payrail);
  return {
    ...tenant,
    payrail,
    address,
    dataDir,
    async stop() {
      await payrail.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
