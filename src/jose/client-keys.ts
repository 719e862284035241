// A client's registered keys: validation of the JWKS it sends (CLI file or PUT /v1/clients/me/jwks)
// and the lookups the rest of the folder needs. Public keys only, each with a kid, a use and an
// algorithm from the table in algorithms.ts; RSA of at least 2048 bits. Every problem is listed.
import { createPublicKey } from 'node:crypto';
import type { JsonWebKey as NodeJwk } from 'node:crypto';
import type { FieldError } from '../errors.ts';
import { CLIENT_SIGNING_ALGS, ECDH_CURVES, KEY_MANAGEMENT_ALGS, MIN_RSA_BITS, isClientSigningAlg, isKeyManagementAlg } from './algorithms.ts';
import type { ClientSigningAlg, KeyManagementAlg } from './algorithms.ts';

/** A registered public key, as stored: only the members payrail uses. */
export type ClientJwk =
  | { kty: 'RSA'; kid: string; use: 'sig'; alg: ClientSigningAlg; n: string; e: string }
  | { kty: 'EC'; kid: string; use: 'sig'; alg: ClientSigningAlg; crv: string; x: string; y: string }
  | { kty: 'RSA'; kid: string; use: 'enc'; alg: KeyManagementAlg; n: string; e: string }
  | { kty: 'EC'; kid: string; use: 'enc'; alg: KeyManagementAlg; crv: string; x: string; y: string };

/** A client's registered key set. */
export interface ClientJwks {
  keys: ClientJwk[];
}

/** The most keys one client may register (a current and a next key of each use leaves room). */
export const MAX_CLIENT_KEYS = 10;

