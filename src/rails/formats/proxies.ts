// Proxy formats (RAILS.md §1). FPS and PayNow both have a MOBILE proxy with different numbering
// plans, so patterns are per rail, not per proxy type.

/** The proxy types a rail accepts, each with the pattern its value must match. */
export type ProxyPatterns = Readonly<Record<string, RegExp>>;

// No regex can decide whether a mailbox exists; this refuses the obvious mistakes (no @, spaces,
// no dot in the domain) and the RFC 5321 length limit keeps the value storable.
const EMAIL = /^(?=.{3,254}$)[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export const FPS_PROXY_PATTERNS: ProxyPatterns = {
  FPS_ID: /^\d{7}(\d{2})?$/,
  MOBILE: /^\+852\d{8}$/,
  EMAIL,
  HKID: /^[A-Z]{1,2}\d{6}\(?[0-9A]\)?$/,
};

export const PAYNOW_PROXY_PATTERNS: ProxyPatterns = {
  MOBILE: /^\+65[89]\d{7}$/,
  NRIC: /^[STFGM]\d{7}[A-Z]$/,
  UEN: /^(\d{8}[A-Z]|\d{9}[A-Z]|[STR]\d{2}[A-Z]{2}\d{4}[A-Z])([A-Z0-9]{3})?$/,
  // A VPA is issuer-defined (e.g. "+6592345678#ACME"); only printable ASCII without spaces is checked.
  VPA: /^[\x21-\x7E]{3,64}$/,
};
