// Redis when it answers, memory when it does not. Rate limiting protects payrail; it must never
// be the reason payrail stops answering. While Redis is unreachable each instance counts on its
// own (so a client's budget is per instance meanwhile), which is logged once, shown as a gauge in
// /metrics and as `redis: false` in /readyz; when Redis is back, counts are shared again.
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Decision, RateLimitStore } from './model.ts';

/** After a failed command, checks stay in memory this long before Redis is tried again. */
const RETRY_AFTER_FAILURE_MS = 1000;

export interface FailoverStoreDeps {
  redis: Redis;
  primary: RateLimitStore;
  fallback: RateLimitStore;
  logger: Logger;
  clock: Clock;
}

export interface FailoverStore extends RateLimitStore {
  /** True while checks are counted in memory because Redis is unreachable. */
  isDegraded(): boolean;
  /** For /readyz: true when Redis answers (pings it if the last check could not use it). */
  probe(): Promise<boolean>;
  /** Waits (at most `timeoutMs`) for the first connection, so a fresh instance starts shared. */
  connected(timeoutMs: number): Promise<boolean>;
}

export function createFailoverStore({ redis, primary, fallback, logger, clock }: FailoverStoreDeps): FailoverStore {
  let degraded = false;
  let failedAt = -Infinity;
  let closing = false;

  // Logged on each change only, not per request or per reconnection attempt.
  function setDegraded(value: boolean, err?: unknown): void {
    if (value === degraded || closing) return;
    degraded = value;
    if (value) logger.warn({ err }, 'rate limits: Redis is unreachable; counting in memory per instance until it is back');
    else logger.info('rate limits: Redis is reachable again; counts are shared');
  }

  redis.on('ready', () => {
    failedAt = -Infinity;
    setDegraded(false);
  });
  redis.on('close', () => setDegraded(true));
  // Without a listener ioredis reports every failed reconnection as an unhandled error.
  redis.on('error', (err: Error) => setDegraded(true, err));

  const usable = () => redis.status === 'ready' && clock() - failedAt >= RETRY_AFTER_FAILURE_MS;

  /** Runs `call` on Redis when it is usable, else (or if it fails) on the memory store. */
  async function either(call: (store: RateLimitStore) => Promise<Decision>): Promise<Decision> {
    if (!usable()) {
      setDegraded(true);
      return call(fallback);
    }
    try {
      const decision = await call(primary);
      setDegraded(false);
      return decision;
    } catch (err) {
      failedAt = clock();
      setDegraded(true, err);
      return call(fallback);
    }
  }

  return {
    isDegraded: () => degraded,
    consume: (policy, subject, limits, algorithm) => either((store) => store.consume(policy, subject, limits, algorithm)),
    peek: (policy, subject, limits, algorithm) => either((store) => store.peek(policy, subject, limits, algorithm)),
    async probe() {
      if (!degraded) return true;
      if (redis.status !== 'ready') return false;
      try {
        await redis.ping();
        failedAt = -Infinity;
        setDegraded(false);
        return true;
      } catch {
        return false;
      }
    },
    async connected(timeoutMs) {
      if (redis.status === 'ready') return true;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      try {
        // Rejects on the first connection error too: no point waiting out the timeout then.
        await once(redis, 'ready', { signal: abort.signal });
        return true;
      } catch {
        setDegraded(true);
        return false;
      } finally {
        clearTimeout(timer);
        abort.abort();
      }
    },
    async close() {
      closing = true;
      redis.disconnect();
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}