/** JWK members that hold private (or symmetric) key material: never accepted. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const KID_PATTERN = /^[\x21-\x7e]{1,128}$/;

type Result = { ok: true; jwks: ClientJwks } | { ok: false; errors: FieldError[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function privateMembers(key: Record<string, unknown>, path: string): FieldError[] {
  return PRIVATE_MEMBERS.filter((m) => m in key).map((m) => ({
    path: `${path}.${m}`,
    code: 'PRIVATE_KEY_MATERIAL',
    message: 'private key material must never be sent: register the public key only',
  }));
}

/** The algorithm fits the key type (and curve), given the use. */
function algorithmErrors(key: Record<string, unknown>, path: string): FieldError[] {
  const { use, alg, kty, crv } = key;
  const allowed = use === 'sig' ? CLIENT_SIGNING_ALGS : KEY_MANAGEMENT_ALGS;
  if (!(use === 'sig' ? isClientSigningAlg(alg) : isKeyManagementAlg(alg))) {
    return [{ path: `${path}.alg`, code: 'UNSUPPORTED_ALGORITHM', message: `must be one of ${allowed.join(', ')} for use '${String(use)}'` }];
  }
  const wantsRsa = alg === 'RS256' || alg === 'PS256' || alg === 'RSA-OAEP-256';
  if (wantsRsa && kty !== 'RSA') return [{ path: `${path}.kty`, code: 'ALGORITHM_KEY_MISMATCH', message: `${String(alg)} needs an RSA key` }];
  if (!wantsRsa && kty !== 'EC') return [{ path: `${path}.kty`, code: 'ALGORITHM_KEY_MISMATCH', message: `${String(alg)} needs an EC key` }];
  if (alg === 'ES256' && crv !== 'P-256') return [{ path: `${path}.crv`, code: 'ALGORITHM_KEY_MISMATCH', message: 'ES256 needs the P-256 curve' }];
  if (kty === 'EC' && !(ECDH_CURVES as readonly unknown[]).includes(crv)) {
    return [{ path: `${path}.crv`, code: 'ALGORITHM_KEY_MISMATCH', message: `must be one of ${ECDH_CURVES.join(', ')}` }];
  }
  return [];
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The key material itself: it parses as a public key (a point on the curve), and RSA is big enough. */
function materialErrors(key: Record<string, unknown>, path: string): FieldError[] {
  const members = key.kty === 'RSA' ? ['n', 'e'] : ['crv', 'x', 'y'];
  const missing = members.filter((m) => !nonEmptyString(key[m]));
  if (missing.length > 0) return missing.map((m) => ({ path: `${path}.${m}`, code: 'REQUIRED', message: `an ${String(key.kty)} key needs '${m}'` }));
  // Node's JWK import decodes base64url leniently (it skips line breaks and other characters), so
  // the members are checked here: a key is stored, echoed and thumbprinted exactly as it was given.
  const notBase64url = members.filter((m) => m !== 'crv' && !BASE64URL.test(key[m] as string));
  if (notBase64url.length > 0)
    return notBase64url.map((m) => ({ path: `${path}.${m}`, code: 'INVALID_KEY', message: 'must be base64url (A-Z a-z 0-9 - _, no padding)' }));
  let details;
  try {
    const jwk = Object.fromEntries(['kty', ...members].map((m) => [m, key[m]])) as NodeJwk;
    details = createPublicKey({ key: jwk, format: 'jwk' }).asymmetricKeyDetails;
  } catch {
    return [{ path, code: 'INVALID_KEY', message: 'the key material is not a valid public key' }];
  }
  if (key.kty === 'RSA' && (details?.modulusLength ?? 0) < MIN_RSA_BITS) {
    return [
      { path: `${path}.n`, code: 'KEY_TOO_SMALL', message: `RSA keys must have at least ${MIN_RSA_BITS} bits (this one has ${details?.modulusLength ?? 0})` },
    ];
  }
  return [];
}

function keyErrors(key: Record<string, unknown>, path: string): FieldError[] {
  const secret = privateMembers(key, path);
  if (secret.length > 0) return secret;
  const errors: FieldError[] = [];
  if (key.kty !== 'RSA' && key.kty !== 'EC') errors.push({ path: `${path}.kty`, code: 'UNSUPPORTED_KEY_TYPE', message: "must be 'RSA' or 'EC'" });
  if (!(typeof key.kid === 'string' && KID_PATTERN.test(key.kid))) {
    errors.push({
      path: `${path}.kid`,
      code: key.kid === undefined ? 'REQUIRED' : 'INVALID_FORMAT',
      message: 'every key needs a kid of 1–128 printable ASCII characters',
    });
  }
  if (key.use !== 'sig' && key.use !== 'enc') {
    errors.push({ path: `${path}.use`, code: key.use === undefined ? 'REQUIRED' : 'INVALID_VALUE', message: "must be 'sig' or 'enc'" });
  }
  if (key.alg === undefined) errors.push({ path: `${path}.alg`, code: 'REQUIRED', message: 'every key needs its algorithm (alg)' });
  if (errors.length > 0) return errors;
  const alg = algorithmErrors(key, path);
  return alg.length > 0 ? alg : materialErrors(key, path);
}

/** Only the members payrail uses; the rest (key_ops, x5c…) is not kept. */
function stored(key: Record<string, unknown>): ClientJwk {
  const members = key.kty === 'RSA' ? ['kty', 'kid', 'use', 'alg', 'n', 'e'] : ['kty', 'kid', 'use', 'alg', 'crv', 'x', 'y'];
  return Object.fromEntries(members.map((m) => [m, key[m]])) as ClientJwk;
}

/** Validates a JWKS a client registers; on success, the keys as they will be stored. */
export function validateClientJwks(input: unknown): Result {
  if (!isObject(input) || !Array.isArray(input.keys)) {
    return { ok: false, errors: [{ path: 'keys', code: 'REQUIRED', message: 'a JWKS is an object with a "keys" array' }] };
  }
  const keys: unknown[] = input.keys;
  if (keys.length > MAX_CLIENT_KEYS) {
    return { ok: false, errors: [{ path: 'keys', code: 'INVALID_COUNT', message: `at most ${MAX_CLIENT_KEYS} keys` }] };
  }
  const errors: FieldError[] = [];
  const kids = new Set<string>();
  keys.forEach((key, i) => {
    const path = `keys[${i}]`;
    if (!isObject(key)) {
      errors.push({ path, code: 'INVALID_TYPE', message: 'each key is a JWK object' });
      return;
    }
    errors.push(...keyErrors(key, path));
    if (typeof key.kid === 'string') {
      if (kids.has(key.kid)) errors.push({ path: `${path}.kid`, code: 'DUPLICATE_KID', message: `kid '${key.kid}' is used by another key of the set` });
      kids.add(key.kid);
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, jwks: { keys: (keys as Record<string, unknown>[]).map(stored) } };
}

/** The client's signing keys. */
export function signingKeysOf(jwks: ClientJwks | null): ClientJwk[] {
  return jwks?.keys.filter((k) => k.use === 'sig') ?? [];
}

/** The key the gateway encrypts to: the first `use: enc` key of the set. */
export function encryptionKeyOf(jwks: ClientJwks | null): (ClientJwk & { use: 'enc' }) | undefined {
  return jwks?.keys.find((k): k is ClientJwk & { use: 'enc' } => k.use === 'enc');
}
