// Registration-time check of an endpoint URL (SPEC §6): live-mode endpoints must be https and may
// not resolve to loopback, private, link-local, CGNAT, metadata or other internal addresses;
// test-mode endpoints may use http and loopback. The same guard runs again at send time.
//
// The URL itself is strict (issue #18): it is stored and shown as given, so it must be exactly
// what is sent to. A WHATWG parser silently drops tabs, CR/LF and surrounding spaces and reads a
// backslash as "/", where other readers (a log viewer, a receiver's allow-list) would not: such a
// URL is refused rather than repaired.
import { isIP } from 'node:net';
import type { FieldError } from '../errors.ts';
import { refusedAddress } from './address-policy.ts';
import type { AddressPolicy } from './address-policy.ts';
import { forbiddenAmong } from './resolver.ts';
import type { Resolver } from './resolver.ts';

const RESOLVE_TIMEOUT_MS = 5000;

/** The longest endpoint URL, as given and as parsed (browsers and CDNs handle far more; receivers need far less). */
export const MAX_URL_LENGTH = 2048;

/** Control characters (C0, DEL, C1), lone surrogates and noncharacters: never text, anywhere. */
const CONTROL = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u;
/** Whitespace, invisible formatting characters and the backslash: not in a URL as written. */
const UNWRITTEN = /[\s\p{Z}\p{Cf}\\]/u;

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

/** Why `text` cannot be an endpoint URL as written, or undefined when its characters are fine. */
function characterProblem(text: string): FieldError[] | undefined {
  const control = CONTROL.exec(text);
  if (control)
    return [
      { path: 'url', code: 'INVALID_CHARACTERS', message: `the URL has a control character, lone surrogate or noncharacter at position ${control.index}` },
    ];
  const unwritten = UNWRITTEN.exec(text);
  if (unwritten)
    return urlError('INVALID_URL', `the URL has whitespace, an invisible character or a backslash at position ${unwritten.index}; percent-encode it`);
  if (text.length > MAX_URL_LENGTH) return urlError('INVALID_URL', `the URL is longer than ${MAX_URL_LENGTH} characters`);
  return undefined;
}

/** The rules on the URL itself: characters, length, a WHATWG parse, scheme, host, no credentials or fragment. */
function parseEndpointUrl(raw: string, policy: AddressPolicy): URL | FieldError[] {
  const written = characterProblem(raw);
  if (written) return written;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return urlError('INVALID_URL', 'not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return urlError('INVALID_URL', 'the scheme must be https (or http for test-mode clients)');
  if (url.protocol === 'http:' && policy === 'live') return urlError('HTTPS_REQUIRED', 'live-mode endpoints must use https');
  if (url.hostname === '') return urlError('INVALID_URL', 'the URL has no host');
  // Credentials would be shown in every GET of the endpoint; the signature authenticates payrail.
  if (url.username !== '' || url.password !== '') return urlError('INVALID_URL', 'the URL may not contain a user name or password');
  if (url.hash !== '') return urlError('INVALID_URL', 'the URL may not contain a fragment (#…)');
  // The parser percent-encodes what it keeps; checked again all the same (and its length grows).
  return characterProblem(url.href) ?? url;
}

/** Problems with `raw` as the URL of an endpoint under `policy` (empty when it may be used). */
export async function checkEndpointUrl(raw: string, policy: AddressPolicy, resolve: Resolver): Promise<FieldError[]> {
  const url = parseEndpointUrl(raw, policy);
  if (Array.isArray(url)) return url;
  const host = hostOf(url);
  if (isIP(host) !== 0) {
    const category = refusedAddress(host, policy);
    return category
      ? urlError(
          'FORBIDDEN_ADDRESS',
          `${host} is a ${category} address; webhooks go to public addresses only${policy === 'test' ? ' (and loopback in test mode)' : ''}`,
        )
      : [];
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
  return refused
    ? urlError('FORBIDDEN_ADDRESS', `${host} resolves to ${refused.address}, a ${refused.category} address; webhooks go to public addresses only`)
    : [];
}
