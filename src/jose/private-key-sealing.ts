// The gateway's private keys at rest. With PAYRAIL_MASTER_KEY set, a private JWK is stored as
// `aes-256-gcm$v1$<iv>$<ciphertext>$<tag>` (base64url): AES-256-GCM under a key derived from the
// master key with HKDF-SHA256, the key's `kid` bound in as additional data so a sealed value
// cannot be moved to another row. Keys stored before the master key was set are plain JSON and
// stay readable; rotating (`payrail keys rotate`) replaces them with sealed ones. The same sealing
// keeps payrail's OpenPGP private key (src/bank/pgp/keys.ts: armoured text, bound to its
// fingerprint instead of a kid), and sealSecret/openSecret (a key derived per purpose) keep other
// secrets, e.g. a bank connection's SFTP private key (src/bank/connections).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError } from '../config.ts';

const SCHEME = 'aes-256-gcm$v1$';
const HKDF_INFO = 'payrail signing_keys.private_jwk v1';
const SETTING = 'PAYRAIL_MASTER_KEY';

function dataKey(masterKey: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, new Uint8Array(0), info, 32));
}

/** True when a stored private key is sealed (rather than plain JSON from before the master key). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SCHEME);
}

/**
 * Where a sealed secret belongs: `info` names its purpose (a separate key is derived for each), `aad`
 * its row (a sealed value moved to another row does not open), `what` names it in errors.
 */
export interface SealingContext {
  info: string;
  aad: string;
  what: string;
}

/** A secret's stored form: sealed when there is a master key, the text itself otherwise. */
export function sealSecret(text: string, context: SealingContext, masterKey: Uint8Array | undefined): string {
  if (!masterKey) return text;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey(masterKey, context.info), iv);
  cipher.setAAD(Buffer.from(context.aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `${SCHEME}${[iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('$')}`;
}

/**
 * A secret from its stored form. Sealed without a master key, or with the wrong one: a ConfigError
 * naming PAYRAIL_MASTER_KEY.
 */
export function openSecret(stored: string, context: SealingContext, masterKey: Uint8Array | undefined): string {
  if (!isSealed(stored)) return stored;
  if (!masterKey) throw new ConfigError(SETTING, `is not set, but ${context.what} is stored encrypted; set the master key it was encrypted with`);
  const [iv, ciphertext, tag] = stored
    .slice(SCHEME.length)
    .split('$')
    .map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey(masterKey, context.info), iv!);
    decipher.setAAD(Buffer.from(context.aad, 'utf8'));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
  } catch {
    throw new ConfigError(SETTING, `cannot decrypt the stored ${context.what.replace(/^the /, '')}: this is not the master key it was encrypted with`);
  }
}

const jwkContext = (kid: string): SealingContext => ({ info: HKDF_INFO, aad: kid, what: `the private key of ${kid}` });

/** The stored form of a private JWK: sealed when there is a master key, plain JSON otherwise. */
export function sealPrivateJwk(json: string, kid: string, masterKey: Uint8Array | undefined): string {
  return sealSecret(json, jwkContext(kid), masterKey);
}

/**
 * The private JWK (JSON text) from its stored form. A sealed key without a master key, or with the
 * wrong one, is a ConfigError naming PAYRAIL_MASTER_KEY: payrail cannot start without its keys.
 */
export function openPrivateJwk(stored: string, kid: string, masterKey: Uint8Array | undefined): string {
  return openSecret(stored, jwkContext(kid), masterKey);
}
