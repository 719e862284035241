// The client side of message-level security, for tests: key pairs, sealed requests, opened
// responses, client assertions, and a client with registered keys and a token.
import { createCipheriv, constants, publicEncrypt, randomBytes, randomUUID, createPublicKey } from 'node:crypto';
import type { JsonWebKey as NodeJwk } from 'node:crypto';
import { CompactEncrypt, CompactSign, SignJWT, compactDecrypt, compactVerify, createLocalJWKSet, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CompactJWEHeaderParameters, CompactJWSHeaderParameters, CryptoKey, JWK, JWTPayload } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import type { Scope } from '../../src/auth/scopes.ts';
import { validateClientJwks } from '../../src/jose/client-keys.ts';
import { PUBLIC_URL } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const TOKEN_ENDPOINT = `${PUBLIC_URL}/v1.0/auth`;

export type SigAlg = 'ES256' | 'RS256' | 'PS256';
export type EncAlg = 'ECDH-ES' | 'ECDH-ES+A256KW' | 'RSA-OAEP-256';

/** A client key pair: the public JWK it registers and the private key it keeps. */
export interface KeyPair {
  kid: string;
  alg: string;
  publicJwk: JWK;
  privateKey: CryptoKey;
}

const b64 = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

export async function keyPair(use: 'sig' | 'enc', alg: SigAlg | EncAlg, kid = `${use}-${randomUUID()}`): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, publicJwk: { ...(await exportJWK(publicKey)), kid, use, alg }, privateKey };
}

/** A signing and an encryption key pair, and the JWKS registering both. */
export async function clientKeys(options: { sig?: SigAlg; enc?: EncAlg } = {}) {
  const sig = await keyPair('sig', options.sig ?? 'ES256');
  const enc = await keyPair('enc', options.enc ?? 'ECDH-ES+A256KW');
  return { sig, enc, jwks: { keys: [sig.publicJwk, enc.publicJwk] } };
}

export async function gatewayJwks(app: TestApp): Promise<{ keys: JWK[] }> {
  return (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
}

/** The gateway key a client encrypts to for a JWE `alg`. */
export function gatewayEncryptionKey(jwks: { keys: JWK[] }, alg: EncAlg | string): JWK {
  const kty = alg.startsWith('RSA') ? 'RSA' : 'EC';
  const key = jwks.keys.find((k) => k.use === 'enc' && k.kty === kty);
  if (!key) throw new Error(`no gateway ${kty} encryption key in the JWKS`);
  return key;
}

/** A compact JWS over `payload` (bytes or JSON); `header` overrides the protected header. */
export async function sign(payload: unknown, signer: KeyPair, header: Partial<CompactJWSHeaderParameters> = {}): Promise<string> {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : new TextEncoder().encode(JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader({ alg: signer.alg, kid: signer.kid, ...header }).sign(signer.privateKey);
}

/** A compact JWE of `plaintext` to `recipient` (a public JWK). */
export async function encrypt(plaintext: string, recipient: JWK, alg: string, header: Partial<CompactJWEHeaderParameters> = {}): Promise<string> {
  const key = await importJWK(recipient, alg);
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg, enc: 'A256GCM', kid: recipient.kid, cty: 'JOSE', ...header })
    .encrypt(key);
}

/** What a client sends: `body` signed by its key, encrypted to the gateway's key for `alg`. */
export async function sealRequest(body: unknown, signer: KeyPair, gateway: { keys: JWK[] }, alg: EncAlg = 'ECDH-ES+A256KW'): Promise<string> {
  return encrypt(await sign(body, signer), gatewayEncryptionKey(gateway, alg), alg);
}

/** An RSA1_5 JWE built by hand (jose no longer produces them): what an old client might send. */
export function rsa15Jwe(plaintext: string, recipient: JWK): string {
  const header = b64(JSON.stringify({ alg: 'RSA1_5', enc: 'A256GCM', kid: recipient.kid }));
  const cek = randomBytes(32);
  const encryptedKey = publicEncrypt({ key: createPublicKey({ key: recipient as NodeJwk, format: 'jwk' }), padding: constants.RSA_PKCS1_PADDING }, cek);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [header, b64(encryptedKey), b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.');
}

/** Opens a gateway answer: decrypt with the client's key, verify with the gateway's JWKS. */
export async function openResponse(jwe: string, decryptWith: KeyPair, gateway: { keys: JWK[] }) {
  const { plaintext, protectedHeader: jweHeader } = await compactDecrypt(jwe, decryptWith.privateKey, {
    keyManagementAlgorithms: [decryptWith.alg],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  const { payload, protectedHeader: jwsHeader } = await compactVerify(new TextDecoder().decode(plaintext), createLocalJWKSet(gateway), {
    algorithms: ['ES256'],
  });
  return { body: JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>, jweHeader, jwsHeader };
}

/** The JSON of a response, whether it came sealed (application/jose) or plain. */
export async function bodyOf(res: LightMyRequestResponse, decryptWith: KeyPair, gateway: { keys: JWK[] }): Promise<Record<string, unknown>> {
  if (String(res.headers['content-type']).startsWith('application/jose')) return (await openResponse(res.body, decryptWith, gateway)).body;
  return res.json();
}

/** A private_key_jwt assertion; `claims` and `header` override the defaults (null removes a claim). */
export async function assertion(
  clientId: string,
  signer: KeyPair,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  const defaults: JWTPayload = { iss: clientId, sub: clientId, aud: TOKEN_ENDPOINT, iat: now, exp: now + 120, jti: randomUUID() };
  const payload = Object.fromEntries(Object.entries({ ...defaults, ...claims }).filter(([, v]) => v !== null));
  return new SignJWT(payload).setProtectedHeader({ alg: signer.alg, kid: signer.kid, ...header }).sign(signer.privateKey);
}

export function tokenRequest(app: TestApp, fields: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/v1.0/auth',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

export async function tokenByAssertion(app: TestApp, clientAssertion: string): Promise<LightMyRequestResponse> {
  return tokenRequest(app, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: clientAssertion });
}

/** A client with registered keys and an access token obtained with private_key_jwt. */
export async function joseClient(app: TestApp, options: { sig?: SigAlg; enc?: EncAlg; scopes?: Scope[] } = {}) {
  const { clientId } = await app.createClient({ scopes: options.scopes });
  const keys = await clientKeys(options);
  const valid = validateClientJwks(keys.jwks);
  if (!valid.ok) throw new Error(`test keys are invalid: ${JSON.stringify(valid.errors)}`);
  await app.payrail.services.clients.setKeys(clientId, valid.jwks, 'operator');
  const res = await tokenByAssertion(app, await assertion(clientId, keys.sig));
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  const token = (res.json() as { access_token: string }).access_token;
  return { clientId, ...keys, token, auth: { authorization: `Bearer ${token}` } };
}

export const JOSE = { 'content-type': 'application/jose' };
