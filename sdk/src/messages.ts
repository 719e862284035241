// Message-level security (SPEC §2): for a client that registered its keys, request bodies go as
// `application/jose`, a compact JWE (A256GCM, to the gateway's published encryption key) of a
// compact JWS (signed with the client's key); answers come back signed by the gateway and
// encrypted to the client's encryption key. Only `jose` is used.
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, importJWK } from 'jose';
import type { JWK, JSONWebKeySet } from 'jose';

export const JOSE_MEDIA_TYPE = 'application/jose';

/** The client's private keys, as JWKs with `kid` and `alg` (examples/generate-client-keys.ts writes them). */
export interface EncryptionKeys {
  /** Signs request bodies (ES256, RS256 or PS256). */
  signingKey: JWK;
  /** Opens the gateway's answers (ECDH-ES, ECDH-ES+A256KW or RSA-OAEP-256): the private half of the registered `use: enc` key. */
  decryptionKey: JWK;
}

export interface MessageCodec {
  /** Signs and encrypts a JSON text for the gateway. */
  seal(json: string): Promise<string>;
  /** Decrypts and verifies an answer; `cty` says what the payload is (`json`, `problem+json`). */
  open(compact: string): Promise<{ cty: string | undefined; text: string }>;
}

const GATEWAY_SIGNING_ALGS = ['ES256', 'RS256', 'PS256'];

function required(jwk: JWK, what: string): { alg: string; kid: string | undefined } {
  if (!jwk.alg) throw new TypeError(`the ${what} JWK needs an "alg"`);
  return { alg: jwk.alg, kid: jwk.kid };
}

/**
 * A codec for one client. `gatewayJwks(refresh)` fetches the gateway's JWKS (cached by the caller;
 * `refresh` asks for a fresh copy, after `payrail keys rotate` made a key the cache lacks).
 */
export function messageCodec(keys: EncryptionKeys, gatewayJwks: (refresh: boolean) => Promise<JSONWebKeySet>): MessageCodec {
  const signing = required(keys.signingKey, 'signing');
  const decryption = required(keys.decryptionKey, 'decryption');
  const signingKey = importJWK(keys.signingKey, signing.alg);
  const decryptionKey = importJWK(keys.decryptionKey, decryption.alg);

  return {
    async seal(json) {
      const jws = await new CompactSign(new TextEncoder().encode(json))
        .setProtectedHeader({ alg: signing.alg, ...(signing.kid && { kid: signing.kid }), cty: 'json' })
        .sign(await signingKey);
      const published = (await gatewayJwks(false)).keys.filter((k) => k.use === 'enc');
      // The P-256 key with key wrapping when the gateway has one, else its RSA key.
      const target = published.find((k) => k.kty === 'EC') ?? published.find((k) => k.kty === 'RSA');
      if (!target) throw new Error('the gateway publishes no encryption key (GET /.well-known/jwks.json)');
      const alg = target.kty === 'EC' ? 'ECDH-ES+A256KW' : 'RSA-OAEP-256';
      return new CompactEncrypt(new TextEncoder().encode(jws))
        .setProtectedHeader({ alg, enc: 'A256GCM', ...(target.kid && { kid: target.kid }), cty: 'JOSE' })
        .encrypt(await importJWK(target, alg));
    },

    async open(compact) {
      const { plaintext } = await compactDecrypt(compact, await decryptionKey, {
        keyManagementAlgorithms: [decryption.alg],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      const jws = new TextDecoder().decode(plaintext);
      const cty = decodeProtectedHeader(jws).cty;
      const verify = async (refresh: boolean) => compactVerify(jws, createLocalJWKSet(await gatewayJwks(refresh)), { algorithms: GATEWAY_SIGNING_ALGS });
      let verified;
      try {
        verified = await verify(false);
      } catch (err) {
        // A key the cached JWKS does not have yet: fetch it again once.
        if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw err;
        verified = await verify(true);
      }
      return { cty, text: new TextDecoder().decode(verified.payload) };
    },
  };
}
