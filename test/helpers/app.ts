// Builders for tests: a payrail on a fresh database, clients, tokens, authenticated requests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createPayrail } from '../../src/app.ts';
import type { Payrail, PayrailOptions } from '../../src/app.ts';
import type { Scope } from '../../src/auth/scopes.ts';
import type { Clock } from '../../src/clock.ts';
import { parseConfig } from '../../src/config.ts';
import { MAX_QUOTA } from '../../src/rate-limits/policies.ts';
import type { TestDatabase } from './databases.ts';

export const PUBLIC_URL = 'http://payrail.test';

export interface TestApp {
  payrail: Payrail;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /**
   * Creates a client; returns its id and secret. Unlimited unless `unlimited: false`: tests fire
   * requests faster than the seed's 2 per second; rate-limit tests ask for limited clients.
   */
  createClient(options?: {
    scopes?: Scope[];
    mode?: 'test' | 'live';
    unlimited?: boolean;
    organisation?: string;
  }): Promise<{ clientId: string; secret: string }>;
  /** A client and an access token for it. */
  authed(options?: {
    scopes?: Scope[];
    unlimited?: boolean;
    mode?: 'test' | 'live';
    organisation?: string;
  }): Promise<{ clientId: string; secret: string; token: string; headers: Record<string, string> }>;
  /** Opens an account for the client whose `headers` are given (by default SGD at DBS Singapore); returns its id. */
  createAccount(headers: Record<string, string>, payload?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** The account most tests pay from: SGD at DBS Singapore. */
export const SG_ACCOUNT = { name: 'SG', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] };

/** Failure limits no test reaches: tests of other things send wrong credentials freely. */
const LIFTED_AUTH_FAILURE_LIMITS = { address: [{ window: 'second', quota: MAX_QUOTA }], client: [{ window: 'second', quota: MAX_QUOTA }] } as const;

export async function startTestApp(
  db: TestDatabase,
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    workers?: boolean;
    webhooks?: PayrailOptions['webhooks'];
    logger?: PayrailOptions['logger'];
    limitAuthFailures?: boolean;
    bankPollIntervalMs?: number;
    profileForAccount?: PayrailOptions['profileForAccount'];
  } = {},
): Promise<TestApp> {
  const config = parseConfig({
    PAYRAIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'payrail-data-')),
    DATABASE_URL: db.url,
    PAYRAIL_PUBLIC_URL: PUBLIC_URL,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  // Workers are off unless asked for: tests drive them with payrail.workers.tick().
  // Failed authentications are limited only where a test asks (limitAuthFailures: true).
  const authFailureLimits = options.limitAuthFailures ? undefined : LIFTED_AUTH_FAILURE_LIMITS;
  const payrail = await createPayrail(config, {
    clock: options.clock,
    startWorkers: options.workers ?? false,
    webhooks: options.webhooks,
    logger: options.logger,
    authFailureLimits,
    bankPollIntervalMs: options.bankPollIntervalMs,
    profileForAccount: options.profileForAccount,
  });
  const inject = (o: InjectOptions) => payrail.http.inject(o) as unknown as Promise<LightMyRequestResponse>;
  async function createClient(o: { scopes?: Scope[]; mode?: 'test' | 'live'; unlimited?: boolean; organisation?: string } = {}) {
    const { client, secret } = await payrail.services.clients.create({
      name: 'test client',
      mode: o.mode,
      scopes: o.scopes,
      unlimited: o.unlimited ?? true,
      organisation: o.organisation,
    });
    return { clientId: client.id, secret };
  }
  return {
    payrail,
    inject,
    createClient,
    async authed(o = {}) {
      const { clientId, secret } = await createClient(o);
      const res = await inject({
        method: 'POST',
        url: '/v1.0/auth',
        payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
      });
      if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
      const token = (res.json() as { access_token: string }).access_token;
      return { clientId, secret, token, headers: { authorization: `Bearer ${token}` } };
    },
    async createAccount(headers, payload = SG_ACCOUNT) {
      const res = await inject({ method: 'POST', url: '/v1/accounts', headers, payload });
      if (res.statusCode !== 201) throw new Error(`account creation failed: ${res.statusCode} ${res.body}`);
      return (res.json() as { id: string }).id;
    },
    close: () => payrail.close(),
  };
}
