// When to try a request again, and how long to wait first.
//
// Retried: no answer (network error, timeout), 429 (after Retry-After), 5xx, and 409
// IDEMPOTENCY_KEY_IN_USE (the first attempt is still running on the server: its answer will be
// replayed once it is done). Never any other 4xx: the same request would fail the same way.
// Creates are safe to retry because every attempt carries the same Idempotency-Key.

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** The first backoff; each later one doubles, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is thrown at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, initialDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (0 for the first retry): the server's Retry-After when it
 * gave one (plus up to 10% so that clients told the same second do not all come back at once),
 * else exponential backoff with jitter (each wait between 75% and 100% of the doubling step).
 * Undefined: do not retry (Retry-After beyond the policy's limit).
 */
export function delayBeforeRetry(retry: number, policy: RetryPolicy, retryAfter: number | undefined, random: () => number = Math.random): number | undefined {
  if (retryAfter !== undefined) {
    if (retryAfter > policy.maxRetryAfterMs) return undefined;
    return Math.ceil(retryAfter * (1 + random() * 0.1));
  }
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
  return Math.round(step * (0.75 + random() * 0.25));
}

/** True when an answer with this status and problem code may succeed if sent again unchanged. */
export function isRetryableAnswer(status: number, code: string | undefined): boolean {
  if (status === 429 || status >= 500) return true;
  return status === 409 && code === 'IDEMPOTENCY_KEY_IN_USE';
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
