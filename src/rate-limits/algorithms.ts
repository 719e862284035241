// The two algorithms (seed), as pure functions of the counts and the time. Nothing here reads a
// clock or a store. Arithmetic stays in integer milliseconds and integer products so that the
// seed's 80/20/75 example is exact and the Redis script (redis-script.ts) can mirror it bit for bit.
//
//   fixed:   a counter per window floored to the clock (12:00:03 in a 60 s window counts in the
//            12:00:00 window); allowed while current + 1 <= quota.
//   sliding: used = current + previous × (part of the previous window still covered), i.e.
//            current + previous × (w − elapsed) / w; allowed while used + 1 <= quota, tested as
//            previous × (w − elapsed) <= (quota − 1 − current) × w to stay in integers.
import { windowMs } from './policies.ts';
import type { Algorithm, Decision, Limit, PolicyName, WindowCounts, WindowOutcome } from './model.ts';

/** Start of the window of length `w` ms that `now` falls in. */
export function windowStart(now: number, w: number): number {
  return now - (now % w);
}

/** Whether one more request fits the window. */
export function fits(algorithm: Algorithm, quota: number, w: number, counts: WindowCounts, now: number): boolean {
  if (algorithm === 'fixed') return counts.current + 1 <= quota;
  const elapsed = now - windowStart(now, w);
  return counts.previous * (w - elapsed) <= (quota - 1 - counts.current) * w;
}

/** Requests in the window as the algorithm counts them, times w (an integer). */
function usedTimesW(algorithm: Algorithm, w: number, counts: WindowCounts, now: number): number {
  if (algorithm === 'fixed') return counts.current * w;
  const elapsed = now - windowStart(now, w);
  return counts.current * w + counts.previous * (w - elapsed);
}

/**
 * Milliseconds from `now` until one more request fits, given that it does not fit now. Counts
 * only fall while nothing is counted (refused requests count nothing), so this is exact.
 */
function retryAfterMs(algorithm: Algorithm, quota: number, w: number, counts: WindowCounts, now: number): number {
  const start = windowStart(now, w);
  if (algorithm === 'fixed') return start + w - now;
  const room = quota - 1 - counts.current;
  if (room >= 0) {
    // Still this window (or its very end): the weight of `previous` has to shrink enough.
    const elapsed = Math.ceil((w * (counts.previous - room)) / counts.previous);
    return start + elapsed - now;
  }
  // The current window alone is over quota: wait until, in the next one, its weight has shrunk.
  const elapsedNext = Math.ceil((w * (counts.current - (quota - 1))) / counts.current);
  return start + w + elapsedNext - now;
}

function outcome(algorithm: Algorithm, limit: Limit, counts: WindowCounts, now: number): WindowOutcome {
  const w = windowMs(limit);
  const allowed = fits(algorithm, limit.quota, w, counts, now);
  return {
    limit,
    allowed,
    used: usedTimesW(algorithm, w, counts, now) / w,
    remaining: 0,
    resetMs: windowStart(now, w) + w - now,
    retryAfterMs: allowed ? 0 : retryAfterMs(algorithm, limit.quota, w, counts, now),
  };
}

/**
 * The decision for one request given the counts of each limit (same order as `limits`) before
 * it. Allowed only if every window allows; `remaining` accounts for this request when allowed.
 */
export function decide(algorithm: Algorithm, policy: PolicyName, limits: readonly Limit[], counts: readonly WindowCounts[], now: number): Decision {
  const windows = limits.map((limit, i) => outcome(algorithm, limit, counts[i] ?? { current: 0, previous: 0 }, now));
  const allowed = windows.every((o) => o.allowed);
  for (const [i, o] of windows.entries()) {
    const w = windowMs(o.limit);
    const left = o.limit.quota * w - usedTimesW(algorithm, w, counts[i] ?? { current: 0, previous: 0 }, now) - (allowed ? w : 0);
    o.remaining = Math.max(0, Math.floor(left / w));
  }
  const retryAfter = allowed ? 0 : Math.max(...windows.map((o) => o.retryAfterMs));
  return { policy, allowed, windows, retryAfterMs: retryAfter };
}
