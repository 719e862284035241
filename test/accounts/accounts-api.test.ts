import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const account = (over: Record<string, unknown> = {}) => ({
  name: 'Payroll SGD',
  bank: 'DBSSSGSGXXX',
  accountNumber: '0123456789',
  currencies: ['SGD'],
  ...over,
});

for (const kind of databaseKinds()) {
  describe(`accounts API (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let bob: Awaited<ReturnType<TestApp['authed']>>;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db);
      alice = await app.authed();
      bob = await app.authed();
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const post = (headers: Record<string, string>, payload: unknown) =>
      app.inject({ method: 'POST', url: '/v1/accounts', headers, payload: payload as object });

    it('creates an account: 201 with an intacct_ id and its market', async () => {
      const res = await post(alice.headers, account({ accountNumber: '012-345 6789', currencies: ['SGD', 'USD'] }));
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.match(body.id, /^intacct_[0-9A-Z]{26}$/);
      assert.equal(body.market, 'SG');
      assert.equal(body.accountNumber, '0123456789');
      assert.deepEqual(body.currencies, ['SGD', 'USD']);
      const got = await app.inject({ method: 'GET', url: `/v1/accounts/${body.id}`, headers: alice.headers });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json(), body);
    });

    it('an HK bank code makes an HK account', async () => {
      const res = await post(alice.headers, account({ bank: '004', currencies: ['HKD'] }));
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().market, 'HK');
    });

    it("a live client's account must name its bank by BIC: a 3-digit HK bank code is 400 BIC_REQUIRED at bank, nothing stored", async () => {
      const live = await app.authed({ mode: 'live' });
      const res = await post(live.headers, account({ bank: '004', currencies: ['HKD'] }));
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'VALIDATION_FAILED');
      assert.deepEqual(
        res.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`),
        ['bank BIC_REQUIRED'],
      );
      assert.match(res.json().errors[0].message, /must be its BIC .*not a 3-digit HK bank code/);
      assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/accounts', headers: live.headers })).json().data, []);
      const byBic = await post(live.headers, account({ bank: 'HSBCHKHHHKH', currencies: ['HKD'] }));
      assert.equal(byBic.statusCode, 201, byBic.body);
      assert.equal(byBic.json().market, 'HK');
    });

    it("another client's account is a 404, and is not in its list", async () => {
      const created = (await post(alice.headers, account())).json();
      const res = await app.inject({ method: 'GET', url: `/v1/accounts/${created.id}`, headers: bob.headers });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'NOT_FOUND');
      const list = await app.inject({ method: 'GET', url: '/v1/accounts', headers: bob.headers });
      assert.ok(!list.json().data.some((a: { id: string }) => a.id === created.id));
    });

    it('lists newest first with cursor pagination', async () => {
      const carol = await app.authed();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await post(carol.headers, account({ name: `acct ${i}` }))).json().id);
      const page1 = (await app.inject({ method: 'GET', url: '/v1/accounts?limit=2', headers: carol.headers })).json();
      assert.deepEqual(
        page1.data.map((a: { id: string }) => a.id),
        [ids[4], ids[3]],
      );
      assert.equal(page1.hasMore, true);
      const page3 = (await app.inject({ method: 'GET', url: `/v1/accounts?limit=2&startingAfter=${ids[1]}`, headers: carol.headers })).json();
      assert.deepEqual(
        page3.data.map((a: { id: string }) => a.id),
        [ids[0]],
      );
      assert.equal(page3.hasMore, false);
    });

    for (const limit of ['0', '101', 'abc', '-1']) {
      it(`limit=${limit} is 400`, async () => {
        const res = await app.inject({ method: 'GET', url: `/v1/accounts?limit=${limit}`, headers: alice.headers });
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().errors[0].path, 'limit');
      });
    }

    it('validation lists every problem with its path and creates nothing', async () => {
      const before = (await app.inject({ method: 'GET', url: '/v1/accounts?limit=100', headers: alice.headers })).json().data.length;
      const res = await post(alice.headers, account({ bank: 'DEUTDEFFXXX', currencies: ['SGD', 'XYZ'] }));
      assert.equal(res.statusCode, 400);
      const body = res.json();
      assert.equal(body.code, 'VALIDATION_FAILED');
      assert.deepEqual(body.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort(), [
        'bank:UNSUPPORTED_MARKET',
        'currencies[1]:INVALID_CURRENCY',
      ]);
      const after = (await app.inject({ method: 'GET', url: '/v1/accounts?limit=100', headers: alice.headers })).json().data.length;
      assert.equal(after, before);
    });

    it('schema problems are reported with paths (missing, unknown and mistyped fields)', async () => {
      const res = await post(alice.headers, { bank: 123, accountNumber: '1', currencies: ['sgd'], extra: true });
      assert.equal(res.statusCode, 400);
      const got = res
        .json()
        .errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)
        .sort();
      assert.deepEqual(got, ['bank:INVALID_TYPE', 'currencies[0]:INVALID_FORMAT', 'extra:UNKNOWN_FIELD', 'name:REQUIRED']);
    });
  });
}
