// application/jose request bodies and encrypted answers through the API: the round trip, and
// every refusal (algorithm, key, tampering, encryption required).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { JOSE, bodyOf, clientKeys, encrypt, gatewayEncryptionKey, gatewayJwks, joseClient, keyPair, openResponse, rsa15Jwe, sealRequest, sign } from './kit.ts';

const ACCOUNT = { name: 'Operating SGD', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] };

for (const kind of databaseKinds()) {
  describe(`application/jose requests and answers (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let gateway: { keys: JWK[] };
    let client: Awaited<ReturnType<typeof joseClient>>;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db);
      gateway = await gatewayJwks(app);
      client = await joseClient(app);
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, headers: { ...client.auth, ...JOSE, ...headers }, payload });

    async function assertProblem(res: LightMyRequestResponse, status: number, code: string) {
      assert.equal(res.statusCode, status, res.body);
      const body = await bodyOf(res, client.enc, gateway);
      assert.equal(body.code, code, JSON.stringify(body));
      return body;
    }

    it('round trip: a signed, encrypted account request gets a signed, encrypted 201 the client opens', async () => {
      const res = await post('/v1/accounts', await sealRequest(ACCOUNT, client.sig, gateway));
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.headers['content-type'], 'application/jose');
      assert.equal(res.body.split('.').length, 5, 'a compact JWE');
      const { body, jweHeader, jwsHeader } = await openResponse(res.body, client.enc, gateway);
      assert.match(String(body.id), /^intacct_/);
      assert.equal(body.name, ACCOUNT.name);
      assert.deepEqual({ alg: jweHeader.alg, enc: jweHeader.enc, kid: jweHeader.kid }, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: client.enc.kid });
      const signingKey = gateway.keys.find((k) => k.use === 'sig');
      assert.deepEqual({ alg: jwsHeader.alg, kid: jwsHeader.kid, cty: jwsHeader.cty }, { alg: 'ES256', kid: signingKey?.kid, cty: 'json' });
      // Stored like any account: a plain GET by the same client sees it.
      const plain = await app.inject({ method: 'GET', url: `/v1/accounts/${String(body.id)}`, headers: client.auth });
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.json().accountNumber, ACCOUNT.accountNumber);
    });

    it('round trip: a payment sent as JOSE is created (202) and answered encrypted', async () => {
      const account = await app.payrail.services.accounts.create(client.clientId, ACCOUNT);
      const payment = {
        type: 'FAST',
        amount: 20000,
        currency: 'SGD',
        senderAccountId: account.id,
        customerReference: 'JOSE-1',
        receiver: { name: 'Donut Shop', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789' },
      };
      const res = await post('/v1/payments', await sealRequest(payment, client.sig, gateway), { 'idempotency-key': 'jose-payment-1' });
      assert.equal(res.statusCode, 202, res.body);
      const { body } = await openResponse(res.body, client.enc, gateway);
      assert.match(String(body.id), /^pymt_/);
      assert.equal(body.amount, 20000);
      assert.equal(body.status, 'PROCESSING');
      // The idempotent replay is sealed the same way.
      const replay = await post('/v1/payments', await sealRequest(payment, client.sig, gateway), { 'idempotency-key': 'jose-payment-1' });
      assert.equal(replay.statusCode, 202);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal((await openResponse(replay.body, client.enc, gateway)).body.id, body.id);
    });

    it('RSA keys both ways: RSA-OAEP-256 to the gateway, PS256 signature, answer to an RSA-OAEP-256 client key', async () => {
      const rsa = await joseClient(app, { sig: 'PS256', enc: 'RSA-OAEP-256' });
      const res = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: { ...rsa.auth, ...JOSE },
        payload: await sealRequest(ACCOUNT, rsa.sig, gateway, 'RSA-OAEP-256'),
      });
      assert.equal(res.statusCode, 201, res.body);
      const { body, jweHeader } = await openResponse(res.body, rsa.enc, gateway);
      assert.equal(jweHeader.alg, 'RSA-OAEP-256');
      assert.equal(body.name, ACCOUNT.name);
    });

    it('ECDH-ES (direct key agreement) is accepted too', async () => {
      const res = await post('/v1/accounts', await sealRequest(ACCOUNT, client.sig, gateway, 'ECDH-ES'));
      assert.equal(res.statusCode, 201, res.body);
    });

    it('the decrypted body goes through the route schema: an unknown field is VALIDATION_FAILED (answered encrypted)', async () => {
      const res = await post('/v1/accounts', await sealRequest({ ...ACCOUNT, extra: 1 }, client.sig, gateway));
      assert.equal(res.headers['content-type'], 'application/jose');
      assert.equal((await openResponse(res.body, client.enc, gateway)).jwsHeader.cty, 'problem+json');
      const problem = await assertProblem(res, 400, 'VALIDATION_FAILED');
      assert.deepEqual(problem.errors, [{ path: 'extra', code: 'UNKNOWN_FIELD', message: (problem.errors as { message: string }[])[0]!.message }]);
    });

    it('a signed payload that is not JSON is INVALID_JSON', async () => {
      await assertProblem(
        await post('/v1/accounts', await encrypt(await sign('{"name":', client.sig), gatewayEncryptionKey(gateway, 'ECDH-ES+A256KW'), 'ECDH-ES+A256KW')),
        400,
        'INVALID_JSON',
      );
    });

    it('the signed JSON is parsed like plain JSON: __proto__ keys are refused', async () => {
      const poisoned = '{"name":"x","bank":"DBSSSGSGXXX","accountNumber":"1","currencies":["SGD"],"__proto__":{"admin":true}}';
      const plain = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: { ...client.auth, 'content-type': 'application/json' },
        payload: poisoned,
      });
      assert.equal(plain.statusCode, 400);
      await assertProblem(
        await post('/v1/accounts', await encrypt(await sign(poisoned, client.sig), gatewayEncryptionKey(gateway, 'ECDH-ES'), 'ECDH-ES')),
        400,
        plain.json().code,
      );
    });

    it('Accept: application/jose on a GET gets an encrypted answer', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/accounts', headers: { ...client.auth, accept: 'application/jose' } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/jose');
      const { body } = await openResponse(res.body, client.enc, gateway);
      assert.ok(Array.isArray(body.data));
    });

    describe('refusals', () => {
      it('RSA1_5 key management is 400 JOSE_ALGORITHM_NOT_ALLOWED', async () => {
        const jwe = rsa15Jwe(await sign(ACCOUNT, client.sig), gatewayEncryptionKey(gateway, 'RSA-OAEP-256'));
        const problem = await assertProblem(await post('/v1/accounts', jwe), 400, 'JOSE_ALGORITHM_NOT_ALLOWED');
        assert.match(String(problem.detail), /RSA1_5/);
      });

      it('A128CBC-HS256 content encryption is 400 JOSE_ALGORITHM_NOT_ALLOWED', async () => {
        const jwe = await encrypt(await sign(ACCOUNT, client.sig), gatewayEncryptionKey(gateway, 'RSA-OAEP-256'), 'RSA-OAEP-256', { enc: 'A128CBC-HS256' });
        const problem = await assertProblem(await post('/v1/accounts', jwe), 400, 'JOSE_ALGORITHM_NOT_ALLOWED');
        assert.match(String(problem.detail), /A128CBC-HS256/);
      });

      it('PBES2 key management is 400 JOSE_ALGORITHM_NOT_ALLOWED', async () => {
        const jwe = await encrypt(
          await sign(ACCOUNT, client.sig),
          { kty: 'oct', k: Buffer.from('a shared password').toString('base64url') },
          'PBES2-HS256+A128KW',
        );
        await assertProblem(await post('/v1/accounts', jwe), 400, 'JOSE_ALGORITHM_NOT_ALLOWED');
      });

      it('alg: none inside is 400 JOSE_ALGORITHM_NOT_ALLOWED', async () => {
        const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(ACCOUNT)).toString('base64url')}.`;
        const problem = await assertProblem(
          await post('/v1/accounts', await encrypt(unsigned, gatewayEncryptionKey(gateway, 'ECDH-ES'), 'ECDH-ES')),
          400,
          'JOSE_ALGORITHM_NOT_ALLOWED',
        );
        assert.match(String(problem.detail), /none/);
      });

      it('an HMAC signature inside (HS256 with a guessable key) is 400 JOSE_ALGORITHM_NOT_ALLOWED', async () => {
        const { CompactSign } = await import('jose');
        const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(ACCOUNT)))
          .setProtectedHeader({ alg: 'HS256', kid: client.sig.kid })
          .sign(new TextEncoder().encode(JSON.stringify(client.sig.publicJwk)));
        await assertProblem(
          await post('/v1/accounts', await encrypt(jws, gatewayEncryptionKey(gateway, 'ECDH-ES'), 'ECDH-ES')),
          400,
          'JOSE_ALGORITHM_NOT_ALLOWED',
        );
      });

      it('a JWE to a key that is not the gateway’s is 400 JWE_INVALID', async () => {
        const stranger = await keyPair('enc', 'ECDH-ES+A256KW');
        const jwe = await encrypt(await sign(ACCOUNT, client.sig), stranger.publicJwk, 'ECDH-ES+A256KW');
        await assertProblem(await post('/v1/accounts', jwe), 400, 'JWE_INVALID');
        // The same stranger key with the gateway's kid: decryption fails all the same.
        const spoofed = await encrypt(
          await sign(ACCOUNT, client.sig),
          { ...stranger.publicJwk, kid: gatewayEncryptionKey(gateway, 'ECDH-ES').kid },
          'ECDH-ES+A256KW',
        );
        await assertProblem(await post('/v1/accounts', spoofed), 400, 'JWE_INVALID');
      });

      it('a JWS by a key the client did not register is 401 JWS_INVALID', async () => {
        const other = await keyPair('sig', 'ES256', client.sig.kid);
        await assertProblem(await post('/v1/accounts', await sealRequest(ACCOUNT, other, gateway)), 401, 'JWS_INVALID');
        const unknownKid = await keyPair('sig', 'ES256');
        await assertProblem(await post('/v1/accounts', await sealRequest(ACCOUNT, unknownKid, gateway)), 401, 'JWS_INVALID');
      });

      it('a JWS with an allowed algorithm the client has no key for is 401 JWS_INVALID', async () => {
        const rsa = await keyPair('sig', 'RS256', client.sig.kid);
        await assertProblem(await post('/v1/accounts', await sealRequest(ACCOUNT, rsa, gateway)), 401, 'JWS_INVALID');
      });

      it("another client's signed body under this client's token is 401 JWS_INVALID", async () => {
        const other = await joseClient(app);
        await assertProblem(await post('/v1/accounts', await sealRequest(ACCOUNT, other.sig, gateway)), 401, 'JWS_INVALID');
      });

      it('tampered ciphertext is 400 JWE_INVALID', async () => {
        const parts = (await sealRequest(ACCOUNT, client.sig, gateway)).split('.');
        const ciphertext = Buffer.from(parts[3]!, 'base64url');
        ciphertext[0]! ^= 1;
        parts[3] = ciphertext.toString('base64url');
        await assertProblem(await post('/v1/accounts', parts.join('.')), 400, 'JWE_INVALID');
      });

      it('a tampered protected header (authenticated data) is 400 JWE_INVALID', async () => {
        const parts = (await sealRequest(ACCOUNT, client.sig, gateway)).split('.');
        const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()) as Record<string, unknown>;
        parts[0] = Buffer.from(JSON.stringify({ ...header, cty: 'JWT' })).toString('base64url');
        await assertProblem(await post('/v1/accounts', parts.join('.')), 400, 'JWE_INVALID');
      });

      it('an altered signed payload (re-encrypted) is 401 JWS_INVALID', async () => {
        const [h, , s] = (await sign(ACCOUNT, client.sig)).split('.');
        const forged = `${h}.${Buffer.from(JSON.stringify({ ...ACCOUNT, name: 'Mallory' })).toString('base64url')}.${s}`;
        await assertProblem(await post('/v1/accounts', await encrypt(forged, gatewayEncryptionKey(gateway, 'ECDH-ES'), 'ECDH-ES')), 401, 'JWS_INVALID');
      });

      it('a body that is not a compact JWE is 400 JWE_INVALID', async () => {
        await assertProblem(await post('/v1/accounts', JSON.stringify(ACCOUNT)), 400, 'JWE_INVALID');
        await assertProblem(await post('/v1/accounts', ''), 400, 'JWE_INVALID');
      });

      it('a JOSE body without a token is 401 (nothing is decrypted)', async () => {
        const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers: JOSE, payload: await sealRequest(ACCOUNT, client.sig, gateway) });
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().code, 'UNAUTHENTICATED');
      });

      it('a client with no encryption key cannot be answered: 400 ENCRYPTION_KEY_MISSING', async () => {
        const signOnly = await joseClient(app);
        await app.payrail.services.clients.setKeys(signOnly.clientId, { keys: [signOnly.sig.publicJwk as never] }, 'operator');
        const res = await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: { ...signOnly.auth, ...JOSE },
          payload: await sealRequest(ACCOUNT, signOnly.sig, gateway),
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().code, 'ENCRYPTION_KEY_MISSING');
        const get = await app.inject({ method: 'GET', url: '/v1/accounts', headers: { ...signOnly.auth, accept: 'application/jose' } });
        assert.equal(get.json().code, 'ENCRYPTION_KEY_MISSING');
      });

      it('application/jose is not a token endpoint body', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/v1.0/auth',
          headers: JOSE,
          payload: await sealRequest({ grant_type: 'client_credentials' }, client.sig, gateway),
        });
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().error, 'invalid_request');
      });
    });

    describe('encryption required', () => {
      it('plain JSON bodies are 415 ENCRYPTION_REQUIRED; JOSE bodies and GETs pass', async () => {
        const strict = await joseClient(app);
        await app.payrail.services.clients.setRequireEncryption(strict.clientId, true);
        const plain = await app.inject({ method: 'POST', url: '/v1/accounts', headers: strict.auth, payload: ACCOUNT });
        assert.equal(plain.statusCode, 415, plain.body);
        assert.equal(plain.json().code, 'ENCRYPTION_REQUIRED');
        // Refused before validation: an invalid plain body is 415 too, not a list of field errors.
        assert.equal(
          (await app.inject({ method: 'POST', url: '/v1/accounts', headers: strict.auth, payload: { nonsense: true } })).json().code,
          'ENCRYPTION_REQUIRED',
        );
        assert.equal((await app.inject({ method: 'GET', url: '/v1/accounts', headers: strict.auth })).statusCode, 200);
        const sealed = await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: { ...strict.auth, ...JOSE },
          payload: await sealRequest(ACCOUNT, strict.sig, gateway),
        });
        assert.equal(sealed.statusCode, 201, sealed.body);
        await app.payrail.services.clients.setRequireEncryption(strict.clientId, false);
        assert.equal((await app.inject({ method: 'POST', url: '/v1/accounts', headers: strict.auth, payload: ACCOUNT })).statusCode, 201);
      });

      it('other clients are not affected', async () => {
        const { headers } = await app.authed();
        assert.equal((await app.inject({ method: 'POST', url: '/v1/accounts', headers, payload: ACCOUNT })).statusCode, 201);
      });
    });

    it('encryptForClient (webhook deliveries): a payload the client opens and verifies; no enc key is ENCRYPTION_KEY_MISSING', async () => {
      const event = { id: 'evt_1', type: 'payments.succeeded', data: { id: 'pymt_1', amount: 20000 } };
      const sealed = await app.payrail.services.jose.encryptForClient(client.clientId, event);
      const { body, jwsHeader } = await openResponse(sealed, client.enc, gateway);
      assert.deepEqual(body, event);
      assert.equal(jwsHeader.cty, 'json');
      assert.equal(await app.payrail.services.jose.canEncryptFor(client.clientId), true);
      const { clientId } = await app.createClient();
      assert.equal(await app.payrail.services.jose.canEncryptFor(clientId), false);
      await assert.rejects(app.payrail.services.jose.encryptForClient(clientId, event), { code: 'ENCRYPTION_KEY_MISSING' });
    });

    it('the client JWKS can be replaced through the API (PUT /v1/clients/me/jwks) and is used at once', async () => {
      const c = await joseClient(app, { scopes: ['payments:write', 'payments:read', 'accounts:write', 'keys:write'] });
      const fresh = await clientKeys({ sig: 'RS256', enc: 'RSA-OAEP-256' });
      const put = await app.inject({ method: 'PUT', url: '/v1/clients/me/jwks', headers: c.auth, payload: fresh.jwks });
      assert.equal(put.statusCode, 200, put.body);
      // The old signing key no longer verifies; the new one does, and answers go to the new enc key.
      const old = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: { ...c.auth, ...JOSE },
        payload: await sealRequest(ACCOUNT, c.sig, gateway),
      });
      assert.equal(old.statusCode, 401);
      assert.equal((await bodyOf(old, fresh.enc, gateway)).code, 'JWS_INVALID');
      const res = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: { ...c.auth, ...JOSE },
        payload: await sealRequest(ACCOUNT, fresh.sig, gateway),
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((await openResponse(res.body, fresh.enc, gateway)).body.name, ACCOUNT.name);
    });
  });
}
