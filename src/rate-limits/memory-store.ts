// Counts in this process's memory: the default, and the fallback while Redis is unreachable.
// Bounded: expired windows are swept out, and if the map is still full the oldest counters go
// (forgetting a counter can only let a client through early, never lock one out).
import { decide, windowStart } from './algorithms.ts';
import { windowMs } from './policies.ts';
import type { Algorithm, Decision, Limit, PolicyName, RateLimitStore } from './model.ts';
import type { Clock } from '../clock.ts';

/** A synchronous counter store: one count per key, each key with an expiry time. */
export interface Counters {
  get(key: string, now: number): number;
  add(key: string, n: number, expiresAt: number, now: number): void;
}

/** The key of one window's counter: subject, policy, window and the window's start. */
export function counterKey(subject: string, policy: PolicyName, limit: Limit, start: number): string {
  return `${subject}\u0000${policy}\u0000${limit.window}\u0000${start}`;
}

/**
 * One check over a counter store, with the time passed in: reads the current and previous
 * window of each limit, decides, and counts the request in every window only if all allow (and
 * `count` is true: false only peeks).
 */
export function consumeCounters(
  counters: Counters,
  algorithm: Algorithm,
  policy: PolicyName,
  subject: string,
  limits: readonly Limit[],
  now: number,
  count = true,
): Decision {
  const starts = limits.map((l) => windowStart(now, windowMs(l)));
  const keys = limits.map((l, i) => counterKey(subject, policy, l, starts[i]!));
  const counts = limits.map((l, i) => ({
    current: counters.get(keys[i]!, now),
    previous: algorithm === 'sliding' ? counters.get(counterKey(subject, policy, l, starts[i]! - windowMs(l)), now) : 0,
  }));
  const decision = decide(algorithm, policy, limits, counts, now);
  if (decision.allowed && count) {
    limits.forEach((l, i) => {
      // The sliding algorithm still reads a window during the next one, so it lives twice as long.
      const lifetime = algorithm === 'sliding' ? 2 * windowMs(l) : windowMs(l);
      counters.add(keys[i]!, 1, starts[i]! + lifetime, now);
    });
  }
  return decision;
}

const SWEEP_INTERVAL_MS = 10_000;

/** A Map of counters holding at most `maxEntries`. */
export function createBoundedCounters(maxEntries: number): Counters & { readonly size: number } {
  const entries = new Map<string, { count: number; expiresAt: number }>();
  let nextSweepAt = 0;

  function makeRoom(now: number): void {
    if (now < nextSweepAt && entries.size < maxEntries) return;
    nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [key, e] of entries) if (e.expiresAt <= now) entries.delete(key);
    if (entries.size < maxEntries) return;
    // Still full of live counters: drop the oldest tenth at once, so the next inserts do not
    // each pay for a full sweep. A Map iterates in insertion order, oldest first.
    let excess = entries.size - Math.floor(maxEntries * 0.9);
    for (const key of entries.keys()) {
      if (excess-- <= 0) break;
      entries.delete(key);
    }
  }

  return {
    get size() {
      return entries.size;
    },
    get(key, now) {
      const e = entries.get(key);
      return e !== undefined && e.expiresAt > now ? e.count : 0;
    },
    add(key, n, expiresAt, now) {
      const e = entries.get(key);
      if (e !== undefined && e.expiresAt > now) {
        e.count += n;
        return;
      }
      // Re-inserted rather than updated, so the Map's order stays the order of creation.
      if (e !== undefined) entries.delete(key);
      makeRoom(now);
      entries.set(key, { count: n, expiresAt });
    },
  };
}

export interface MemoryStoreDeps {
  clock: Clock;
  /** Most counters kept at once (default 100,000: a few tens of MB at most). */
  maxEntries?: number;
}

export function createMemoryStore({
  clock,
  maxEntries = 100_000,
}: MemoryStoreDeps): RateLimitStore & { readonly counters: Counters & { readonly size: number } } {
  const counters = createBoundedCounters(maxEntries);
  return {
    counters,
    consume: async (policy, subject, limits, algorithm) => consumeCounters(counters, algorithm, policy, subject, limits, clock()),
    peek: async (policy, subject, limits, algorithm) => consumeCounters(counters, algorithm, policy, subject, limits, clock(), false),
    close: async () => {},
  };
}
