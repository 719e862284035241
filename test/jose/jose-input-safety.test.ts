// The JSON inside an application/jose body gets the same checks as a plain JSON body: the nesting
// limit before it is parsed, and the text check before the route runs (issue #18).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { JOSE, assertion, bodyOf, encrypt, gatewayEncryptionKey, gatewayJwks, joseClient, sign, tokenByAssertion } from './kit.ts';

for (const kind of databaseKinds()) {
  describe(`application/jose bodies are checked like JSON ones (${kind.name})`, { skip: kind.skip }, () => {
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

    /** `json` (text, as is) signed by the client and encrypted to the gateway, posted to /v1/accounts. */
    async function postSealed(json: string) {
      const jwe = await encrypt(await sign(json, client.sig), gatewayEncryptionKey(gateway, 'ECDH-ES+A256KW'), 'ECDH-ES+A256KW');
      const res = await app.inject({
        method: 'POST',
        url: '/v1/accounts',
        headers: { ...client.auth, ...JOSE, 'idempotency-key': `jose-${json.length}` },
        payload: jwe,
      });
      return { status: res.statusCode, body: await bodyOf(res, client.enc, gateway) };
    }

    it('a 100,000-deep signed body is 400 NESTING_TOO_DEEP', async () => {
      const { status, body } = await postSealed(`{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(body.code, 'NESTING_TOO_DEEP');
    });

    it('a NUL in a signed field is 400 INVALID_CHARACTERS at its path', async () => {
      const { status, body } = await postSealed(JSON.stringify({ name: 'Ops\u0000', bank: 'DBSSSGSGXXX', accountNumber: '1', currencies: ['SGD'] }));
      assert.equal(status, 400, JSON.stringify(body));
      assert.deepEqual(
        (body.errors as { path: string; code: string }[]).map((e) => `${e.path} ${e.code}`),
        ['name INVALID_CHARACTERS'],
      );
    });

    it('a private_key_jwt assertion with a NUL or a control character in jti, iss, sub or kid is 401 invalid_client, before any lookup', async () => {
      const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
        ['jti', { jti: 'a\u0000b' }, {}],
        ['jti', { jti: 'a\u0001b' }, {}],
        ['iss', { iss: `${client.clientId}\u0000` }, {}],
        ['sub', { sub: `${client.clientId}\u0000` }, {}],
        ['kid', {}, { kid: `${client.sig.kid}\u0000` }],
      ];
      for (const [name, claims, header] of cases) {
        const res = await tokenByAssertion(app, await assertion(client.clientId, client.sig, claims, header));
        assert.equal(res.statusCode, 401, `${name}: ${res.body}`);
        assert.equal(res.json().error, 'invalid_client');
        assert.match(res.json().error_description, new RegExp(`${name} contains a character`));
      }
      const stored = await app.payrail.database.db.selectFrom('client_assertion_jtis').select('jti').execute();
      assert.ok(
        stored.every((r) => !r.jti.includes('\u0000') && !r.jti.includes('\u0001')),
        'nothing was stored',
      );
    });
  });
}
