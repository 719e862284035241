// private_key_jwt (RFC 7523) at POST /v1.0/auth: what authenticates, and every refusal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { createReplayStore } from '../../src/jose/replay-store.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { PUBLIC_URL, startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { JWT_BEARER, assertion, clientKeys, joseClient, keyPair, tokenByAssertion, tokenRequest } from './kit.ts';

function assertInvalidClient(res: LightMyRequestResponse, description?: RegExp) {
  assert.equal(res.statusCode, 401, res.body);
  assert.equal(res.json().error, 'invalid_client');
  assert.equal(res.json().access_token, undefined);
  if (description) assert.match(res.json().error_description, description);
}

for (const kind of databaseKinds()) {
  describe(`private_key_jwt at POST /v1.0/auth (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let client: Awaited<ReturnType<typeof joseClient>>;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db);
      client = await joseClient(app);
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const withAssertion = async (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
      tokenByAssertion(app, await assertion(client.clientId, client.sig, claims, header));

    it('an ES256 assertion for the token endpoint gets a token that works on the API', async () => {
      const res = await withAssertion();
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      const token = res.json().access_token as string;
      const api = await app.inject({ method: 'GET', url: '/v1/accounts', headers: { authorization: `Bearer ${token}` } });
      assert.equal(api.statusCode, 200);
    });

    it('aud may be the issuer instead of the token endpoint, or a list holding one of them', async () => {
      assert.equal((await withAssertion({ aud: PUBLIC_URL })).statusCode, 200);
      assert.equal((await withAssertion({ aud: ['https://other.example', PUBLIC_URL] })).statusCode, 200);
    });

    it('client_id in the body is accepted when it names the same client; scope narrows as usual', async () => {
      const res = await tokenRequest(app, {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        scope: 'payments:read',
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(client.clientId, client.sig),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().scope, 'payments:read');
    });

    for (const alg of ['RS256', 'PS256'] as const) {
      it(`${alg} client keys work`, async () => {
        const rsa = await joseClient(app, { sig: alg, enc: 'RSA-OAEP-256' });
        assert.match(rsa.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      });
    }

    it('the server metadata advertises private_key_jwt and its algorithms', async () => {
      const meta = (await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json();
      assert.deepEqual(meta.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
      assert.deepEqual(meta.token_endpoint_auth_signing_alg_values_supported, ['RS256', 'PS256', 'ES256']);
    });

    it('an expired assertion is invalid_client', async () => {
      const past = Math.floor(Date.now() / 1000) - 600;
      assertInvalidClient(await tokenByAssertion(app, await assertion(client.clientId, client.sig, {}, {}, past)), /expired/);
    });

    it('an assertion valid for more than 5 minutes is invalid_client', async () => {
      const now = Math.floor(Date.now() / 1000);
      assertInvalidClient(await withAssertion({ exp: now + 3600 }), /300 seconds/);
    });

    it('an assertion without exp or without jti is invalid_client', async () => {
      assertInvalidClient(await withAssertion({ exp: null }), /exp/);
      assertInvalidClient(await withAssertion({ jti: null }), /jti/);
    });

    it('a replayed jti is invalid_client, even a minute later', async () => {
      const once = await assertion(client.clientId, client.sig);
      assert.equal((await tokenByAssertion(app, once)).statusCode, 200);
      assertInvalidClient(await tokenByAssertion(app, once), /already used/);
      // A new assertion reusing the jti is refused too while the first is valid.
      const { jti } = JSON.parse(Buffer.from(once.split('.')[1]!, 'base64url').toString()) as { jti: string };
      assertInvalidClient(await withAssertion({ jti }), /already used/);
    });

    it('the same jti from two different clients is not a replay', async () => {
      const other = await joseClient(app);
      const jti = 'shared-jti-value';
      assert.equal((await tokenByAssertion(app, await assertion(client.clientId, client.sig, { jti }))).statusCode, 200);
      assert.equal((await tokenByAssertion(app, await assertion(other.clientId, other.sig, { jti }))).statusCode, 200);
    });

    it('an assertion for another client is invalid_client', async () => {
      const victim = await joseClient(app);
      // Signed with our key but claiming to be the victim: the victim's keys do not verify it.
      assertInvalidClient(await tokenByAssertion(app, await assertion(victim.clientId, client.sig)), /signature|signing key/);
      // Our own valid assertion presented with the victim's client_id.
      const mixed = await tokenRequest(app, {
        grant_type: 'client_credentials',
        client_id: victim.clientId,
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(client.clientId, client.sig),
      });
      assertInvalidClient(mixed, /client_id/);
      // iss and sub disagreeing.
      assertInvalidClient(await withAssertion({ sub: victim.clientId }), /iss and sub/);
    });

    it('a wrong audience is invalid_client', async () => {
      assertInvalidClient(await withAssertion({ aud: 'https://evil.example/token' }), /aud/);
    });

    it('a key the client did not register is invalid_client', async () => {
      const stranger = await keyPair('sig', 'ES256', client.sig.kid);
      assertInvalidClient(await tokenByAssertion(app, await assertion(client.clientId, stranger)), /signature/);
    });

    it('algorithms are pinned to the registered keys: RS256, HS256 and none are refused for an ES256 client', async () => {
      const rsa = await keyPair('sig', 'RS256', client.sig.kid);
      assertInvalidClient(await tokenByAssertion(app, await assertion(client.clientId, rsa)), /alg/);
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: client.clientId, sub: client.clientId, aud: `${PUBLIC_URL}/v1.0/auth`, exp: now + 60, jti: 'hmac' };
      const hmac = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: client.sig.kid })
        .sign(new TextEncoder().encode(JSON.stringify(client.sig.publicJwk)));
      assertInvalidClient(await tokenByAssertion(app, hmac));
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, jti: 'none' })).toString('base64url')}.`;
      assertInvalidClient(await tokenByAssertion(app, none));
    });

    it('a client that registered no signing key cannot use assertions', async () => {
      const { clientId } = await app.createClient();
      const keys = await clientKeys();
      assertInvalidClient(await tokenByAssertion(app, await assertion(clientId, keys.sig)), /no signing key/);
    });

    it('a disabled client is invalid_client', async () => {
      const gone = await joseClient(app);
      await app.payrail.services.clients.disable(gone.clientId);
      assertInvalidClient(await tokenByAssertion(app, await assertion(gone.clientId, gone.sig)), /disabled/);
    });

    it('a wrong client_assertion_type is invalid_client; a missing one is invalid_request', async () => {
      const jwt = await assertion(client.clientId, client.sig);
      assertInvalidClient(
        await tokenRequest(app, {
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
          client_assertion: jwt,
        }),
      );
      const missing = await tokenRequest(app, { grant_type: 'client_credentials', client_assertion: jwt });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().error, 'invalid_request');
    });

    it('an assertion together with a secret is invalid_request', async () => {
      const { clientId, secret } = await app.createClient();
      const res = await tokenRequest(app, {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(client.clientId, client.sig),
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_request');
    });

    it('garbage in client_assertion is invalid_client', async () => {
      assertInvalidClient(await tokenRequest(app, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: 'not-a-jwt' }));
    });

    it('a client with secrets and keys can still use its secret', async () => {
      const { clientId, secret } = await app.createClient();
      const keys = await clientKeys();
      await app.payrail.services.clients.setKeys(clientId, keys.jwks as never, 'operator');
      assert.equal((await tokenRequest(app, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret })).statusCode, 200);
      assert.equal((await tokenByAssertion(app, await assertion(clientId, keys.sig))).statusCode, 200);
    });

    describe('replay store', () => {
      it('remembers a jti until it expires, then lets a new use take the row over', async () => {
        let now = Date.parse('2000-01-01T00:00:00Z');
        const replay = createReplayStore({ db: app.payrail.database.db, clock: () => now });
        const { clientId } = client;
        assert.equal(await replay.remember(clientId, 'j1', now + 60_000), true);
        assert.equal(await replay.remember(clientId, 'j1', now + 60_000), false);
        now += 61_000;
        assert.equal(await replay.remember(clientId, 'j1', now + 60_000), true);
        assert.equal(await replay.remember(clientId, 'j1', now + 60_000), false);
      });

      it('concurrent uses of one jti: exactly one wins', async () => {
        const replay = createReplayStore({ db: app.payrail.database.db, clock: Date.now });
        const results = await Promise.all(Array.from({ length: 8 }, () => replay.remember(client.clientId, 'race', Date.now() + 60_000)));
        assert.equal(results.filter(Boolean).length, 1);
      });
    });
  });
}
