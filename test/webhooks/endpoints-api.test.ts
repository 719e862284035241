// /v1/webhook-endpoints over HTTP on both databases: register (secret shown once), list, get,
// delete, rotate; scopes, tenancy, idempotency; and the SSRF guard at registration.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { systemResolver } from '../../src/webhooks/resolver.ts';
import { fakeResolver } from './fake-resolver.ts';

const fake = fakeResolver({
  'hooks.example.com': ['93.184.216.34'],
  'internal.example.com': ['10.20.30.40'],
  'rebound.example.com': ['93.184.216.34', '192.168.0.7'],
});
// Example names answer from the table; everything else (localhost) from the system resolver.
const resolve = (host: string) => (host.endsWith('.example.com') ? fake(host) : systemResolver(host));

for (const kind of databaseKinds()) {
  describe(`webhook endpoints API (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let bob: Awaited<ReturnType<TestApp['authed']>>;
    let live: Awaited<ReturnType<TestApp['authed']>>;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { webhooks: { resolve } });
      alice = await app.authed();
      bob = await app.authed();
      live = await app.authed({ mode: 'live' });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const create = (headers: Record<string, string>, payload: object) => app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, payload });
    const get = (headers: Record<string, string>, url: string) => app.inject({ method: 'GET', url, headers });

    it('POST: 201 with the id and a whsec_ secret (32 random bytes); GET never shows the secret', async () => {
      const res = await create(alice.headers, { url: 'https://hooks.example.com/payrail', events: ['payments.failed'] });
      assert.equal(res.statusCode, 201, res.body);
      const endpoint = res.json();
      assert.match(endpoint.id, /^we_[0-9A-Z]{26}$/);
      assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      assert.equal(Buffer.from(endpoint.secret.slice(6), 'base64').length, 32);
      assert.equal(endpoint.url, 'https://hooks.example.com/payrail');
      assert.deepEqual(endpoint.events, ['payments.failed']);
      assert.equal(endpoint.status, 'enabled');

      const one = await get(alice.headers, `/v1/webhook-endpoints/${endpoint.id}`);
      assert.equal(one.statusCode, 200);
      const { secret: _secret, ...withoutSecret } = endpoint;
      assert.deepEqual(one.json(), withoutSecret);
      assert.ok(!one.body.includes(endpoint.secret));
      const list = await get(alice.headers, '/v1/webhook-endpoints');
      assert.equal(list.statusCode, 200);
      assert.ok(list.json().data.some((e: { id: string }) => e.id === endpoint.id));
      assert.ok(!list.body.includes('whsec_'));
    });

    it('events is optional (every type) and validated against the event types', async () => {
      const all = await create(alice.headers, { url: 'https://hooks.example.com/all' });
      assert.equal(all.statusCode, 201);
      assert.equal(all.json().events, undefined);
      const bad = await create(alice.headers, { url: 'https://hooks.example.com/x', events: ['payments.created'] });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'VALIDATION_FAILED');
      assert.equal(bad.json().errors[0].path, 'events[0]');
      assert.equal((await create(alice.headers, { url: 'https://hooks.example.com/x', events: [] })).statusCode, 400);
      assert.equal((await create(alice.headers, { url: 'https://hooks.example.com/x', events: ['payments.failed', 'payments.failed'] })).statusCode, 400);
      const unknown = await create(alice.headers, { url: 'https://hooks.example.com/x', secret: 'mine' });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().errors[0].code, 'UNKNOWN_FIELD');
    });

    it('lists page with limit and startingAfter, newest first', async () => {
      const c = await app.authed();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await create(c.headers, { url: `https://hooks.example.com/${i}` })).json().id);
      const first = (await get(c.headers, '/v1/webhook-endpoints?limit=2')).json();
      assert.deepEqual(
        first.data.map((e: { id: string }) => e.id),
        [ids[2], ids[1]],
      );
      assert.equal(first.hasMore, true);
      const second = (await get(c.headers, `/v1/webhook-endpoints?limit=2&startingAfter=${ids[1]}`)).json();
      assert.deepEqual(
        second.data.map((e: { id: string }) => e.id),
        [ids[0]],
      );
      assert.equal(second.hasMore, false);
      assert.equal((await get(c.headers, '/v1/webhook-endpoints?limit=0')).statusCode, 400);
    });

    it("another client's endpoint is 404 on every route, and absent from its list", async () => {
      const mine = (await create(alice.headers, { url: 'https://hooks.example.com/private' })).json();
      const base = `/v1/webhook-endpoints/${mine.id}`;
      for (const [method, url] of [
        ['GET', base],
        ['DELETE', base],
        ['POST', `${base}/rotate-secret`],
        ['GET', `${base}/deliveries`],
      ] as const) {
        const res = await app.inject({ method, url, headers: bob.headers });
        assert.equal(res.statusCode, 404, `${method} ${url}`);
        assert.equal(res.json().code, 'NOT_FOUND');
      }
      assert.ok(!(await get(bob.headers, '/v1/webhook-endpoints?limit=100')).json().data.some((e: { id: string }) => e.id === mine.id));
      assert.equal((await get(alice.headers, base)).statusCode, 200, 'still there for its owner');
    });

    it('every route needs the webhooks:write scope', async () => {
      const reader = await app.authed({ scopes: ['payments:read', 'payments:write'] });
      for (const [method, url] of [
        ['POST', '/v1/webhook-endpoints'],
        ['GET', '/v1/webhook-endpoints'],
        ['GET', '/v1/webhook-endpoints/we_01JC9Z6Q8W4M2X1A7B3C5D9E0F'],
        ['DELETE', '/v1/webhook-endpoints/we_01JC9Z6Q8W4M2X1A7B3C5D9E0F'],
        ['POST', '/v1/webhook-endpoints/we_01JC9Z6Q8W4M2X1A7B3C5D9E0F/rotate-secret'],
        ['GET', '/v1/webhook-endpoints/we_01JC9Z6Q8W4M2X1A7B3C5D9E0F/deliveries'],
        ['POST', '/v1/events/evt_01JC9Z6Q8W4M2X1A7B3C5D9E0F/redeliver'],
      ] as const) {
        const res = await app.inject({
          method,
          url,
          headers: reader.headers,
          ...(method === 'POST' && { payload: url.endsWith('endpoints') ? { url: 'https://hooks.example.com/' } : {} }),
        });
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().code, 'INSUFFICIENT_SCOPE');
      }
      assert.equal((await app.inject({ method: 'GET', url: '/v1/webhook-endpoints' })).statusCode, 401);
    });

    it('Idempotency-Key: the same request replays the same endpoint and secret; another body is 422', async () => {
      const c = await app.authed();
      const headers = { ...c.headers, 'idempotency-key': 'hook-1' };
      const first = await create(headers, { url: 'https://hooks.example.com/idem' });
      const again = await create(headers, { url: 'https://hooks.example.com/idem' });
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(again.json(), first.json());
      assert.equal((await get(c.headers, '/v1/webhook-endpoints')).json().data.length, 1);
      const other = await create(headers, { url: 'https://hooks.example.com/other' });
      assert.equal(other.statusCode, 422);
      assert.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('DELETE: 204, then the endpoint is gone (404), and a second DELETE is 404', async () => {
      const e = (await create(alice.headers, { url: 'https://hooks.example.com/bye' })).json();
      const del = await app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${e.id}`, headers: alice.headers });
      assert.equal(del.statusCode, 204);
      assert.equal(del.body, '');
      assert.equal((await get(alice.headers, `/v1/webhook-endpoints/${e.id}`)).statusCode, 404);
      assert.equal((await app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${e.id}`, headers: alice.headers })).statusCode, 404);
      const row = await app.payrail.database.db
        .selectFrom('webhook_endpoints')
        .select(['secret', 'deleted_at'])
        .where('id', '=', e.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.secret, '', 'a deleted endpoint keeps no secret');
      assert.ok(row.deleted_at);
    });

    it('rotate-secret: a new secret, the previous one signing for 24 more hours; idempotent', async () => {
      const e = (await create(alice.headers, { url: 'https://hooks.example.com/rotate' })).json();
      const headers = { ...alice.headers, 'idempotency-key': `rotate-${e.id}` };
      const res = await app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${e.id}/rotate-secret`, headers });
      assert.equal(res.statusCode, 200, res.body);
      const rotated = res.json();
      assert.match(rotated.secret, /^whsec_/);
      assert.notEqual(rotated.secret, e.secret);
      const expires = Date.parse(rotated.previousSecretExpiresAt) - Date.parse(rotated.updatedAt);
      assert.equal(expires, 24 * 3600_000);
      const replay = await app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${e.id}/rotate-secret`, headers });
      assert.deepEqual(replay.json(), rotated, 'a retried rotation does not rotate twice');
      const row = await app.payrail.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
      assert.equal(row.secret, rotated.secret);
      assert.equal(row.previous_secret, e.secret);
      assert.equal((await get(alice.headers, `/v1/webhook-endpoints/${e.id}`)).json().previousSecretExpiresAt, rotated.previousSecretExpiresAt);
    });

    describe('at most 20 endpoints per client', () => {
      const listed = async (headers: Record<string, string>) => (await get(headers, '/v1/webhook-endpoints?limit=100')).json().data.length as number;

      it('the 21st is 409 WEBHOOK_ENDPOINT_LIMIT and stores nothing; a deleted endpoint frees its place; other clients are not affected', async () => {
        const c = await app.authed();
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) {
          const res = await create(c.headers, { url: `https://hooks.example.com/cap/${i}` });
          assert.equal(res.statusCode, 201, res.body);
          ids.push(res.json().id);
        }
        const over = await create(c.headers, { url: 'https://hooks.example.com/cap/over' });
        assert.equal(over.statusCode, 409, over.body);
        assert.match(String(over.headers['content-type']), /^application\/problem\+json/);
        assert.equal(over.json().code, 'WEBHOOK_ENDPOINT_LIMIT');
        assert.equal(await listed(c.headers), 20);
        assert.equal((await create(bob.headers, { url: 'https://hooks.example.com/bob' })).statusCode, 201, "another client's endpoints are its own");

        assert.equal((await app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${ids[0]}`, headers: c.headers })).statusCode, 204);
        assert.equal((await create(c.headers, { url: 'https://hooks.example.com/cap/again' })).statusCode, 201);
        assert.equal((await create(c.headers, { url: 'https://hooks.example.com/cap/again-2' })).statusCode, 409);
        assert.equal(await listed(c.headers), 20);
      });

      it('concurrent registrations cannot pass the limit together', async () => {
        const c = await app.authed();
        const results = await Promise.all(Array.from({ length: 30 }, (_, i) => create(c.headers, { url: `https://hooks.example.com/race/${i}` })));
        assert.deepEqual(
          results.map((r) => r.statusCode).sort(),
          [...new Array<number>(20).fill(201), ...new Array<number>(10).fill(409)],
          results.map((r) => r.body).find((b) => !b.includes('whsec_') && !b.includes('WEBHOOK_ENDPOINT_LIMIT')),
        );
        assert.equal(await listed(c.headers), 20);
      });
    });

    describe('SSRF guard at registration', () => {
      const refused = async (headers: Record<string, string>, url: string, code: string) => {
        const res = await create(headers, { url });
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.equal(res.json().code, 'VALIDATION_FAILED');
        assert.deepEqual(
          res.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`),
          [`url ${code}`],
          url,
        );
      };

      it('live mode: loopback, private, metadata and IPv6 loopback addresses are refused', async () => {
        for (const url of [
          'https://127.0.0.1/hook',
          'https://10.0.0.1/hook',
          'https://169.254.169.254/latest/meta-data',
          'https://[::1]/hook',
          'https://[::ffff:127.0.0.1]/hook',
          'https://[fd00:ec2::254]/',
          'https://100.64.0.1/',
          'https://[fe80::1]/',
        ]) {
          await refused(live.headers, url, 'FORBIDDEN_ADDRESS');
        }
      });

      it('live mode: special-purpose IPv6 addresses (local NAT64 of the metadata address, site-local, Teredo) are refused', async () => {
        for (const url of [
          'https://[64:ff9b:1::a9fe:a9fe]/',
          'https://[fec0::1]/',
          'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
          'https://[2001:db8::1]/',
        ]) {
          await refused(live.headers, url, 'FORBIDDEN_ADDRESS');
        }
      });

      it('a URL with control characters, CR/LF, surrounding spaces or a lone surrogate is 400 on `url`, never stored or echoed', async () => {
        const c = await app.authed();
        for (const url of [
          'https://hooks.example.com/a\u0000',
          'https://hooks.example.com/\r\nX: y',
          'https://hooks.example.com/\u0001',
          ' https://hooks.example.com/',
          'https://hooks.example.com/ ',
          'https://hooks.example.com/\ud800',
        ]) {
          const res = await create(c.headers, { url });
          assert.equal(res.statusCode, 400, `${JSON.stringify(url)}: ${res.body}`);
          assert.deepEqual(
            res.json().errors.map((e: { path: string }) => e.path),
            ['url'],
          );
        }
        assert.equal((await get(c.headers, '/v1/webhook-endpoints')).json().data.length, 0);
      });

      it('a URL with a user name or password is refused', async () => {
        await refused(live.headers, 'https://user:secret@hooks.example.com/hook', 'INVALID_URL');
      });

      it('live mode: a host name resolving to a private or loopback address is refused', async () => {
        await refused(live.headers, 'https://localhost/hook', 'FORBIDDEN_ADDRESS');
        await refused(live.headers, 'https://internal.example.com/hook', 'FORBIDDEN_ADDRESS');
        await refused(live.headers, 'https://rebound.example.com/hook', 'FORBIDDEN_ADDRESS');
      });

      it('live mode: http is refused; a name that does not resolve yet and a public https URL are accepted', async () => {
        await refused(live.headers, 'http://hooks.example.com/hook', 'HTTPS_REQUIRED');
        assert.equal((await create(live.headers, { url: 'https://nowhere.example.com/hook' })).statusCode, 201);
        const ok = await create(live.headers, { url: 'https://hooks.example.com/live' });
        assert.equal(ok.statusCode, 201, ok.body);
      });

      it('test mode: http and loopback are allowed for local development', async () => {
        for (const url of ['http://127.0.0.1:3000/hook', 'http://localhost:3000/hook', 'http://[::1]:3000/hook']) {
          assert.equal((await create(alice.headers, { url })).statusCode, 201, url);
        }
      });

      it('test mode: private networks are allowed (a receiver in a container network), link-local and metadata stay refused', async () => {
        assert.equal((await create(alice.headers, { url: 'http://10.0.0.1/hook' })).statusCode, 201);
        assert.equal((await create(alice.headers, { url: 'http://internal.example.com/' })).statusCode, 201);
        await refused(alice.headers, 'http://169.254.169.254/', 'FORBIDDEN_ADDRESS');
        await refused(alice.headers, 'http://[fe80::1]/hook', 'FORBIDDEN_ADDRESS');
      });

      it('nothing is stored for a refused URL', async () => {
        const before = (await get(live.headers, '/v1/webhook-endpoints?limit=100')).json().data.length;
        await refused(live.headers, 'https://10.0.0.1/', 'FORBIDDEN_ADDRESS');
        assert.equal((await get(live.headers, '/v1/webhook-endpoints?limit=100')).json().data.length, before);
      });
    });
  });
}
