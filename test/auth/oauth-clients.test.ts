// payrail as standard OAuth client libraries see it: openid-client discovers the server from its
// RFC 8414 metadata and gets tokens; jose verifies them against the published JWKS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'openid-client';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { freePort } from '../helpers/ports.ts';

const [sqlite] = databaseKinds();

describe('OAuth with openid-client and jose against a listening server', () => {
  let db: TestDatabase;
  let app: TestApp;
  let issuer: string;

  before(async () => {
    db = await sqlite!.create();
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    app = await startTestApp(db, { env: { PORT: String(port), PAYRAIL_PUBLIC_URL: issuer } });
    await app.payrail.listen();
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  async function discover(clientId: string, auth: oauth.ClientAuth) {
    return oauth.discovery(new URL(issuer), clientId, undefined, auth, { execute: [oauth.allowInsecureRequests], algorithm: 'oauth2' });
  }

  it('discovers the server metadata (RFC 8414)', async () => {
    const { clientId, secret } = await app.createClient();
    const config = await discover(clientId, oauth.ClientSecretBasic(secret));
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, issuer);
    assert.equal(meta.token_endpoint, `${issuer}/v1.0/auth`);
    assert.equal(meta.jwks_uri, `${issuer}/.well-known/jwks.json`);
  });

  for (const [name, method] of [
    ['client_secret_basic', oauth.ClientSecretBasic],
    ['client_secret_post', oauth.ClientSecretPost],
  ] as const) {
    it(`gets a token with ${name} that verifies against the JWKS`, async () => {
      const { clientId, secret } = await app.createClient();
      const config = await discover(clientId, method(secret));
      const tokens = await oauth.clientCredentialsGrant(config, { scope: 'payments:read accounts:write' });
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.scope, 'payments:read accounts:write');
      const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer, audience: issuer, typ: 'at+jwt', algorithms: ['ES256'] });
      assert.equal(payload.sub, clientId);
      assert.equal(payload.client_id, clientId);
      assert.equal(protectedHeader.typ, 'at+jwt');
      const res = await fetch(`${issuer}/v1/accounts`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(res.status, 200);
    });
  }

  it('a wrong secret is a 401 Basic challenge with invalid_client in the library', async () => {
    const { clientId } = await app.createClient();
    const config = await discover(clientId, oauth.ClientSecretBasic('wrong'));
    const err = await oauth.clientCredentialsGrant(config).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof oauth.WWWAuthenticateChallengeError, String(err));
    assert.equal(err.status, 401);
    assert.equal(err.cause[0]?.scheme, 'basic');
    assert.equal(((await err.response.json()) as { error: string }).error, 'invalid_client');
  });
});
