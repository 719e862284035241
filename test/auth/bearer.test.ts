import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT, importJWK } from 'jose';
import type { JWK } from 'jose';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { PUBLIC_URL, startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

for (const kind of databaseKinds()) {
  describe(`bearer tokens on API routes (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let clientId: string;
    let goodToken: string;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db);
      ({ clientId, token: goodToken } = await app.authed());
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const getAccounts = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v1/accounts', headers });
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

    async function signWithOurKey(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
      const row = await app.payrail.database.db
        .selectFrom('signing_keys')
        .selectAll()
        .where('use', '=', 'sig')
        .where('retired_at', 'is', null)
        .executeTakeFirstOrThrow();
      const key = await importJWK(JSON.parse(row.private_jwk) as JWK, 'ES256');
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        client_id: clientId,
        scope: 'payments:read',
        iss: PUBLIC_URL,
        aud: PUBLIC_URL,
        sub: clientId,
        iat: now,
        exp: now + 600,
        jti: 'test-jti',
        ...claims,
      };
      return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: row.kid, ...header }).sign(key);
    }

    async function assert401(headers: Record<string, string>) {
      const res = await getAccounts(headers);
      assert.equal(res.statusCode, 401, res.body);
      assert.match(String(res.headers['www-authenticate']), /^Bearer error="invalid_token", error_description="[^"]+", realm="payrail"$/);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(res.json().code, 'UNAUTHENTICATED');
    }

    it('a valid token is accepted', async () => {
      assert.equal((await getAccounts(bearer(goodToken))).statusCode, 200);
    });

    it("the seed's `authorisation` header spelling is accepted", async () => {
      assert.equal((await getAccounts({ authorisation: `Bearer ${goodToken}` })).statusCode, 200);
    });

    it('a token we signed ourselves in the test passes (the forging helper is sound)', async () => {
      assert.equal((await getAccounts(bearer(await signWithOurKey({})))).statusCode, 200);
    });

    it('a missing token is 401', () => assert401({}));
    it('a non-Bearer scheme is 401', () => assert401({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }));
    it('garbage is 401', () => assert401(bearer('not.a.jwt')));

    it('an expired token is 401', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      await assert401(bearer(await signWithOurKey({ exp: past, iat: past - 900 })));
    });

    it('a wrong issuer is 401', async () => {
      await assert401(bearer(await signWithOurKey({ iss: 'https://evil.example' })));
    });

    it('a wrong audience is 401', async () => {
      await assert401(bearer(await signWithOurKey({ aud: 'https://other.example' })));
    });

    it('a wrong typ (a plain JWT, not at+jwt) is 401', async () => {
      await assert401(bearer(await signWithOurKey({}, { typ: 'JWT' })));
    });

    it('alg: none is 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const unsecured = new UnsecuredJWT({ client_id: clientId, scope: 'payments:read' })
        .setIssuer(PUBLIC_URL)
        .setAudience(PUBLIC_URL)
        .setSubject(clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .setJti('x')
        .encode();
      await assert401(bearer(unsecured));
    });

    it('HS256 signed with the public key as the HMAC secret is 401', async () => {
      const row = await app.payrail.database.db
        .selectFrom('signing_keys')
        .selectAll()
        .where('use', '=', 'sig')
        .where('retired_at', 'is', null)
        .executeTakeFirstOrThrow();
      const now = Math.floor(Date.now() / 1000);
      const secret = new TextEncoder().encode(row.public_jwk);
      const forged = await new SignJWT({ client_id: clientId, scope: 'payments:read' })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: row.kid })
        .setIssuer(PUBLIC_URL)
        .setAudience(PUBLIC_URL)
        .setSubject(clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .setJti('x')
        .sign(secret);
      await assert401(bearer(forged));
    });

    it('a tampered payload is 401', async () => {
      const [h, p, s] = goodToken.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.scope = 'payments:write payments:read accounts:write webhooks:write keys:write admin';
      const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
      await assert401(bearer(tampered));
    });

    it('an unknown kid is 401', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const now = Math.floor(Date.now() / 1000);
      const foreign = await new SignJWT({ client_id: clientId, scope: 'payments:read' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'key_01AAAAAAAAAAAAAAAAAAAAAAAA' })
        .setIssuer(PUBLIC_URL)
        .setAudience(PUBLIC_URL)
        .setSubject(clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .setJti('x')
        .sign(privateKey);
      await assert401(bearer(foreign));
    });

    it('a token of a client disabled after issue is 401', async () => {
      const c = await app.authed();
      await app.payrail.services.clients.disable(c.clientId);
      await assert401(c.headers);
    });

    it('a token without the needed scope is 403 with insufficient_scope', async () => {
      const c = await app.authed({ scopes: ['webhooks:write'] });
      const res = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: c.headers,
        payload: { name: 'x', bank: 'DBSSSGSGXXX', accountNumber: '123456', currencies: ['SGD'] },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'INSUFFICIENT_SCOPE');
      assert.match(String(res.headers['www-authenticate']), /error="insufficient_scope"/);
    });

    it('authentication comes before the body: no token on an invalid body is 401, a read-only token 403', async () => {
      for (const [url, payload] of [
        ['/v1/payments', {}],
        ['/v1/payment-batches', { payments: 'x' }],
        ['/payment/hk/v1.0/fps', '{not json'],
      ] as const) {
        const anonymous = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: payload as string });
        assert.equal(anonymous.statusCode, 401, `${url}: ${anonymous.body}`);
        assert.match(String(anonymous.headers['www-authenticate']), /^Bearer /);
        const reader = await app.authed({ scopes: ['payments:read'] });
        const res = await app.inject({ method: 'POST', url, headers: { ...reader.headers, 'content-type': 'application/json' }, payload: payload as string });
        assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
      }
      const wrongType = await app.inject({ method: 'POST', url: '/v1/payments', headers: { 'content-type': 'text/plain' }, payload: 'x' });
      assert.equal(wrongType.statusCode, 401);
    });

    it('tokens carry RFC 9068 claims and header', async () => {
      const [h, p] = goodToken.split('.');
      const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      assert.equal(header.typ, 'at+jwt');
      assert.equal(header.alg, 'ES256');
      assert.ok(header.kid);
      for (const c of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope']) assert.ok(c in claims, `claim ${c}`);
      assert.equal(claims.sub, clientId);
      assert.equal(claims.exp - claims.iat, 900);
    });
  });
}
