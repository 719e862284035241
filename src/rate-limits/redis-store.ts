// Counts in Redis, shared by every instance: one EVALSHA per check (ioredis falls back to EVAL
// when Redis lost its script cache, e.g. after a restart).
import { Redis } from 'ioredis';
import { decide } from './algorithms.ts';
import { windowMs } from './policies.ts';
import { RATE_LIMIT_SCRIPT } from './redis-script.ts';
import type { Algorithm, Decision, Limit, PolicyName, RateLimitStore, WindowCounts } from './model.ts';

const COMMAND = 'payrailRateLimit';

type ScriptCall = (numKeys: number, ...keysAndArgs: (string | number)[]) => Promise<number[]>;

/**
 * A client for rate limiting: short timeouts and no offline queue, so that a check never waits
 * on an unreachable Redis (it fails at once and the caller counts in memory), and reconnection
 * attempts forever in the background.
 */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, {
    connectTimeout: 1000,
    commandTimeout: 250,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
  });
}

/** The key of one limit's hash; `{subject}` is the Redis Cluster hash tag. */
export function redisKey(prefix: string, subject: string, policy: PolicyName, limit: Limit): string {
  return `${prefix}{${subject}}:${policy}:${limit.window}`;
}

export interface RedisStoreDeps {
  redis: Redis;
  /** Prepended to every key, so several deployments (or test runs) can share one Redis. */
  keyPrefix: string;
  /** Tests only: a clock to use instead of Redis TIME (replaying the seed's example). */
  testClock?: () => number;
}

export function createRedisStore({ redis, keyPrefix, testClock }: RedisStoreDeps): RateLimitStore {
  redis.defineCommand(COMMAND, { lua: RATE_LIMIT_SCRIPT });
  const run = (redis as unknown as Record<typeof COMMAND, ScriptCall>)[COMMAND].bind(redis);

  async function check(policy: PolicyName, subject: string, limits: readonly Limit[], algorithm: Algorithm, count: boolean): Promise<Decision> {
    const keys = limits.map((l) => redisKey(keyPrefix, subject, policy, l));
    const args = [algorithm, testClock ? String(testClock()) : '', count ? '1' : '0', ...limits.flatMap((l) => [windowMs(l), l.quota])];
    const reply = await run(keys.length, ...keys, ...args);
    const now = Number(reply[1]);
    const counts: WindowCounts[] = limits.map((_, i) => ({ current: Number(reply[2 + 2 * i]), previous: Number(reply[3 + 2 * i]) }));
    const decision = decide(algorithm, policy, limits, counts, now);
    // The script and `decide` apply the same rule; if they ever disagree, the script (which did
    // or did not count the request) is the truth and this is a bug to surface.
    if (decision.allowed !== (reply[0] === 1)) throw new Error('rate-limit script and algorithm disagree');
    return decision;
  }

  return {
    consume: (policy, subject, limits, algorithm) => check(policy, subject, limits, algorithm, true),
    peek: (policy, subject, limits, algorithm) => check(policy, subject, limits, algorithm, false),
    close: async () => {},
  };
}
