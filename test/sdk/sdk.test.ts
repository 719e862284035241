// The SDK against a real payrail listening on 127.0.0.1, on SQLite and PostgreSQL: payments and
// batches created, read, listed page by page and iterated; typed problems; an idempotent retry
// after a lost answer; a 429 waited out as Retry-After says; the token fetched once, renewed
// before it expires and after the server refuses it; a client that must encrypt; webhooks from
// the sandbox bank verified with Payrail.webhooks.verify.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { validateClientJwks } from '../../src/jose/client-keys.ts';
import { OPENAPI_TS } from '../../sdk/scripts/generate-types.ts';
import { generateTypes } from '../../sdk/scripts/openapi-to-ts.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startReceiver } from '../webhooks/receiver.ts';
import type { Receiver } from '../webhooks/receiver.ts';
import {
  Payrail,
  PayrailError,
  PayrailInvalidRequestError,
  PayrailAuthenticationError,
  PayrailNotFoundError,
  PayrailPermissionError,
  PayrailRateLimitError,
  WebhookVerificationError,
} from '../../sdk/src/index.ts';
import { SG_ACCOUNT, fastPayment, recordingFetch, startSdkServer, todayInSingapore } from './server.ts';
import type { Exchange, SdkServer } from './server.ts';

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

    // The document does not depend on the database: checked once, on SQLite.
    if (kind.name === 'sqlite') {
      it("sdk/src/openapi.ts is what the generator makes of this payrail's OpenAPI document (else: node --import tsx sdk/scripts/generate-types.ts)", async () => {
        const expected = await generateTypes(server.app.payrail.http.swagger() as Parameters<typeof generateTypes>[0], OPENAPI_TS);
        assert.ok(readFileSync(OPENAPI_TS, 'utf8') === expected, 'sdk/src/openapi.ts differs from what the generator makes of the current API');
      });
    }

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

    it('a wrong secret is PayrailAuthenticationError invalid_client; a missing scope is PayrailPermissionError; concurrent creates with one key make one payment', async () => {
      const { payrail, clientId } = await server.client({ scopes: ['payments:read', 'payments:write'] });
      const wrong = new Payrail({ baseUrl: server.url, clientId, clientSecret: 'not-the-secret' });
      const refused = await wrong.payments.list().catch((e: unknown) => e);
      assert.ok(refused instanceof PayrailAuthenticationError, `a PayrailAuthenticationError, got ${String(refused)}`);
      assert.deepEqual({ status: refused.status, code: refused.code }, { status: 401, code: 'invalid_client' });

      const forbidden = await payrail.accounts.create(SG_ACCOUNT).catch((e: unknown) => e);
      assert.ok(forbidden instanceof PayrailPermissionError, `a PayrailPermissionError, got ${String(forbidden)}`);
      assert.equal(forbidden.code, 'INSUFFICIENT_SCOPE');

      const accountId = (await server.app.payrail.services.accounts.create(clientId, SG_ACCOUNT)).id;
      const body = fastPayment(accountId, 'SDK-SAME-KEY');
      // One may find the other still running (409 IDEMPOTENCY_KEY_IN_USE, retried) or done (replayed).
      const [a, b] = await Promise.all([
        payrail.payments.create(body, { idempotencyKey: 'same-key' }),
        payrail.payments.create(body, { idempotencyKey: 'same-key' }),
      ]);
      assert.equal(a.id, b.id, 'the same payment');
      assert.equal((await payrail.payments.list({ customerReference: 'SDK-SAME-KEY' })).data.length, 1, 'one payment');
    });

    it('validates a payment and a batch without creating them, and refuses what create refuses with the same problem', async () => {
      const { payrail, exchanges } = await server.client();
      const account = await payrail.accounts.create(SG_ACCOUNT);
      const checked = await payrail.payments.validate(fastPayment(account.id, 'SDK-DRY-1'));
      assert.equal(checked.valid, true);
      assert.deepEqual({ count: checked.summary.count, total: checked.summary.totalAmount }, { count: 1, total: 20000 }, 'the summary');
      const batch = {
        type: 'FAST' as const,
        paymentDate: todayInSingapore(),
        senderAccountId: account.id,
        currency: 'SGD',
        payments: [1, 2].map((i) => ({
          amount: 500,
          customerReference: `SDK-DRY-B${i}`,
          receiver: { name: 'Siti', bank: 'UOVBSGSGXXX', bankAccountNumber: '987654321' },
        })),
      };
      const checkedBatch = await payrail.paymentBatches.validate(batch);
      assert.deepEqual(
        { valid: checkedBatch.valid, date: checkedBatch.paymentDate, total: checkedBatch.summary.totalAmount },
        { valid: true, date: batch.paymentDate, total: 1000 },
      );
      assert.equal(exchanges.filter((e) => e.path.endsWith('/validate')).length, 2, 'the dry-run routes were called');
      assert.equal((await payrail.payments.list()).data.length, 0, 'no payment was created');
      // The references are not used up: creating with them works.
      const created = await payrail.paymentBatches.create(batch);
      assert.equal(created.summary.count, 2);

      const bad = { ...batch, payments: [{ ...batch.payments[0]!, receiver: { name: 'X', bank: 'NOT A BIC', bankAccountNumber: '1' } }] };
      const dry = await payrail.paymentBatches.validate(bad).catch((e: unknown) => e);
      const real = await payrail.paymentBatches.create(bad).catch((e: unknown) => e);
      assert.ok(dry instanceof PayrailInvalidRequestError && real instanceof PayrailInvalidRequestError, 'both refused as invalid requests');
      assert.deepEqual(dry.errors, real.errors, 'with the same field errors');
      assert.ok(
        dry.errors.some((e) => e.path === 'payments[0].receiver.bank'),
        `the path: ${JSON.stringify(dry.errors)}`,
      );
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

    it('the same, over a real connection: a proxy on 127.0.0.1 cuts the first create after payrail has answered it', async () => {
      let cut: string | undefined;
      const upstream = new URL(server.url);
      const proxy = createServer((req, res) => {
        const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () => {
            if (cut === undefined && req.method === 'POST' && req.url === '/v1/payments') {
              cut = String(req.headers['idempotency-key']);
              req.socket.destroy(); // payrail has done it; the client hears nothing
              return;
            }
            res.writeHead(answer.statusCode!, answer.headers).end(Buffer.concat(chunks));
          });
        });
        req.pipe(forward);
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      try {
        const { clientId, secret } = await server.app.createClient();
        const exchanges: Exchange[] = [];
        const payrail = new Payrail({
          baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
          clientId,
          clientSecret: secret,
          retry: { initialDelayMs: 10 },
          fetch: recordingFetch(exchanges),
        });
        const accountId = (await server.app.payrail.services.accounts.create(clientId, SG_ACCOUNT)).id;
        const payment = await payrail.payments.create(fastPayment(accountId, 'SDK-CUT-1'));
        assert.match(cut ?? '', /./, 'the first attempt was cut');
        const answered = exchanges.filter((e) => e.method === 'POST' && e.path === '/v1/payments');
        assert.deepEqual(
          answered.map((e) => [e.headers.get('idempotency-key'), e.responseHeaders.get('idempotent-replayed')]),
          [[cut, 'true']],
          'the retry carried the same key and got the replay',
        );
        assert.deepEqual(
          (await payrail.payments.list({ customerReference: 'SDK-CUT-1' })).data.map((p) => p.id),
          [payment.id],
          'one payment',
        );
      } finally {
        proxy.closeAllConnections();
        await new Promise((r) => proxy.close(r));
      }
    });

    it('waits out a 429 as long as Retry-After says, then succeeds; with no retries left it throws PayrailRateLimitError', async () => {
      // Retries enough for a sliding window that may refuse a retry too.
      const { payrail, exchanges } = await server.client({ unlimited: false }, { maxRetries: 5 });
      const account = await payrail.accounts.create(SG_ACCOUNT);
      // The seed's payments limit is 2 per second: the third of three at once is refused.
      const created = await Promise.all([1, 2, 3].map((n) => payrail.payments.create(fastPayment(account.id, `SDK-RL-${n}`))));
      assert.equal(new Set(created.map((p) => p.id)).size, 3, 'three payments');
      const refused = exchanges.find((e) => e.status === 429);
      assert.ok(refused, 'one attempt was refused with 429');
      const attempts = exchanges.filter((e) => e.headers.get('idempotency-key') === refused.headers.get('idempotency-key'));
      assert.equal(attempts.at(-1)!.status, 202, 'the same request was sent again until accepted');
      for (const [i, attempt] of attempts.entries()) {
        if (attempt.status !== 429) continue;
        const wait = Number(attempt.responseHeaders.get('retry-after')) * 1000;
        assert.ok(wait >= 1000, `Retry-After is given (${wait} ms)`);
        // `at` is when an answer arrived; the next attempt was sent at least `wait` after this one's.
        const gap = attempts[i + 1]!.at - attempt.at;
        assert.ok(gap >= wait, `retried ${gap} ms after the 429 (Retry-After ${wait} ms)`);
      }

      const burst = await Promise.allSettled([4, 5, 6].map((n) => payrail.payments.create(fastPayment(account.id, `SDK-RL-${n}`), { maxRetries: 0 })));
      const rejected = burst.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
      assert.ok(rejected.length >= 1, 'without retries, a refusal reaches the caller');
      const limited = rejected[0];
      assert.ok(limited instanceof PayrailRateLimitError, `a PayrailRateLimitError, got ${String(limited)}`);
      assert.equal(limited.code, 'RATE_LIMITED');
      assert.ok((limited.retryAfter ?? 0) >= 1, 'retryAfter in seconds');
    });

    it('a client that must encrypt (and authenticates with private_key_jwt): bodies go signed and encrypted, answers and problems are opened', async () => {
      const sig = await generateKeyPair('ES256', { extractable: true });
      const enc = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
      const jwk = async (key: CryptoKey, use: 'sig' | 'enc', alg: string) => ({ ...(await exportJWK(key)), kid: `sdk-${use}`, use, alg });
      const { payrail: plain, clientId } = await server.client();
      const valid = validateClientJwks({ keys: [await jwk(sig.publicKey, 'sig', 'ES256'), await jwk(enc.publicKey, 'enc', 'ECDH-ES+A256KW')] });
      assert.ok(valid.ok, 'the JWKS registers');
      await server.app.payrail.services.clients.setKeys(clientId, valid.jwks, 'operator');
      await server.app.payrail.services.clients.setRequireEncryption(clientId, true);

      const refused = await plain.accounts.create(SG_ACCOUNT).catch((e: unknown) => e);
      assert.ok(refused instanceof PayrailError && refused.code === 'ENCRYPTION_REQUIRED', `plain JSON is refused: ${String(refused)}`);

      const exchanges: { path: string; headers: Headers; responseHeaders: Headers }[] = [];
      const payrail = new Payrail({
        baseUrl: server.url,
        clientId,
        clientAssertionKey: await jwk(sig.privateKey, 'sig', 'ES256'),
        encryption: { signingKey: await jwk(sig.privateKey, 'sig', 'ES256'), decryptionKey: await jwk(enc.privateKey, 'enc', 'ECDH-ES+A256KW') },
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          exchanges.push({ path: new URL(String(input)).pathname, headers: new Headers(init?.headers), responseHeaders: res.headers });
          return res;
        },
      });
      const account = await payrail.accounts.create(SG_ACCOUNT);
      assert.match(account.id, /^intacct_/, 'the account was created from a JOSE body');
      assert.equal(tokenCalls(exchanges), 1, 'a token from a signed client assertion');
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
