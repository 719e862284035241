// The SDK against a real payrail listening on 127.0.0.1, on SQLite and PostgreSQL: payments and
// batches created, read, listed page by page and iterated; typed problems; an idempotent retry
// after a lost answer; a 429 waited out as Retry-After says; the token fetched once, renewed
// before it expires and after the server refuses it; a client that must encrypt; webhooks from
// the sandbox bank verified with Payrail.webhooks.verify.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { validateClientJwks } from '../../src/jose/client-keys.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startReceiver } from '../webhooks/receiver.ts';
import type { Receiver } from '../webhooks/receiver.ts';
import {
  Payrail,
  PayrailError,
  PayrailInvalidRequestError,
  PayrailNotFoundError,
  PayrailRateLimitError,
  WebhookVerificationError,
} from '../../sdk/src/index.ts';
import { SG_ACCOUNT, fastPayment, startSdkServer, todayInSingapore } from './server.ts';
import type { SdkServer } from './server.ts';

const tokenCalls = (exchanges: { path: string }[]) => exchanges.filter((e) => e.path === '/v1.0/auth').length;

for (const kind of databaseKinds()) {
  describe(`@payrail/sdk against a listening payrail (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let server: SdkServer;
    const receivers: Receiver[] = [];

    before(async () => {
      db = await kind.create();
      server = await startSdkServer(db);
    });
    after(async () => {
      for (const r of receivers) await r.close();
      await server?.close();
      await db?.drop();
    });

    it('creates, gets, lists and iterates payments; the token is fetched once for concurrent calls', async () => {
      const { payrail, exchanges } = await server.client();
      await Promise.all([payrail.accounts.list(), payrail.payments.list(), payrail.paymentBatches.list(), payrail.events.list()]);
      assert.equal(tokenCalls(exchanges), 1, 'four concurrent first calls shared one token request');
      const account = await payrail.accounts.create(SG_ACCOUNT);
      assert.match(account.id, /^intacct_/, 'an account id');
      const created = await Promise.all([1, 2, 3, 4, 5].map((n) => payrail.payments.create(fastPayment(account.id, `SDK-P-${n}`))));
      assert.equal(tokenCalls(exchanges), 1, 'and every later call');
      assert.equal(created[0]!.status, 'PROCESSING', 'a new payment is PROCESSING');
      const got = await payrail.payments.get(created[0]!.id);
      assert.deepEqual({ id: got.id, amount: got.amount, ref: got.customerReference }, { id: created[0]!.id, amount: 20000, ref: 'SDK-P-1' });

      const page = await payrail.payments.list({ limit: 2 });
      assert.equal(page.data.length, 2, 'one page of 2');
      assert.equal(page.hasMore, true, 'more pages');
      const second = await page.nextPage();
      assert.equal(second?.data.length, 2, 'the next page');
      assert.notEqual(second?.data[0]?.id, page.data[1]?.id, 'pages do not overlap');

      const ids: string[] = [];
      for await (const p of payrail.payments.list({ limit: 2 })) ids.push(p.id);
      assert.deepEqual(
        ids,
        created
          .map((p) => p.id)
          .sort()
          .reverse(),
        'every payment, newest first, over three pages',
      );
      assert.equal(exchanges.filter((e) => e.path.startsWith('/v1/payments?limit=2')).length, 5, '2 + 3 page requests');
      const byReference = await payrail.payments.list({ customerReference: 'SDK-P-3' });
      assert.deepEqual(
        byReference.data.map((p) => p.id),
        [created[2]!.id],
        'filters pass through',
      );
      assert.ok(
        exchanges
          .filter((e) => e.method === 'POST' && e.path === '/v1/payments')
          .every((e) => /^[\x21-\x7e]{1,255}$/.test(e.headers.get('idempotency-key') ?? '')),
        'every create carried an Idempotency-Key',
      );
    });

    it('creates, gets, lists and iterates batches', async () => {
      const { payrail } = await server.client();
      const account = await payrail.accounts.create(SG_ACCOUNT);
      const batchOf = (n: number) => ({
        type: 'FAST' as const,
        paymentDate: todayInSingapore(),
        senderAccountId: account.id,
        currency: 'SGD',
        payments: [1, 2, 3].map((i) => ({
          amount: 1000 * i,
          customerReference: `SDK-B${n}-${i}`,
          receiver: { name: 'Siti', bank: 'UOVBSGSGXXX', bankAccountNumber: `98765432${i}` },
        })),
      });
      const batches = [
        await payrail.paymentBatches.create(batchOf(1)),
        await payrail.paymentBatches.create(batchOf(2)),
        await payrail.paymentBatches.create(batchOf(3)),
      ];
      assert.deepEqual(batches[0]!.summary, { count: 3, totalAmount: 6000, processing: 3, submitted: 0, completed: 0, failed: 0 }, 'the summary');
      const got = await payrail.paymentBatches.get(batches[1]!.id);
      assert.equal(got.payments.length, 3, 'get has the payments');
      const first = await payrail.paymentBatches.list({ limit: 1 });
      assert.deepEqual(
        first.data.map((b) => b.id),
        [batches[2]!.id],
        'newest first',
      );
      const all: string[] = [];
      for await (const b of payrail.paymentBatches.list({ limit: 2 })) all.push(b.id);
      assert.deepEqual(all, batches.map((b) => b.id).reverse(), 'iteration over two pages');
      let inBatch = 0;
      for await (const p of payrail.payments.list({ batchId: batches[0]!.id })) inBatch += p.batchId === batches[0]!.id ? 1 : 0;
      assert.equal(inBatch, 3, "a batch's payments are listed with the payments");
    });

    it('throws typed problems: every field error with its path and code, 404 for an unknown id; nothing created', async () => {
      const { payrail } = await server.client();
      const account = await payrail.accounts.create(SG_ACCOUNT);
      const bad = {
        type: 'FAST' as const,
        paymentDate: todayInSingapore(),
        senderAccountId: account.id,
        currency: 'SGD',
        payments: [
          { amount: 100, customerReference: 'SDK-E-1', receiver: { name: 'A', bank: 'DBSSSGSGXXX', bankAccountNumber: '1234567' } },
          { amount: 100, customerReference: 'SDK-E-2', receiver: { name: 'B', bank: 'NOT A BIC', bankAccountNumber: '1234567' } },
        ],
      };
      const err = await payrail.paymentBatches.create(bad).then(
        () => assert.fail('an invalid batch must be refused'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof PayrailInvalidRequestError && err instanceof PayrailError, `a PayrailInvalidRequestError, got ${String(err)}`);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'VALIDATION_FAILED');
      assert.equal(err.type, 'invalid_request');
      assert.ok(
        err.errors.some((e) => e.path === 'payments[1].receiver.bank'),
        `the field's path: ${JSON.stringify(err.errors)}`,
      );
      assert.equal(err.problem?.status, 400, 'the RFC 9457 body');
      assert.match(err.requestId ?? '', /./, 'the request id');
      assert.equal((await payrail.paymentBatches.list()).data.length, 0, 'no batch was created');

      const missing = await payrail.payments.get('pymt_01JC9Z6Q8W4M2X1A7B3C5D9E0F').catch((e: unknown) => e);
      assert.ok(missing instanceof PayrailNotFoundError, 'a PayrailNotFoundError');
      assert.equal(missing.code, 'NOT_FOUND');
    });

    it('retries a create whose answer was lost with the same Idempotency-Key: one payment, the replayed answer', async () => {
      let droppedKey: string | null | undefined;
      // The request reaches payrail and is done there; its answer never reaches the caller.
      const losingFetch: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (droppedKey === undefined && init?.method === 'POST' && String(input).endsWith('/v1/payments')) {
          droppedKey = new Headers(init.headers).get('idempotency-key');
          assert.equal(res.status, 202, 'the first attempt was accepted');
          await res.arrayBuffer();
          throw new TypeError('fetch failed (the connection dropped before the answer)');
        }
        return res;
      };
      const { payrail, exchanges } = await server.client({}, { fetch: losingFetch, retry: { initialDelayMs: 10 } });
      const account = await payrail.accounts.create(SG_ACCOUNT);
      const payment = await payrail.payments.create(fastPayment(account.id, 'SDK-IDEM-1'));
      const answered = exchanges.filter((e) => e.method === 'POST' && e.path === '/v1/payments');
      assert.equal(answered.length, 1, 'sent again once');
      assert.match(droppedKey ?? '', /./, 'the lost attempt had a key');
      assert.equal(answered[0]!.headers.get('idempotency-key'), droppedKey, 'the retry had the same key');
      assert.equal(answered[0]!.responseHeaders.get('idempotent-replayed'), 'true', 'the answer is the first one replayed');
      const listed = await payrail.payments.list({ customerReference: 'SDK-IDEM-1' });
      assert.deepEqual(
        listed.data.map((p) => p.id),
        [payment.id],
        'exactly one payment',
      );
      // A key given by the caller is the one sent.
      await payrail.payments.create(fastPayment(account.id, 'SDK-IDEM-2'), { idempotencyKey: 'payroll-2026-12-run-1' });
      assert.equal(exchanges.at(-1)!.headers.get('idempotency-key'), 'payroll-2026-12-run-1');
    });

    it('waits out a 429 as long as Retry-After says, then succeeds; with no retries left it throws PayrailRateLimitError', async () => {
      const { payrail, exchanges } = await server.client({ unlimited: false });
      const account = await payrail.accounts.create(SG_ACCOUNT);
      // The seed's payments limit is 2 per second: the third of three at once is refused.
      const created = await Promise.all([1, 2, 3].map((n) => payrail.payments.create(fastPayment(account.id, `SDK-RL-${n}`))));
      assert.equal(new Set(created.map((p) => p.id)).size, 3, 'three payments');
      const refused = exchanges.find((e) => e.status === 429);
      assert.ok(refused, 'one attempt was refused with 429');
      const wait = Number(refused.responseHeaders.get('retry-after')) * 1000;
      assert.ok(wait >= 1000, `Retry-After is given (${wait} ms)`);
      const retry = exchanges.find((e) => e !== refused && e.headers.get('idempotency-key') === refused.headers.get('idempotency-key'));
      assert.ok(retry && retry.status === 202, 'the same request was sent again and accepted');
      // `at` is taken when each answer arrived; the retry was sent at least `wait` after the refusal.
      assert.ok(retry.at - refused.at >= wait, `retried ${retry.at - refused.at} ms after the 429 (Retry-After ${wait} ms)`);

      const burst = await Promise.allSettled([4, 5, 6].map((n) => payrail.payments.create(fastPayment(account.id, `SDK-RL-${n}`), { maxRetries: 0 })));
      const rejected = burst.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
      assert.ok(rejected.length >= 1, 'without retries, a refusal reaches the caller');
      const limited = rejected[0];
      assert.ok(limited instanceof PayrailRateLimitError, `a PayrailRateLimitError, got ${String(limited)}`);
      assert.equal(limited.code, 'RATE_LIMITED');
      assert.ok((limited.retryAfter ?? 0) >= 1, 'retryAfter in seconds');
    });

    it('a client that must encrypt: bodies go signed and encrypted, answers and problems are opened', async () => {
      const sig = await generateKeyPair('ES256', { extractable: true });
      const enc = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
      const jwk = async (key: CryptoKey, use: 'sig' | 'enc', alg: string) => ({ ...(await exportJWK(key)), kid: `sdk-${use}`, use, alg });
      const { payrail: plain, clientId, secret } = await server.client();
      const valid = validateClientJwks({ keys: [await jwk(sig.publicKey, 'sig', 'ES256'), await jwk(enc.publicKey, 'enc', 'ECDH-ES+A256KW')] });
      assert.ok(valid.ok, 'the JWKS registers');
      await server.app.payrail.services.clients.setKeys(clientId, valid.jwks, 'operator');
      await server.app.payrail.services.clients.setRequireEncryption(clientId, true);

      const refused = await plain.accounts.create(SG_ACCOUNT).catch((e: unknown) => e);
      assert.ok(refused instanceof PayrailError && refused.code === 'ENCRYPTION_REQUIRED', `plain JSON is refused: ${String(refused)}`);

      const exchanges: { headers: Headers; responseHeaders: Headers }[] = [];
      const payrail = new Payrail({
        baseUrl: server.url,
        clientId,
        clientSecret: secret,
        encryption: { signingKey: await jwk(sig.privateKey, 'sig', 'ES256'), decryptionKey: await jwk(enc.privateKey, 'enc', 'ECDH-ES+A256KW') },
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          exchanges.push({ headers: new Headers(init?.headers), responseHeaders: res.headers });
          return res;
        },
      });
      const account = await payrail.accounts.create(SG_ACCOUNT);
      assert.match(account.id, /^intacct_/, 'the account was created from a JOSE body');
      const payment = await payrail.payments.create(fastPayment(account.id, 'SDK-JOSE-1'));
      assert.equal((await payrail.payments.get(payment.id)).customerReference, 'SDK-JOSE-1', 'a sealed answer, opened');
      assert.equal(exchanges.at(-2)!.headers.get('content-type'), 'application/jose', 'the body went as application/jose');
      assert.equal(exchanges.at(-1)!.responseHeaders.get('content-type'), 'application/jose', 'the answer came sealed');
      const problem = await payrail.payments.create({ ...fastPayment(account.id, 'SDK-JOSE-1') }).catch((e: unknown) => e);
      assert.ok(problem instanceof PayrailInvalidRequestError, `a sealed problem, opened: ${String(problem)}`);
      assert.ok(
        problem.errors.some((e) => e.code === 'DUPLICATE_CUSTOMER_REFERENCE'),
        `its field errors: ${JSON.stringify(problem.errors)}`,
      );
    });

    it("webhooks from the sandbox bank verify with Payrail.webhooks.verify and the endpoint's secret", async () => {
      const { payrail } = await server.client();
      const receiver = await startReceiver();
      receivers.push(receiver);
      const endpoint = await payrail.webhookEndpoints.create({ url: `${receiver.url}/hooks`, events: ['payments.succeeded', 'payments.failed'] });
      assert.match(endpoint.secret, /^whsec_/, 'the secret, shown once');
      const account = await payrail.accounts.create(SG_ACCOUNT);
      await payrail.payments.create(fastPayment(account.id, 'SDK-WH-OK'));
      await payrail.payments.create(fastPayment(account.id, 'SDK-WH-FAIL', '000000000'));
      for (let i = 0; i < 6 && receiver.received.length < 2; i++) await server.step();
      assert.equal(receiver.received.length, 2, 'two deliveries');
      const now = Date.now() + server.skew;
      const types = receiver.received.map((r) => Payrail.webhooks.verify(r.headers, r.raw, endpoint.secret, { now }).type).sort();
      assert.deepEqual(types, ['payments.failed', 'payments.succeeded']);
      const event = Payrail.webhooks.verify(receiver.received[0]!.headers, receiver.received[0]!.raw, endpoint.secret, { now });
      assert.deepEqual(await payrail.events.get(event.id), event, 'the delivered event is the one GET /v1/events/{id} shows');

      const tampered = receiver.received[0]!.raw.replace('"payments.', '"payment.');
      assert.throws(() => Payrail.webhooks.verify(receiver.received[0]!.headers, tampered, endpoint.secret, { now }), WebhookVerificationError);
      const rotated = await payrail.webhookEndpoints.rotateSecret(endpoint.id);
      assert.throws(
        () => Payrail.webhooks.verify(receiver.received[0]!.headers, receiver.received[0]!.raw, rotated.secret, { now }),
        (e: unknown) => e instanceof WebhookVerificationError && e.code === 'WEBHOOK_SIGNATURE_INVALID',
      );
    });

    // Last: it moves the server's clock far ahead.
    it('renews the token before it expires, and once when the server refuses it as expired', async () => {
      let sdkSkew = 0;
      const { payrail, exchanges } = await server.client({}, { now: () => Date.now() + sdkSkew });
      await payrail.accounts.list();
      assert.equal(tokenCalls(exchanges), 1, 'one token');
      sdkSkew = 14 * 60_000 + 30_000; // 30 s before the 15-minute token expires: renewed first
      await payrail.accounts.list();
      assert.equal(tokenCalls(exchanges), 2, 'renewed before expiry');
      assert.ok(
        exchanges.every((e) => e.status !== 401),
        'no call was refused',
      );

      server.skew += 16 * 60_000; // the server sees the token as expired; the SDK does not know
      const before = exchanges.length;
      const page = await payrail.accounts.list();
      assert.equal(page.data.length, 0, 'the call succeeded');
      assert.deepEqual(
        exchanges.slice(before).map((e) => `${e.path.split('?')[0]} ${e.status}`),
        ['/v1/accounts 401', '/v1.0/auth 200', '/v1/accounts 200'],
        'refused, renewed once, sent again',
      );
    });
  });
}
