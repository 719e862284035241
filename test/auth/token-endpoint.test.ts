import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const kind of databaseKinds()) {
  describe(`token endpoint POST /v1.0/auth (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let client: { clientId: string; secret: string };

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db);
      client = await app.createClient();
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const token = (headers: Record<string, string>, payload: string | object) => app.inject({ method: 'POST', url: '/v1.0/auth', headers, payload });

    function assertToken(res: Awaited<ReturnType<typeof token>>) {
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      const body = res.json();
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 900);
      assert.match(body.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal(body.scope, 'payments:write payments:read accounts:write webhooks:write');
    }

    it('client_secret_basic with a form body issues a token', async () => {
      assertToken(await token({ ...FORM, authorization: basic(client.clientId, client.secret) }, form({ grant_type: 'client_credentials' })));
    });

    it('client_secret_basic with a JSON body issues a token', async () => {
      assertToken(await token({ authorization: basic(client.clientId, client.secret) }, { grant_type: 'client_credentials' }));
    });

    it('client_secret_post with a form body issues a token', async () => {
      assertToken(await token(FORM, form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })));
    });

    it('client_secret_post with a JSON body issues a token', async () => {
      assertToken(await token({}, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }));
    });

    it('a narrower scope gets a token with only that scope', async () => {
      const res = await token({}, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, scope: 'payments:read' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().scope, 'payments:read');
    });

    function assertInvalidClient(res: Awaited<ReturnType<typeof token>>) {
      assert.equal(res.statusCode, 401, res.body);
      assert.equal(res.json().error, 'invalid_client');
      assert.match(String(res.headers['www-authenticate']), /^Basic realm="payrail"/);
      assert.equal(res.json().access_token, undefined);
    }

    it('a wrong secret is invalid_client (401)', async () => {
      assertInvalidClient(await token({ authorization: basic(client.clientId, `${client.secret}x`) }, { grant_type: 'client_credentials' }));
      assertInvalidClient(await token({}, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' }));
    });

    it('an unknown client is invalid_client (401)', async () => {
      assertInvalidClient(await token({ authorization: basic('cli_01AAAAAAAAAAAAAAAAAAAAAAAA', client.secret) }, { grant_type: 'client_credentials' }));
    });

    it('no client authentication at all is invalid_client (401)', async () => {
      assertInvalidClient(await token({}, { grant_type: 'client_credentials' }));
    });

    it('a disabled client is invalid_client (401)', async () => {
      const other = await app.createClient();
      await app.payrail.services.clients.disable(other.clientId);
      assertInvalidClient(await token({ authorization: basic(other.clientId, other.secret) }, { grant_type: 'client_credentials' }));
    });

    it('Basic credentials that are not UTF-8 are invalid_request (400), not read as U+FFFD', async () => {
      const bytes = Buffer.concat([Buffer.from(`${client.clientId}:`), Buffer.from([0xff, 0xfe, 0x80])]);
      const res = await token({ authorization: `Basic ${bytes.toString('base64')}` }, { grant_type: 'client_credentials' });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(res.json(), { error: 'invalid_request', error_description: 'the Basic credentials are not UTF-8' });
    });

    it('a missing grant_type is invalid_request (400)', async () => {
      const res = await token({ authorization: basic(client.clientId, client.secret) }, {});
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_request');
    });

    it('an unsupported grant_type is unsupported_grant_type (400)', async () => {
      const res = await token({ ...FORM, authorization: basic(client.clientId, client.secret) }, form({ grant_type: 'password' }));
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'unsupported_grant_type');
    });

    it('an unknown scope is invalid_scope (400)', async () => {
      const res = await token({ authorization: basic(client.clientId, client.secret) }, { grant_type: 'client_credentials', scope: 'payments:read admin' });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_scope');
    });

    it('a scope the client does not have is invalid_scope (400)', async () => {
      const narrow = await app.createClient({ scopes: ['payments:read'] });
      const res = await token({ authorization: basic(narrow.clientId, narrow.secret) }, { grant_type: 'client_credentials', scope: 'payments:write' });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_scope');
    });

    it('two authentication methods at once are invalid_request', async () => {
      const res = await token(
        { authorization: basic(client.clientId, client.secret) },
        { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret },
      );
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_request');
    });

    it('malformed JSON is an OAuth invalid_request, not a problem or a 5xx', async () => {
      const res = await app.inject({ method: 'POST', url: '/v1.0/auth', headers: { 'content-type': 'application/json' }, payload: '{"grant_type":' });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'invalid_request');
    });

    it('the database never holds a client secret in clear', async () => {
      const rows = await app.payrail.database.db.selectFrom('client_secrets').selectAll().where('client_id', '=', client.clientId).execute();
      assert.equal(rows.length, 1);
      for (const row of rows) {
        assert.ok(!JSON.stringify(row).includes(client.secret), 'the secret appears in the stored row');
        assert.ok(!JSON.stringify(row).includes(client.secret.slice(9)), 'the random part appears in the stored row');
        assert.match(row.secret_hash, /^hmac-sha256\$[\w-]{43}$/);
      }
    });

    it('rotate-secret: the new secret works, the old one stops', async () => {
      const c = await app.createClient();
      const { secret } = await app.payrail.services.clients.rotateSecret(c.clientId);
      assert.notEqual(secret, c.secret);
      assertInvalidClient(await token({ authorization: basic(c.clientId, c.secret) }, { grant_type: 'client_credentials' }));
      assert.equal((await token({ authorization: basic(c.clientId, secret) }, { grant_type: 'client_credentials' })).statusCode, 200);
    });

    it('rotate-secret with a grace period keeps the old secret working meanwhile', async () => {
      const c = await app.createClient();
      const { secret } = await app.payrail.services.clients.rotateSecret(c.clientId, 3600);
      assert.equal((await token({ authorization: basic(c.clientId, c.secret) }, { grant_type: 'client_credentials' })).statusCode, 200);
      assert.equal((await token({ authorization: basic(c.clientId, secret) }, { grant_type: 'client_credentials' })).statusCode, 200);
    });
  });
}
