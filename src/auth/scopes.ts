// OAuth scopes (SPEC §2). A client created without --scopes has every scope.

export const SCOPES = ['payments:write', 'payments:read', 'accounts:write', 'webhooks:write', 'keys:write'] as const;
export type Scope = (typeof SCOPES)[number];

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
