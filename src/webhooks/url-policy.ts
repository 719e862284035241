// Registration-time check of an endpoint URL (SPEC §6): live-mode endpoints must be https and may
// not resolve to loopback, private, link-local, CGNAT, metadata or other internal addresses;
// test-mode endpoints may use http and loopback. The same guard runs again at send time.
import { isIP } from 'node:net';
import type { FieldError } from '../errors.ts';
import { refusedAddress } from './address-policy.ts';
import type { AddressPolicy } from './address-policy.ts';
import { forbiddenAmong } from './resolver.ts';
import type { Resolver } from './resolver.ts';

const RESOLVE_TIMEOUT_MS = 5000;

function urlError(code: string, message: string): FieldError[] {
  return [{ path: 'url', code, message }];
}

/** The host of a URL without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Problems with `raw` as the URL of an endpoint under `policy` (empty when it may be used). */
export async function checkEndpointUrl(raw: string, policy: AddressPolicy, resolve: Resolver): Promise<FieldError[]> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return urlError('INVALID_URL', 'not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return urlError('INVALID_URL', 'the scheme must be https (or http for test-mode clients)');
  if (url.protocol === 'http:' && policy === 'live') return urlError('HTTPS_REQUIRED', 'live-mode endpoints must use https');
  // Credentials would be shown in every GET of the endpoint; the signature authenticates payrail.
  if (url.username !== '' || url.password !== '') return urlError('INVALID_URL', 'the URL may not contain a user name or password');
  if (url.hash !== '') return urlError('INVALID_URL', 'the URL may not contain a fragment (#…)');
  const host = hostOf(url);
  if (isIP(host) !== 0) {
    const category = refusedAddress(host, policy);
    return category ? urlError('FORBIDDEN_ADDRESS', `${host} is a ${category} address; webhooks go to public addresses only${policy === 'test' ? ' (and loopback in test mode)' : ''}`) : [];
  }
  let addresses;
  try {
    addresses = await withTimeout(resolve(host), RESOLVE_TIMEOUT_MS);
  } catch {
    // A name that does not resolve now (no DNS here yet, a record still to be created) names no
    // forbidden address either: it is accepted, and every delivery checks the address it connects to.
    return [];
  }
  const refused = forbiddenAmong(addresses, policy);
  return refused ? urlError('FORBIDDEN_ADDRESS', `${host} resolves to ${refused.address}, a ${refused.category} address; webhooks go to public addresses only`) : [];
}
