// Rate limiting as the app uses it: the store chosen by the configuration (memory, or Redis with
// a memory fallback when REDIS_URL is set), the `rateLimit(policy)` pre-handler factory, its
// metrics and its /readyz detail. Built once by the composition root.
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import { createFailoverStore } from './failover-store.ts';
import type { FailoverStore } from './failover-store.ts';
import { createMemoryStore } from './memory-store.ts';
import { createRateLimitPreHandler } from './pre-handler.ts';
import type { RateLimit } from './pre-handler.ts';
import { createRedisConnection, createRedisStore } from './redis-store.ts';
import { createAuthFailures } from './auth-failures.ts';
import type { AuthFailureLimits, AuthFailures } from './auth-failures.ts';
import type { Algorithm, Decision, RateLimitStore } from './model.ts';

/** How long a starting instance waits for Redis before it starts counting in memory. */
const FIRST_CONNECT_TIMEOUT_MS = 2000;

export interface RateLimitsDeps {
  algorithm: Algorithm;
  redisUrl: string | undefined;
  keyPrefix: string;
  clock: Clock;
  logger: Logger;
  /** Failure limits at the token endpoint; default AUTH_FAILURE_LIMITS (tests lift them). */
  authFailureLimits?: AuthFailureLimits;
  /** The app's metrics registry. */
  registry: Registry;
}

export interface RateLimits {
  rateLimit: RateLimit;
  /** Failed authentications at the token endpoint, limited per address and per client id. */
  authFailures: AuthFailures;
  store: RateLimitStore;
  /** /readyz detail: `redis` (true when counts are shared), present only when Redis is configured. */
  readinessChecks: Record<string, () => Promise<boolean>>;
  close(): Promise<void>;
}

async function createStore(deps: RateLimitsDeps): Promise<RateLimitStore | FailoverStore> {
  const memory = createMemoryStore({ clock: deps.clock });
  if (!deps.redisUrl) return memory;
  const redis = createRedisConnection(deps.redisUrl);
  const primary = createRedisStore({ redis, keyPrefix: deps.keyPrefix });
  const store = createFailoverStore({ redis, primary, fallback: memory, logger: deps.logger, clock: deps.clock });
  await store.connected(FIRST_CONNECT_TIMEOUT_MS);
  return store;
}

function registerMetrics(registry: Registry, store: RateLimitStore | FailoverStore) {
  const degraded = 'isDegraded' in store ? () => store.isDegraded() : () => false;
  new Gauge({
    name: 'payrail_rate_limit_fallback',
    help: '1 while Redis is configured but unreachable and rate limits are counted in memory per instance',
    registers: [registry],
    collect() {
      this.set(degraded() ? 1 : 0);
    },
  });
  return new Counter({
    name: 'payrail_rate_limit_decisions_total',
    help: 'Rate-limit checks by policy and outcome',
    labelNames: ['policy', 'outcome'],
    registers: [registry],
  });
}

export async function createRateLimits(deps: RateLimitsDeps): Promise<RateLimits> {
  const store = await createStore(deps);
  const decisions = registerMetrics(deps.registry, store);
  const onDecision = (d: Decision) => decisions.inc({ policy: d.policy, outcome: d.allowed ? 'allowed' : 'refused' });
  const rateLimit = createRateLimitPreHandler({ store, algorithm: deps.algorithm, onDecision });
  const authFailures = createAuthFailures({ store, algorithm: deps.algorithm, onDecision, limits: deps.authFailureLimits });
  const readinessChecks: RateLimits['readinessChecks'] = 'probe' in store ? { redis: () => store.probe() } : {};
  return { rateLimit, authFailures, store, readinessChecks, close: () => store.close() };
}
