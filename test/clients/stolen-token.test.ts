// Issue #18, point 2: a stolen token must not become permanent access. A new client cannot plant
// a key (no keys:write unless asked for); every key change is recorded (who, when, which keys)
// and told to the client by a `clients.keys_changed` webhook; rotate-secret and disable revoke
// the registered keys (unless keepKeys) and the tokens issued before them.
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { Scope } from '../../src/auth/scopes.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { assertion, clientKeys, tokenByAssertion } from '../jose/kit.ts';
import { startWebhookFixture } from '../webhooks/fixtures.ts';
import type { WebhookFixture } from '../webhooks/fixtures.ts';
import { startReceiver, verifyWith } from '../webhooks/receiver.ts';
import type { Receiver } from '../webhooks/receiver.ts';

const WITH_KEYS: Scope[] = ['payments:read', 'webhooks:write', 'keys:write'];

for (const kind of databaseKinds()) {
  describe(`a stolen token cannot become permanent access (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let f: WebhookFixture;
    const receivers: Receiver[] = [];

    before(async () => {
      db = await kind.create();
      f = await startWebhookFixture(db);
    });
    after(async () => {
      for (const r of receivers) await r.close();
      await f?.close();
      await db?.drop();
    });

    const putJwks = (headers: Record<string, string>, jwks: object) => f.app.inject({ method: 'PUT', url: '/v1/clients/me/jwks', headers, payload: jwks });
    const api = (token: string) => f.app.inject({ method: 'GET', url: '/v1/events', headers: { authorization: `Bearer ${token}` } });
    /** A client with keys:write whose key is registered through the API, as a thief would. */
    async function clientWithKey() {
      const c = await f.app.authed({ scopes: WITH_KEYS });
      const keys = await clientKeys();
      const put = await putJwks(c.headers, keys.jwks);
      assert.equal(put.statusCode, 200, put.body);
      return { ...c, keys };
    }
    const byAssertion = async (clientId: string, keys: Awaited<ReturnType<typeof clientKeys>>) =>
      tokenByAssertion(f.app, await assertion(clientId, keys.sig, {}, {}, Math.floor(f.now / 1000)));

    it('a client created without scopes has no keys:write: its token cannot PUT a JWKS (403)', async () => {
      const c = await f.app.authed();
      const token = await f.app.inject({
        method: 'POST',
        url: '/v1.0/auth',
        payload: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret },
      });
      assert.equal(token.json().scope, 'payments:write payments:read accounts:write webhooks:write');
      const { jwks } = await clientKeys();
      const res = await putJwks(c.headers, jwks);
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'INSUFFICIENT_SCOPE');
      assert.equal(await f.app.payrail.services.clients.keysOf(c.clientId), null);
      assert.deepEqual(await f.app.payrail.services.clients.keyChangesOf(c.clientId), []);
      // Reading its own public keys needs no keys:write.
      const read = await f.app.inject({ method: 'GET', url: '/v1/clients/me/jwks', headers: c.headers });
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(read.json(), { keys: [] });
      assert.equal((await f.app.inject({ method: 'GET', url: '/v1/clients/me/jwks' })).statusCode, 401, 'but it needs a token');
    });

    it('with keys:write a PUT registers the key, records who and when, and a clients.keys_changed webhook arrives', async () => {
      const c = await f.app.authed({ scopes: WITH_KEYS });
      const r = await startReceiver();
      receivers.push(r);
      const endpoint = await f.register({ ...c, accountId: '' }, `${r.url}/hooks`, ['clients.keys_changed']);
      const keys = await clientKeys();
      assert.equal((await putJwks(c.headers, keys.jwks)).statusCode, 200);

      const [change, ...older] = await f.app.payrail.services.clients.keyChangesOf(c.clientId);
      assert.equal(older.length, 0);
      assert.equal(change!.by, 'client');
      assert.equal(change!.reason, 'jwks-put');
      assert.equal(change!.changedAt, new Date(f.now).toISOString());
      assert.deepEqual(
        change!.added.map((k) => k.kid),
        [keys.sig.kid, keys.enc.kid],
      );
      assert.ok(
        change!.added.every((k) => /^[\w-]{43}$/.test(k.thumbprint)),
        'RFC 7638 SHA-256 thumbprints',
      );
      assert.deepEqual([change!.replaced, change!.revoked], [[], []]);
      // Which token, from where: the token's jti and the address the failure limiter sees.
      const jti = JSON.parse(Buffer.from(c.token.split('.')[1]!, 'base64url').toString()).jti;
      assert.deepEqual([change!.tokenJti, change!.sourceAddress, change!.osUser], [jti, '127.0.0.1', null]);

      const events = (await f.app.inject({ method: 'GET', url: '/v1/events?type=clients.keys_changed', headers: c.headers })).json().data;
      assert.equal(events.length, 1);
      assert.deepEqual(events[0].data, {
        clientId: c.clientId,
        keys: change!.added,
        change: { added: change!.added, replaced: [], revoked: [] },
        by: 'client',
        reason: 'jwks-put',
        tokenJti: change!.tokenJti,
        sourceAddress: '127.0.0.1',
        osUser: null,
        changeId: change!.id,
        changedAt: change!.changedAt,
      });

      await f.step(0);
      await r.waitFor(1);
      const delivered = verifyWith(endpoint.secret, r.received[0]!);
      assert.equal(delivered.type, 'clients.keys_changed');
      assert.equal(delivered.id, events[0].id);

      // The same kid with other material is a replacement; a kid left out is revoked.
      const next = await clientKeys();
      const swapped = { keys: [{ ...next.sig.publicJwk, kid: keys.sig.kid }] };
      assert.equal((await putJwks(c.headers, swapped)).statusCode, 200);
      const [latest] = await f.app.payrail.services.clients.keyChangesOf(c.clientId);
      assert.deepEqual(
        latest!.replaced.map((k) => [k.kid, k.previousThumbprint]),
        [[keys.sig.kid, change!.added[0]!.thumbprint]],
      );
      assert.deepEqual(
        latest!.revoked.map((k) => k.kid),
        [keys.enc.kid],
      );
      assert.deepEqual(latest!.added, []);
    });

    it('an unchanged PUT records nothing and sends nothing', async () => {
      const c = await f.app.authed({ scopes: WITH_KEYS });
      const { jwks } = await clientKeys();
      await putJwks(c.headers, jwks);
      await putJwks(c.headers, jwks);
      assert.equal((await f.app.payrail.services.clients.keyChangesOf(c.clientId)).length, 1);
    });

    it('the operator setting keys is recorded as the operator', async () => {
      const { clientId } = await f.app.createClient();
      const { jwks } = await clientKeys();
      await f.app.payrail.services.clients.setKeys(clientId, jwks as never, 'operator');
      const [change] = await f.app.payrail.services.clients.keyChangesOf(clientId);
      assert.deepEqual([change!.by, change!.reason], ['operator', 'keys-set']);
      assert.deepEqual([change!.tokenJti, change!.sourceAddress, change!.osUser], [null, null, userInfo().username]);
    });

    it('after rotate-secret the registered key obtains no token, tokens from before are refused, and the revocation is recorded', async () => {
      const c = await clientWithKey();
      assert.equal((await byAssertion(c.clientId, c.keys)).statusCode, 200, 'the planted key works before the rotation');
      f.now += 1; // the rotation comes after the token, if only by a millisecond
      const rotated = await f.app.payrail.services.clients.rotateSecret(c.clientId);
      assert.equal(rotated.keysRevoked, 2);

      const refused = await byAssertion(c.clientId, c.keys);
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error, 'invalid_client');
      const stale = await api(c.token);
      assert.equal(stale.statusCode, 401, 'a token issued before the rotation');
      assert.match(stale.json().detail, /revoked/);

      const fresh = await f.app.inject({
        method: 'POST',
        url: '/v1.0/auth',
        payload: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: rotated.secret },
      });
      assert.equal(fresh.statusCode, 200);
      assert.equal((await api(fresh.json().access_token)).statusCode, 200, 'a token of the new secret, issued in the same second, works');

      const [change] = await f.app.payrail.services.clients.keyChangesOf(c.clientId);
      assert.deepEqual([change!.by, change!.reason], ['operator', 'rotate-secret']);
      assert.deepEqual(
        change!.revoked.map((k) => k.kid),
        [c.keys.sig.kid, c.keys.enc.kid],
      );
      const events = (
        await f.app.inject({ method: 'GET', url: '/v1/events?type=clients.keys_changed', headers: { authorization: `Bearer ${fresh.json().access_token}` } })
      ).json().data;
      assert.deepEqual(events[0].data.keys, []);
      assert.equal(events[0].data.by, 'operator');
    });

    it('rotate-secret with keepKeys leaves the key working; with a grace period, earlier tokens keep working', async () => {
      const c = await clientWithKey();
      const rotated = await f.app.payrail.services.clients.rotateSecret(c.clientId, 60, { keepKeys: true });
      assert.equal(rotated.keysRevoked, 0);
      assert.equal((await byAssertion(c.clientId, c.keys)).statusCode, 200);
      assert.equal((await api(c.token)).statusCode, 200);
    });

    it('after a rotation WITH grace, neither an older token nor a token of the old secret can plant a key again (403); the new secret can', async () => {
      const c = await clientWithKey();
      f.now += 1;
      const rotated = await f.app.payrail.services.clients.rotateSecret(c.clientId, 600);
      assert.equal(rotated.keysRevoked, 2);
      const planted = await clientKeys();

      // The stolen token still works for the grace, but not for keys.
      assert.equal((await api(c.token)).statusCode, 200);
      const stale = await putJwks(c.headers, planted.jwks);
      assert.equal(stale.statusCode, 403, stale.body);
      assert.equal(stale.json().code, 'KEY_CHANGE_NEEDS_CURRENT_CREDENTIAL');

      // A token obtained after the rotation with the old secret (still live during the grace).
      f.now += 2000;
      const tokenOf = async (secret: string) => {
        const res = await f.app.inject({
          method: 'POST',
          url: '/v1.0/auth',
          payload: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: secret },
        });
        assert.equal(res.statusCode, 200, res.body);
        return { authorization: `Bearer ${res.json().access_token}` };
      };
      const oldSecret = await putJwks(await tokenOf(c.secret), planted.jwks);
      assert.equal(oldSecret.statusCode, 403, oldSecret.body);
      assert.equal(oldSecret.json().code, 'KEY_CHANGE_NEEDS_CURRENT_CREDENTIAL');
      assert.equal(await f.app.payrail.services.clients.keysOf(c.clientId), null, 'nothing was planted');

      assert.equal((await putJwks(await tokenOf(rotated.secret), planted.jwks)).statusCode, 200, 'the new secret changes keys');
      // A token from the key the new secret registered may change keys too.
      assert.equal((await byAssertion(c.clientId, planted)).statusCode, 200);

      // disable sets the same bar (a disabled client's tokens are refused anyway: 401).
      f.now += 1;
      await f.app.payrail.services.clients.disable(c.clientId);
      assert.ok((await f.app.payrail.services.clients.get(c.clientId))!.keysNotBefore);
    });

    it('rotate-secret and disable list the webhook endpoints created or re-keyed in the last 24 h', async () => {
      const c = await f.app.authed({ scopes: WITH_KEYS });
      const old = await f.register({ ...c, accountId: '' }, 'https://old.example.com/hooks');
      const rekeyed = await f.register({ ...c, accountId: '' }, 'https://rekeyed.example.com/hooks');
      f.now += 25 * 3600_000;
      const token = await f.app.inject({
        method: 'POST',
        url: '/v1.0/auth',
        payload: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret },
      });
      const headers = { authorization: `Bearer ${token.json().access_token}` };
      const rotate = await f.app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${rekeyed.id}/rotate-secret`, headers });
      assert.equal(rotate.statusCode, 200, rotate.body);
      const planted = await f.register({ ...c, headers, accountId: '' }, 'https://thief.example.com/hooks');

      const rotated = await f.app.payrail.services.clients.rotateSecret(c.clientId, 60);
      assert.deepEqual(rotated.recentWebhookEndpoints.map((e) => e.url).sort(), ['https://rekeyed.example.com/hooks', 'https://thief.example.com/hooks']);
      assert.deepEqual(Object.keys(rotated.recentWebhookEndpoints[0]!).sort(), ['createdAt', 'id', 'url']);
      assert.ok(rotated.recentWebhookEndpoints.some((e) => e.id === planted.id));
      assert.ok(!rotated.recentWebhookEndpoints.some((e) => e.id === old.id), 'older than 24 h and never re-keyed');
      const disabled = await f.app.payrail.services.clients.disable(c.clientId);
      assert.equal(disabled.recentWebhookEndpoints.length, 2);
    });

    it('a disabled client gets no more webhook deliveries', async () => {
      const c = await f.app.authed({ scopes: WITH_KEYS });
      const r = await startReceiver();
      receivers.push(r);
      await f.register({ ...c, accountId: '' }, `${r.url}/hooks`, ['payments.succeeded']);
      await f.appendEvent(c.clientId, 'payments.succeeded', 'pay_x');
      await f.app.payrail.services.clients.disable(c.clientId);
      await f.step(0);
      await f.step(60_000);
      assert.equal(r.received.length, 0);
      const pending = await f.app.payrail.database.db.selectFrom('webhook_deliveries').select('status').where('client_id', '=', c.clientId).execute();
      assert.deepEqual(
        pending.map((d) => d.status),
        ['pending'],
        'kept, not failed: it goes out if the client is enabled again',
      );
    });

    it('after disable an outstanding token is refused and the keys are revoked (kept with keepKeys)', async () => {
      const c = await clientWithKey();
      assert.equal((await api(c.token)).statusCode, 200);
      const disabled = await f.app.payrail.services.clients.disable(c.clientId);
      assert.equal(disabled.client.disabled, true);
      assert.equal(disabled.keysRevoked, 2);
      assert.equal((await api(c.token)).statusCode, 401);
      assert.equal(await f.app.payrail.services.clients.keysOf(c.clientId), null);
      assert.equal((await f.app.payrail.services.clients.keyChangesOf(c.clientId))[0]!.reason, 'disable');

      const kept = await clientWithKey();
      assert.equal((await f.app.payrail.services.clients.disable(kept.clientId, { keepKeys: true })).keysRevoked, 0);
      assert.equal((await f.app.payrail.services.clients.keysOf(kept.clientId))?.keys.length, 2);
      assert.equal((await api(kept.token)).statusCode, 401);
    });
  });
}
