// JOSE messages: a compact JWE (A256GCM) whose plaintext is a compact JWS over a JSON body. The
// sender signs, then encrypts to the receiver; the receiver decrypts, then verifies. Algorithms
// are checked by name before any key is touched, so a refused one says so (400) rather than
// looking like a bad key.
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, importJWK } from 'jose';
import type { CryptoKey, KeyObject, ProtectedHeaderParameters } from 'jose';
import { AppError } from '../errors.ts';
import { CLIENT_SIGNING_ALGS, CONTENT_ENCRYPTION_ALG, KEY_MANAGEMENT_ALGS, isClientSigningAlg, isKeyManagementAlg } from './algorithms.ts';
import type { KeyManagementAlg } from './algorithms.ts';
import type { ClientJwk } from './client-keys.ts';

type Key = CryptoKey | KeyObject | Uint8Array;

/** The private key that decrypts a JWE with this header (undefined: not one of ours). */
export type DecryptionKeyLookup = (kid: string | undefined, alg: KeyManagementAlg) => Promise<Key | undefined>;

/** Who signs a message: the gateway's active signing key. */
export interface MessageSigner {
  kid: string;
  alg: string;
  privateKey: Key;
}

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// The signature may be empty here so that `alg: none` is refused by name, below.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

const jweInvalid = (detail: string) => new AppError('JWE_INVALID', 'Undecryptable JWE', detail);
// A 401 says how to authenticate (RFC 9110 §15.5.2): here, with a body signed by a registered key.
const jwsInvalid = (detail: string) =>
  new AppError('JWS_INVALID', 'Invalid signature', detail, undefined, {
    'www-authenticate': 'Bearer realm="payrail", error="invalid_request", error_description="the request body must be a JWS signed by a registered key"',
  });
const algorithmRefused = (detail: string) => new AppError('JOSE_ALGORITHM_NOT_ALLOWED', 'Algorithm not allowed', detail);

/** True when a body has the shape of a compact JWE (five base64url parts). */
function isCompactJwe(text: string): boolean {
  return COMPACT_JWE.test(text);
}

function headerOf(compact: string, invalid: (detail: string) => AppError, what: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(compact);
  } catch {
    throw invalid(`the ${what} protected header cannot be read`);
  }
}

/** The JWE's algorithms, checked by name: key management from the table, A256GCM, no compression. */
function checkJweHeader(header: ProtectedHeaderParameters): KeyManagementAlg {
  if (!isKeyManagementAlg(header.alg)) throw algorithmRefused(`JWE alg '${String(header.alg)}' is not accepted (use ${KEY_MANAGEMENT_ALGS.join(', ')})`);
  if (header.enc !== CONTENT_ENCRYPTION_ALG) throw algorithmRefused(`JWE enc '${String(header.enc)}' is not accepted (use ${CONTENT_ENCRYPTION_ALG})`);
  if (header.zip !== undefined) throw jweInvalid('compressed JWE (zip) is not accepted');
  return header.alg;
}

async function decrypt(jwe: string, decryptionKey: DecryptionKeyLookup): Promise<string> {
  if (!isCompactJwe(jwe)) throw jweInvalid('the body is not a compact JWE (five base64url parts)');
  const alg = checkJweHeader(headerOf(jwe, jweInvalid, 'JWE'));
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(
      jwe,
      async (header) => {
        const key = await decryptionKey(header.kid, alg);
        if (!key)
          throw jweInvalid(`the JWE is encrypted to a key that is not a current gateway encryption key (kid '${String(header.kid)}'); fetch the JWKS again`);
        return key;
      },
      { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [CONTENT_ENCRYPTION_ALG], maxDecompressedLength: 0 },
    ));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw jweInvalid('the JWE cannot be decrypted (wrong key, or the ciphertext was altered)');
  }
  return new TextDecoder().decode(plaintext);
}

async function verify(jws: string, signingKeys: readonly ClientJwk[]): Promise<Uint8Array> {
  if (!COMPACT_JWS.test(jws)) throw jwsInvalid('the JWE plaintext is not a compact JWS');
  const { alg } = headerOf(jws, jwsInvalid, 'JWS');
  if (!isClientSigningAlg(alg)) throw algorithmRefused(`JWS alg '${String(alg)}' is not accepted (use ${CLIENT_SIGNING_ALGS.join(', ')})`);
  // Pinned to the client's registered keys: an algorithm it has no key for is an unknown key.
  const keys = signingKeys.filter((k) => k.use === 'sig' && k.alg === alg);
  if (keys.length === 0) throw jwsInvalid(`the client has registered no ${alg} signing key`);
  try {
    const { payload } = await compactVerify(jws, createLocalJWKSet({ keys }), { algorithms: [alg] });
    return payload;
  } catch (err) {
    if (err instanceof joseErrors.JWKSNoMatchingKey) throw jwsInvalid("no registered signing key of the client matches the JWS's kid");
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw jwsInvalid('the JWS signature does not verify with the client key');
    throw jwsInvalid('the JWS is invalid');
  }
}

/**
 * Opens a request body: decrypts the JWE with a gateway key, verifies the inner JWS with one of
 * the client's signing keys, and returns the signed payload (the JSON body, as bytes).
 * Failures are AppErrors: JWE_INVALID (400), JWS_INVALID (401), JOSE_ALGORITHM_NOT_ALLOWED (400).
 */
export async function openMessage(jwe: string, keys: { decryptionKey: DecryptionKeyLookup; signingKeys: readonly ClientJwk[] }): Promise<Uint8Array> {
  return verify(await decrypt(jwe, keys.decryptionKey), keys.signingKeys);
}

/**
 * Seals a body for a client: a JWS by the gateway's signing key (`cty` says what the payload is,
 * e.g. `json` or `problem+json`), encrypted with A256GCM to the client's encryption key.
 */
export async function sealMessage(payload: Uint8Array, cty: string, signer: MessageSigner, recipient: ClientJwk & { use: 'enc' }): Promise<string> {
  const jws = await new CompactSign(payload).setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JOSE', cty }).sign(signer.privateKey);
  const key = await importJWK(recipient, recipient.alg);
  return new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: recipient.alg, enc: CONTENT_ENCRYPTION_ALG, kid: recipient.kid, cty: 'JOSE' })
    .encrypt(key);
}
