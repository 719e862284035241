// OAuth scopes (SPEC §2). A client created without --scopes gets DEFAULT_SCOPES only: `keys:write`
// must be asked for, because a token that can register a key can turn itself into permanent
// access (the key keeps obtaining tokens by private_key_jwt long after the token has expired).
// `payments:approve` (SPEC §10) must be asked for too: approving is the checker's part, and a
// maker's client holding it by default would defeat the four-eyes rule.

export const SCOPES = ['payments:write', 'payments:read', 'accounts:write', 'webhooks:write', 'keys:write', 'payments:approve'] as const;
export type Scope = (typeof SCOPES)[number];

/** The scopes of a client created without `--scopes`: everything but `keys:write` and `payments:approve`. */
export const DEFAULT_SCOPES: readonly Scope[] = Object.freeze(['payments:write', 'payments:read', 'accounts:write', 'webhooks:write']);

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Parses a space- or comma-separated scope list; unknown names are returned in `unknown`. */
export function parseScopes(raw: string): { scopes: Scope[]; unknown: string[] } {
  const names = raw.split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((n) => !isScope(n));
  const scopes = [...new Set(names.filter(isScope))];
  return { scopes, unknown };
}
