// Client secrets: 256 random bits, shown once, stored as a peppered HMAC-SHA256 and compared in
// constant time. A slow hash buys nothing for a 256-bit random secret (there is no dictionary to
// slow down) and would cap the token endpoint at a few hundred requests a second; the pepper keeps
// a stolen table useless without the installation key.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SCHEME = 'hmac-sha256';

/** A new client secret: a readable prefix and 32 random bytes, URL-safe characters only. */
export function generateClientSecret(mode: 'test' | 'live'): string {
  return `prs_${mode}_${randomBytes(32).toString('base64url')}`;
}

/** A new installation pepper (the HMAC key), 32 random bytes. */
export function generatePepper(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientSecret(pepper: string, secret: string): string {
  const digest = createHmac('sha256', Buffer.from(pepper, 'base64url')).update(secret, 'utf8').digest('base64url');
  return `${SCHEME}$${digest}`;
}

/** Constant-time check of a presented secret against a stored hash. */
export function verifyClientSecret(pepper: string, secret: string, stored: string): boolean {
  const expected = Buffer.from(stored, 'utf8');
  const actual = Buffer.from(hashClientSecret(pepper, secret), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
