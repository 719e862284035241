// A token's signature is checked once and remembered (src/auth/tokens.ts); what can change after
// that first check is checked on every use: expiry, the signing key still published, the client
// enabled, the token newer than the client's last secret rotation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createKeyStore } from '../../src/auth/signing-keys.ts';
import { InvalidTokenError, createTokenService } from '../../src/auth/tokens.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const TTL_SECONDS = 900;

for (const kind of databaseKinds()) {
  describe(`verified tokens are remembered, not trusted (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = Date.parse('2026-12-07T09:00:00Z');

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => now });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const getAccounts = (token: string) => app.inject({ method: 'GET', url: '/v1/accounts', headers: { authorization: `Bearer ${token}` } });

    it('a token used once is refused once it expires', async () => {
      const { token } = await app.authed();
      assert.equal((await getAccounts(token)).statusCode, 200);
      assert.equal((await getAccounts(token)).statusCode, 200);
      now += TTL_SECONDS * 1000 - 1000;
      assert.equal((await getAccounts(token)).statusCode, 200, 'one second before exp');
      now += 1000;
      const res = await getAccounts(token);
      assert.equal(res.statusCode, 401);
      assert.match(res.json().detail, /expired/);
    });

    it('a token used once is refused once its client is disabled', async () => {
      const { clientId, token } = await app.authed();
      assert.equal((await getAccounts(token)).statusCode, 200);
      await app.payrail.services.clients.disable(clientId);
      assert.equal((await getAccounts(token)).statusCode, 401);
    });

    it('a token used once is refused after a secret rotation', async () => {
      const { clientId, token } = await app.authed();
      assert.equal((await getAccounts(token)).statusCode, 200);
      now += 2000;
      await app.payrail.services.clients.rotateSecret(clientId);
      assert.equal((await getAccounts(token)).statusCode, 401);
    });

    it('a token used once is refused once its signing key is no longer published', async () => {
      // Retired keys published for no time at all: a rotation ends the old key's tokens at once.
      let at = now;
      const keys = createKeyStore({ db: app.payrail.database.db, clock: () => at, retiredKeyTtlSeconds: 0 });
      await keys.init();
      const tokens = createTokenService({ keys, clock: () => at, issuer: 'https://payrail.test', audience: 'https://payrail.test', ttlSeconds: TTL_SECONDS });
      const client = (await app.payrail.services.clients.create({ name: 'keys' })).client;
      const token = await tokens.issue(client, client.scopes);
      assert.equal((await tokens.verify(token)).clientId, client.id);
      assert.equal((await tokens.verify(token)).clientId, client.id, 'remembered');
      at += 1000;
      await keys.rotate();
      at += 1000;
      await assert.rejects(tokens.verify(token), InvalidTokenError);
    });
  });
}
