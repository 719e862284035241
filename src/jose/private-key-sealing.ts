// The gateway's private keys at rest. With PAYRAIL_MASTER_KEY set, a private JWK is stored as
// `aes-256-gcm$v1$<iv>$<ciphertext>$<tag>` (base64url): AES-256-GCM under a key derived from the
// master key with HKDF-SHA256, the key's `kid` bound in as additional data so a sealed value
// cannot be moved to another row. Keys stored before the master key was set are plain JSON and
// stay readable; rotating (`payrail keys rotate`) replaces them with sealed ones. The same sealing
// keeps payrail's OpenPGP private key (src/bank/pgp/keys.ts: armoured text, bound to its
// fingerprint instead of a kid).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError } from '../config.ts';

const SCHEME = 'aes-256-gcm$v1$';
const HKDF_INFO = 'payrail signing_keys.private_jwk v1';
const SETTING = 'PAYRAIL_MASTER_KEY';

function dataKey(masterKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, new Uint8Array(0), HKDF_INFO, 32));
}

/** True when a stored private key is sealed (rather than plain JSON from before the master key). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SCHEME);
}

/** The stored form of a private JWK: sealed when there is a master key, plain JSON otherwise. */
export function sealPrivateJwk(json: string, kid: string, masterKey: Uint8Array | undefined): string {
  if (!masterKey) return json;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey(masterKey), iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  return `${SCHEME}${[iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('$')}`;
}

/**
 * The private JWK (JSON text) from its stored form. A sealed key without a master key, or with the
 * wrong one, is a ConfigError naming PAYRAIL_MASTER_KEY: payrail cannot start without its keys.
 */
export function openPrivateJwk(stored: string, kid: string, masterKey: Uint8Array | undefined): string {
  if (!isSealed(stored)) return stored;
  if (!masterKey) throw new ConfigError(SETTING, `is not set, but the private key of ${kid} is stored encrypted; set the master key it was encrypted with`);
  const [iv, ciphertext, tag] = stored.slice(SCHEME.length).split('$').map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey(masterKey), iv!);
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
  } catch {
    throw new ConfigError(SETTING, `cannot decrypt the stored private key of ${kid}: this is not the master key it was encrypted with`);
  }
}
