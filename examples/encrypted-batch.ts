// A payrail client speaking message-level security, end to end, with nothing but `jose`:
//
//   1. discovers the server (RFC 8414 metadata, JWKS);
//   2. gets an access token with private_key_jwt (RFC 7523): a JWT signed by its signing key;
//   3. signs a payment batch (JWS, its signing key) and encrypts it to the gateway's encryption
//      key (JWE, A256GCM), and POSTs it as `Content-Type: application/jose`;
//   4. decrypts the answer with its encryption key and verifies the gateway's signature.
//
// Run it against a running server (`npm start`), with keys made by generate-client-keys.ts and
// registered with `payrail clients keys set`:
//
//   node --import tsx examples/encrypted-batch.ts --client-id cli_01… --account intacct_01… \
//     --signing-key client-keys/sig.private.jwk.json --encryption-key client-keys/enc.private.jwk.json
//
// Every flag has an environment variable: PAYRAIL_URL (default http://127.0.0.1:8080),
// PAYRAIL_CLIENT_ID, PAYRAIL_SIGNING_KEY, PAYRAIL_ENCRYPTION_KEY, PAYRAIL_ACCOUNT,
// PAYRAIL_ACCOUNT_CURRENCY. By default it sends a two-payment FAST batch in SGD, dated today in
// Singapore, to POST /v1/payment-batches, paid from the account's `--account-currency` (default
// SGD: an account holding several currencies must be told which); `--endpoint /v1/payments
// --body payment.json` sends any JSON body to any API route the same way.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CompactEncrypt, CompactSign, SignJWT, compactDecrypt, compactVerify, createLocalJWKSet, importJWK } from 'jose';
import type { JWK } from 'jose';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.PAYRAIL_URL ?? 'http://127.0.0.1:8080' },
    'client-id': { type: 'string', default: process.env.PAYRAIL_CLIENT_ID },
    'signing-key': { type: 'string', default: process.env.PAYRAIL_SIGNING_KEY },
    'encryption-key': { type: 'string', default: process.env.PAYRAIL_ENCRYPTION_KEY },
    account: { type: 'string', default: process.env.PAYRAIL_ACCOUNT },
    'account-currency': { type: 'string', default: process.env.PAYRAIL_ACCOUNT_CURRENCY ?? 'SGD' },
    endpoint: { type: 'string', default: '/v1/payment-batches' },
    body: { type: 'string' },
  },
});

function required(name: keyof typeof args): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '') throw new Error(`--${name} is required (see the top of this file)`);
  return value;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** A sample batch: two FAST payments in SGD from the sender account's `senderAccountCurrency`, dated today in Singapore. */
function sampleBatch(senderAccountId: string, senderAccountCurrency: string) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Singapore' }).format(new Date());
  const ref = Date.now().toString(36).toUpperCase();
  return {
    type: 'FAST',
    paymentDate: today,
    currency: 'SGD',
    senderAccountId,
    senderAccountCurrency,
    payments: [
      { amount: 150000, customerReference: `PAYROLL-${ref}-1`, receiver: { name: 'Tan Ah Kow', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789' } },
      { amount: 98000, customerReference: `PAYROLL-${ref}-2`, receiver: { name: 'Siti Binte Ali', bank: 'UOVBSGSGXXX', bankAccountNumber: '987654321' } },
    ],
  };
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

const base = args.url!.replace(/\/+$/, '');
const clientId = required('client-id');
const signingJwk = readJson(required('signing-key')) as JWK;
const encryptionJwk = readJson(required('encryption-key')) as JWK;
const signingKey = await importJWK(signingJwk, signingJwk.alg);
const decryptionKey = await importJWK(encryptionJwk, encryptionJwk.alg);

// 1. Discovery.
const metadata = await getJson(`${base}/.well-known/oauth-authorization-server`);
const gatewayJwks = (await getJson(String(metadata.jwks_uri))) as { keys: JWK[] };

// 2. private_key_jwt: iss = sub = client id, aud = the token endpoint, short-lived, unique jti.
const tokenEndpoint = String(metadata.token_endpoint);
const assertion = await new SignJWT({})
  .setProtectedHeader({ alg: signingJwk.alg!, kid: signingJwk.kid })
  .setIssuer(clientId)
  .setSubject(clientId)
  .setAudience(tokenEndpoint)
  .setIssuedAt()
  .setExpirationTime('60s')
  .setJti(randomUUID())
  .sign(signingKey);
const tokenRes = await fetch(tokenEndpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }),
});
if (!tokenRes.ok) throw new Error(`token request: ${tokenRes.status} ${await tokenRes.text()}`);
const { access_token: accessToken } = (await tokenRes.json()) as { access_token: string };

// 3. Sign, then encrypt to the gateway (its P-256 key with ECDH-ES+A256KW, or its RSA key).
const body = args.body ? readJson(args.body) : sampleBatch(required('account'), required('account-currency'));
const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
  .setProtectedHeader({ alg: signingJwk.alg!, kid: signingJwk.kid, cty: 'json' })
  .sign(signingKey);
const gatewayKey = gatewayJwks.keys.find((k) => k.use === 'enc' && k.kty === 'EC') ?? gatewayJwks.keys.find((k) => k.use === 'enc');
if (!gatewayKey) throw new Error('the gateway publishes no encryption key');
const jweAlg = gatewayKey.kty === 'EC' ? 'ECDH-ES+A256KW' : 'RSA-OAEP-256';
const jwe = await new CompactEncrypt(new TextEncoder().encode(jws))
  .setProtectedHeader({ alg: jweAlg, enc: 'A256GCM', kid: gatewayKey.kid, cty: 'JOSE' })
  .encrypt(await importJWK(gatewayKey, jweAlg));

const res = await fetch(`${base}${args.endpoint}`, {
  method: 'POST',
  headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/jose', accept: 'application/jose', 'idempotency-key': randomUUID() },
  body: jwe,
});

// 4. Decrypt with our key, verify the gateway's signature against its published keys.
const text = await res.text();
let answer: unknown = text;
if (res.headers.get('content-type')?.startsWith('application/jose')) {
  const { plaintext } = await compactDecrypt(text, decryptionKey, { keyManagementAlgorithms: [encryptionJwk.alg!], contentEncryptionAlgorithms: ['A256GCM'] });
  const { payload } = await compactVerify(new TextDecoder().decode(plaintext), createLocalJWKSet(gatewayJwks), { algorithms: ['ES256'] });
  answer = JSON.parse(new TextDecoder().decode(payload));
} else if (res.headers.get('content-type')?.includes('json')) {
  answer = JSON.parse(text);
}
console.log(JSON.stringify({ status: res.status, body: answer }, null, 2));
if (!res.ok) process.exitCode = 1;
