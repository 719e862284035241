// Rate limits (SPEC §5): the words used across this folder.
//
//   policy   — a kind of call with its own budget: `authorisation`, `payments`, `payment-enquiry`
//              (SPEC §5), `management` (everything else a client calls: its accounts, webhook
//              endpoints, keys and approvals; a client's, settable per client like the others),
//              and `auth-failures` (failed authentications at the token endpoint, counted per
//              source address and per presented client id).
//   window   — a period a quota applies to (`hour`, `minute`, `second`; `auth-failures` also
//              uses `5-minutes` and `10-seconds`); a policy has several and every one is enforced.
//   limit    — one window of one policy with its quota, e.g. payments: 30 per minute.
//   subject  — who is counted: a client id (for `auth-failures`, an address or a presented id).
//   counts   — the requests counted in the current window and in the one before it (the sliding
//              algorithm weighs the previous window; the fixed one ignores it).
//   decision — allowed or refused, with what each window has left and when to retry.

/** How counts turn into a decision, chosen per deployment (PAYRAIL_RATE_LIMIT_ALGORITHM). */
export type Algorithm = 'fixed' | 'sliding';

/** The policies of a client's own budget (SPEC §5, and `management` for the calls §5 does not name), settable per client. */
export const POLICY_NAMES = ['authorisation', 'payments', 'payment-enquiry', 'management'] as const;
export type ClientPolicyName = (typeof POLICY_NAMES)[number];

/** Failed authentications at the token endpoint (auth-failures.ts); not a client's budget. */
export const AUTH_FAILURES = 'auth-failures';
export type PolicyName = ClientPolicyName | typeof AUTH_FAILURES;

export const WINDOW_SECONDS = { hour: 3600, '5-minutes': 300, minute: 60, '10-seconds': 10, second: 1 } as const;
export type WindowName = keyof typeof WINDOW_SECONDS;
/** The windows of a client's policies (and of its overrides), longest first. */
export const WINDOW_NAMES: readonly WindowName[] = ['hour', 'minute', 'second'];

/** One enforced window of a policy. */
export interface Limit {
  window: WindowName;
  /** Requests allowed per window (at least 1). */
  quota: number;
}

/** The requests counted for one limit at the time of a check (before this request). */
export interface WindowCounts {
  current: number;
  previous: number;
}

/** What one window says about one request. */
export interface WindowOutcome {
  limit: Limit;
  allowed: boolean;
  /** Requests in the window as the algorithm sees them, before this one (may be fractional). */
  used: number;
  /** Requests left in the window after this one (0 when refused). */
  remaining: number;
  /** Milliseconds until the current window ends. */
  resetMs: number;
  /** Refused: milliseconds until a request would pass this window. 0 when allowed. */
  retryAfterMs: number;
}

/** The answer to one request: refused if any window refuses; then nothing was counted. */
export interface Decision {
  policy: PolicyName;
  allowed: boolean;
  windows: WindowOutcome[];
  /** Refused: milliseconds until a request would pass every window. 0 when allowed. */
  retryAfterMs: number;
}

/** Per-client overrides, as stored in `clients.rate_limits`: quotas by policy and window. */
export type RateLimitOverrides = Partial<Record<ClientPolicyName, Partial<Record<WindowName, number>>>>;

/** Where the counts live (memory, Redis, or Redis with a memory fallback). */
export interface RateLimitStore {
  /**
   * Checks every limit of a policy for `subject` and, only if all allow, counts the request in
   * each, atomically. Refused requests consume nothing.
   */
  consume(policy: PolicyName, subject: string, limits: readonly Limit[], algorithm: Algorithm): Promise<Decision>;
  /** The decision `consume` would make now, counting nothing. */
  peek(policy: PolicyName, subject: string, limits: readonly Limit[], algorithm: Algorithm): Promise<Decision>;
  close(): Promise<void>;
}
