// A payrail client speaking message-level security, end to end, with @payrail/sdk:
//
//   1. gets an access token with private_key_jwt (RFC 7523): a JWT signed by its signing key
//      (the SDK reads the token endpoint from the server's RFC 8414 metadata);
//   2. signs a payment batch (JWS, its signing key) and encrypts it to the gateway's encryption
//      key from /.well-known/jwks.json (JWE, A256GCM), and POSTs it as `application/jose`;
//   3. decrypts the answer with its encryption key and verifies the gateway's signature.
//
// The SDK does all three when given the keys (`clientAssertionKey`, `encryption`); what goes over
// the wire is described in the README's "Message-level security (JOSE)".
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
// --body payment.json` sends any JSON body to any API route the same way. It prints
// `{"status": …, "body": …}` (the problem, for an error; exit code 1).
// (Your code imports '@payrail/sdk'; these examples import the workspace's sources by path so that
// they run from any checkout of this repository.)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { Payrail, PayrailError } from '../sdk/src/index.ts';

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
    type: 'FAST' as const,
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

const signingKey = readJson(required('signing-key')) as JWK;
const payrail = new Payrail({
  baseUrl: args.url!,
  clientId: required('client-id'),
  clientAssertionKey: signingKey,
  encryption: { signingKey, decryptionKey: readJson(required('encryption-key')) as JWK },
});

const body = args.body ? readJson(args.body) : sampleBatch(required('account'), required('account-currency'));
try {
  // Any route: the resources' own methods (payrail.paymentBatches.create(body)) go the same way.
  const answer = await payrail.core.requestWithResponse({ method: 'POST', path: args.endpoint!, body, idempotent: true });
  console.log(JSON.stringify({ status: answer.status, body: answer.data }, null, 2));
} catch (err) {
  if (!(err instanceof PayrailError) || err.status === undefined) throw err;
  console.log(JSON.stringify({ status: err.status, body: err.problem ?? { code: err.code, message: err.message } }, null, 2));
  process.exitCode = 1;
}
