// The seed's policies (SPEC §5) and a client's overrides of them. One table answers "what does a
// client get for payments?": the defaults below, with the client's `clients.rate_limits` on top.
import { POLICY_NAMES, WINDOW_NAMES, WINDOW_SECONDS } from './model.ts';
import type { ClientPolicyName, Limit, PolicyName, RateLimitOverrides, WindowName } from './model.ts';

/** Default quotas per policy and window (seed). A window missing here is not enforced by default. */
export const DEFAULT_POLICIES: Readonly<Record<ClientPolicyName, Readonly<Partial<Record<WindowName, number>>>>> = {
  authorisation: { hour: 10, second: 2 },
  payments: { minute: 30, second: 2 },
  'payment-enquiry': { minute: 90, second: 2 },
  // Not in the seed: the calls SPEC §5 names no kind for (a client's accounts, webhook endpoints,
  // keys, approvals). Counted apart, so setting up never spends the budget for paying; limited
  // all the same, with room for a checker approving payments one after another.
  management: { minute: 120, second: 10 },
};

/** The largest quota an override may set: far above any real need, and safe in every counter. */
export const MAX_QUOTA = 1_000_000_000;

function toLimits(quotas: Partial<Record<WindowName, number>>): readonly Limit[] {
  return Object.freeze(WINDOW_NAMES.filter((w) => quotas[w] !== undefined).map((window) => Object.freeze({ window, quota: quotas[window]! })));
}

// Most clients have no overrides: their limits are built once, not on every request.
const DEFAULT_LIMITS = Object.fromEntries(POLICY_NAMES.map((p) => [p, toLimits(DEFAULT_POLICIES[p])])) as Record<ClientPolicyName, readonly Limit[]>;

/** The limits of `policy` for a client: the defaults with its overrides applied, longest window first. */
export function limitsFor(policy: ClientPolicyName, overrides?: RateLimitOverrides | null): readonly Limit[] {
  const own = overrides?.[policy];
  return own === undefined ? DEFAULT_LIMITS[policy] : toLimits({ ...DEFAULT_POLICIES[policy], ...own });
}

export function windowMs(limit: Limit): number {
  return WINDOW_SECONDS[limit.window] * 1000;
}

/** The name a limit goes by in headers and problems, e.g. `payments-minute`. */
export function limitName(policy: PolicyName, limit: Limit): string {
  return `${policy}-${limit.window}`;
}

export function isPolicyName(value: string): value is ClientPolicyName {
  return (POLICY_NAMES as readonly string[]).includes(value);
}

function isWindowName(value: string): value is WindowName {
  return (WINDOW_NAMES as readonly string[]).includes(value);
}

export function isQuota(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_QUOTA;
}

const NO_OVERRIDES: RateLimitOverrides = Object.freeze({});

/**
 * Reads stored overrides. Anything unknown or out of range is dropped rather than thrown: a bad
 * row must not take the API down for that client; the defaults apply to what is dropped.
 */
export function parseOverrides(raw: unknown): RateLimitOverrides {
  if (raw === null || raw === undefined) return NO_OVERRIDES;
  const out: RateLimitOverrides = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [policy, windows] of Object.entries(raw as Record<string, unknown>)) {
    if (!isPolicyName(policy) || windows === null || typeof windows !== 'object') continue;
    for (const [window, quota] of Object.entries(windows as Record<string, unknown>)) {
      if (isWindowName(window) && isQuota(quota)) (out[policy] ??= {})[window] = quota;
    }
  }
  return out;
}

/** Every policy's effective quotas for a client (for the CLI's answer). */
export function effectiveLimits(overrides: RateLimitOverrides): Record<ClientPolicyName, Partial<Record<WindowName, number>>> {
  const entries = POLICY_NAMES.map((p) => [p, Object.fromEntries(limitsFor(p, overrides).map((l) => [l.window, l.quota]))]);
  return Object.fromEntries(entries) as Record<ClientPolicyName, Partial<Record<WindowName, number>>>;
}
