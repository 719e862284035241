// What a decision looks like on the wire: the RateLimit-Policy and RateLimit fields of
// draft-ietf-httpapi-ratelimit-headers-11 (structured-field lists whose items are strings naming
// each limit), and for a refusal the 429 problem with Retry-After. For example:
//
//   RateLimit-Policy: "payments-minute";q=30;w=60, "payments-second";q=2;w=1
//   RateLimit: "payments-minute";r=29;t=42, "payments-second";r=1;t=1
//
// `t` is the time left in the current window: within it the client can count on at least `r`
// more requests. For a window that refused the request it is the window's retry time (r=0).
import { AppError } from '../errors.ts';
import { limitName } from './policies.ts';
import { WINDOW_SECONDS } from './model.ts';
import type { Decision, WindowOutcome } from './model.ts';

const toSeconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/** The `RateLimit-Policy` field value: constant for a client and policy. */
export function policyField(decision: Decision): string {
  return decision.windows.map((o) => `"${limitName(decision.policy, o.limit)}";q=${o.limit.quota};w=${WINDOW_SECONDS[o.limit.window]}`).join(', ');
}

function serviceLimitItem(decision: Decision, o: WindowOutcome): string {
  const t = o.allowed ? toSeconds(o.resetMs) : toSeconds(o.retryAfterMs);
  return `"${limitName(decision.policy, o.limit)}";r=${o.remaining};t=${t}`;
}

/** The `RateLimit` field value: what is left in each window after this request. */
export function limitField(decision: Decision): string {
  return decision.windows.map((o) => serviceLimitItem(decision, o)).join(', ');
}

/** Whole seconds to wait (rounded up, so a client that waits exactly that long gets through). */
export function retryAfterSeconds(decision: Decision): number {
  return Math.max(1, toSeconds(decision.retryAfterMs));
}

export function rateLimitHeaders(decision: Decision): Record<string, string> {
  return { 'ratelimit-policy': policyField(decision), ratelimit: limitField(decision) };
}

function describeWindow(decision: Decision, o: WindowOutcome): string {
  return `'${limitName(decision.policy, o.limit)}' (${o.limit.quota} per ${o.limit.window})`;
}

/** The 429 problem for a refused request: names the policy and every window it ran out of. */
export function rateLimited(decision: Decision): AppError {
  const violated = decision.windows.filter((o) => !o.allowed).map((o) => describeWindow(decision, o));
  const seconds = retryAfterSeconds(decision);
  const detail = `Rate limit of the '${decision.policy}' policy exceeded: ${violated.join(' and ')}; retry after ${seconds} s`;
  return new AppError('RATE_LIMITED', 'Too many requests', detail, undefined, { 'retry-after': String(seconds) });
}
