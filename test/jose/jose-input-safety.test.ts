// The JSON inside an application/jose body gets the same checks as a plain JSON body: the nesting
// limit before it is parsed, and the text check before the route runs (issue #18).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { JOSE, bodyOf, encrypt, gatewayEncryptionKey, gatewayJwks, joseClient, sign } from './kit.ts';

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
      const res = await app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...client.auth, ...JOSE, 'idempotency-key': `jose-${json.length}` }, payload: jwe });
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
      assert.deepEqual((body.errors as { path: string; code: string }[]).map((e) => `${e.path} ${e.code}`), ['name INVALID_CHARACTERS']);
    });
  });
}
