// When a failed delivery is tried again (SPEC §6): first after the configured base delay, then
// about five times longer each time (plus up to 20 % jitter, so receivers coming back up are not
// hit by every retry at once; never sooner than the nominal time), never more than 8 hours apart,
// until 3 days after the round's first attempt.
// An endpoint whose attempts have failed for 5 days straight is disabled.

export const RETRY_FACTOR = 5;
export const MAX_RETRY_DELAY_MS = 8 * 3600_000;
export const GIVE_UP_AFTER_MS = 3 * 86_400_000;
export const DISABLE_AFTER_MS = 5 * 86_400_000;
const JITTER = 0.2;

export interface RetryInput {
  /** PAYRAIL_WEBHOOK_RETRY_BASE_MS. */
  baseMs: number;
  /** Failed attempts in this round so far, the one just made included (1 after the first). */
  failures: number;
  /** When this round's first attempt was made. */
  roundStartedAt: number;
  now: number;
  /** Uniform in [0, 1): Math.random, or a fixed value in tests. */
  random: () => number;
}

/** The delay before retry number `failures` (1-based), jittered and capped. */
export function retryDelayMs(baseMs: number, failures: number, random: () => number): number {
  const nominal = baseMs * RETRY_FACTOR ** Math.max(0, failures - 1);
  // Jitter only upwards: no retry comes sooner than PAYRAIL_WEBHOOK_RETRY_BASE_MS × 5^(n-1).
  const jittered = nominal * (1 + JITTER * random());
  return Math.round(Math.min(MAX_RETRY_DELAY_MS, jittered));
}

/**
 * When to try again after a failed attempt, or undefined when the round is over (3 days since
 * its first attempt). The last retry is pulled in to the 3-day mark rather than dropped.
 */
export function nextRetryAt({ baseMs, failures, roundStartedAt, now, random }: RetryInput): number | undefined {
  const deadline = roundStartedAt + GIVE_UP_AFTER_MS;
  if (now >= deadline) return undefined;
  return Math.min(now + retryDelayMs(baseMs, failures, random), deadline);
}

/** True when an endpoint failing since `failingSince` has failed long enough to be disabled. */
export function shouldDisable(failingSince: number, now: number): boolean {
  return now - failingSince >= DISABLE_AFTER_MS;
}
