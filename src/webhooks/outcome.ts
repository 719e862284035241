// What one attempt does to its delivery: delivered on a 2xx; otherwise the next retry is scheduled
// (backoff.ts) or, 3 days after the round's first attempt, the delivery has failed. And what it
// does to its endpoint: a failure starts or extends the failing streak, a success ends it, and a
// streak of 5 days disables the endpoint. Pure.
import { isoAt } from '../clock.ts';
import type { WebhookDeliveryRow } from '../store/schema.ts';
import type { EndpointChange } from './attempt-log.ts';
import { nextRetryAt, shouldDisable } from './backoff.ts';
import type { SendResult } from './sender.ts';

export type DeliveryChanges = Pick<WebhookDeliveryRow, 'status' | 'next_attempt_at' | 'round_started_at' | 'round_attempts' | 'attempt_count' | 'updated_at'>;

export interface RetryPolicy {
  baseMs: number;
  random: () => number;
}

export function isSuccess(result: SendResult): boolean {
  return result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
}

/** The delivery's new state after an attempt made at `attemptedAt` came to `result`. */
export function outcomeOf(row: WebhookDeliveryRow, result: SendResult, attemptedAt: number, retry: RetryPolicy): DeliveryChanges {
  const at = isoAt(attemptedAt);
  const roundStartedAt = row.round_started_at ?? at;
  const roundAttempts = row.round_attempts + 1;
  const common = {
    round_started_at: roundStartedAt,
    round_attempts: roundAttempts,
    attempt_count: row.attempt_count + 1,
    updated_at: at,
  };
  if (isSuccess(result)) return { ...common, status: 'delivered', next_attempt_at: null };
  const next = nextRetryAt({
    baseMs: retry.baseMs,
    failures: roundAttempts,
    roundStartedAt: Date.parse(roundStartedAt),
    now: attemptedAt,
    random: retry.random,
  });
  return next === undefined ? { ...common, status: 'failed', next_attempt_at: null } : { ...common, status: 'pending', next_attempt_at: isoAt(next) };
}

/** Follows an endpoint's failing streak over its attempts, from the streak stored with it. */
export function failingStreak(failingSince: string | null) {
  let since = failingSince === null ? null : Date.parse(failingSince);
  return {
    /** Notes one attempt; returns what it changes on the endpoint (often nothing). */
    observe(attemptedAt: number, result: SendResult): EndpointChange {
      if (isSuccess(result)) {
        if (since === null) return {};
        since = null;
        return { failingSince: null };
      }
      if (since === null) {
        since = attemptedAt;
        return { failingSince: isoAt(since) };
      }
      if (!shouldDisable(since, attemptedAt)) return {};
      return { disabledReason: `every delivery attempt failed for 5 days (since ${isoAt(since)}); the last: ${result.error ?? `HTTP ${result.statusCode}`}` };
    },
  };
}
