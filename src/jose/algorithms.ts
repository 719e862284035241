// Message-level security: the words used across this folder, and the one table of algorithms.
//
//   client keys   — the public JWKS a client registers (`use: sig` to sign its assertions and
//                   request bodies, `use: enc` for what the gateway encrypts to it).
//   gateway keys  — payrail's own key pairs (src/auth/signing-keys.ts): one ES256 signing key, and
//                   one encryption key per family (P-256 for ECDH-ES, RSA for RSA-OAEP-256).
//   JOSE message  — a compact JWE whose plaintext is a compact JWS over a JSON body: signed by the
//                   sender, then encrypted to the receiver (`Content-Type: application/jose`).
//   assertion     — a JWT a client signs to authenticate at the token endpoint (RFC 7523).
//
// Everything outside this table is refused by name: `none` and HMAC (not asymmetric), RSA1_5
// (padding oracles), CBC-HMAC content encryption (GCM only), PBES2 (passwords), compression.

/** What a client may sign with (assertions, request bodies). */
export const CLIENT_SIGNING_ALGS = ['RS256', 'PS256', 'ES256'] as const;
export type ClientSigningAlg = (typeof CLIENT_SIGNING_ALGS)[number];

/** Key management algorithms of a JWE, either way (client → gateway and gateway → client). */
export const KEY_MANAGEMENT_ALGS = ['RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A256KW'] as const;
export type KeyManagementAlg = (typeof KEY_MANAGEMENT_ALGS)[number];

/** The only content encryption. */
export const CONTENT_ENCRYPTION_ALG = 'A256GCM';

/** The media type of a JOSE message body. */
export const JOSE_MEDIA_TYPE = 'application/jose';

/** EC curves a client's ECDH-ES key may use; ES256 needs P-256. */
export const ECDH_CURVES = ['P-256', 'P-384', 'P-521'] as const;

/** The smallest RSA modulus accepted, in bits. */
export const MIN_RSA_BITS = 2048;

/**
 * The gateway's encryption key algorithms: one key per family. A P-256 key serves both ECDH-ES and
 * ECDH-ES+A256KW, so the key is stored as 'ECDH-ES' and published without `alg`.
 */
export const GATEWAY_ENCRYPTION_ALGS = ['ECDH-ES', 'RSA-OAEP-256'] as const;
export type GatewayEncryptionAlg = (typeof GATEWAY_ENCRYPTION_ALGS)[number];

/** Which gateway key family decrypts a JWE with this `alg`. */
export function gatewayKeyFamily(alg: KeyManagementAlg): GatewayEncryptionAlg {
  return alg === 'RSA-OAEP-256' ? 'RSA-OAEP-256' : 'ECDH-ES';
}

export function isClientSigningAlg(alg: unknown): alg is ClientSigningAlg {
  return (CLIENT_SIGNING_ALGS as readonly unknown[]).includes(alg);
}

export function isKeyManagementAlg(alg: unknown): alg is KeyManagementAlg {
  return (KEY_MANAGEMENT_ALGS as readonly unknown[]).includes(alg);
}

/**
 * How long a retired gateway encryption key still decrypts: clients cache the JWKS, and one that
 * fetched it just before a rotation keeps encrypting to the old key for a while. Seven days covers
 * a weekly JWKS refresh; the key is no longer published meanwhile.
 */
export const RETIRED_ENCRYPTION_KEY_GRACE_SECONDS = 7 * 24 * 3600;
