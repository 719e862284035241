// Idempotency-Key (SPEC §4) on the creating POSTs, on both databases.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

for (const kind of databaseKinds()) {
  describe(`idempotency keys (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = NOW;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let account: string;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => now });
      alice = await app.authed();
      account = await app.createAccount(alice.headers);
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const body = (amount = 20000) => ({
      type: 'FAST',
      amount,
      currency: 'SGD',
      senderAccountId: account,
      receiver: { name: 'Tan Ah Kow', bank: 'DBSSSGSGXXX', bankAccountNumber: '0123456789' },
    });
    const post = (key: string | undefined, payload: unknown, headers = alice.headers) =>
      app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: { ...headers, ...(key !== undefined && { 'idempotency-key': key }) },
        payload: payload as object,
      });
    const count = async (headers = alice.headers) => (await app.inject({ method: 'GET', url: '/v1/payments?limit=100', headers })).json().data.length;

    it('the same key and body replays the first response and creates nothing', async () => {
      const first = await post('key-replay', body());
      assert.equal(first.statusCode, 202);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      const n = await count();
      const second = await post('key-replay', body());
      assert.equal(second.statusCode, 202);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.deepEqual(second.json(), first.json());
      assert.equal(await count(), n);
    });

    it('the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED', async () => {
      await post('key-reused', body(100));
      const res = await post('key-reused', body(200));
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().code, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('the same key on another route is 422 too', async () => {
      await post('key-route', body());
      const { type: _type, ...hkBody } = body();
      const res = await app.inject({
        method: 'POST',
        url: '/payment/hk/v1.0/fps',
        headers: { ...alice.headers, 'idempotency-key': 'key-route' },
        payload: hkBody,
      });
      assert.equal(res.statusCode, 422);
    });

    it('a key still in flight is 409 IDEMPOTENCY_KEY_IN_USE', async () => {
      const { fingerprintOf } = await import('../../src/idempotency/service.ts');
      // The same request, claimed by another request that has not finished yet.
      await app.payrail.services.idempotency.claim(alice.clientId, 'key-busy', fingerprintOf('POST /v1/payments', body(4242)));
      const res = await post('key-busy', body(4242));
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'IDEMPOTENCY_KEY_IN_USE');
    });

    it('HK payments of two types with the same key and body: the second is 422, not a replay', async () => {
      const hk = await app.createAccount(alice.headers, { name: 'HK', bank: 'HSBCHKHHXXX', accountNumber: '123456789', currencies: ['HKD'] });
      const single = { amount: 100, currency: 'HKD', senderAccountId: hk, receiver: { name: 'Chan', bank: '004', bankAccountNumber: '123456789' } };
      const headers = { ...alice.headers, 'idempotency-key': 'hk-types' };
      assert.equal((await app.inject({ method: 'POST', url: '/payment/hk/v1.0/fps', headers, payload: single })).statusCode, 202);
      const res = await app.inject({ method: 'POST', url: '/payment/hk/v1.0/rtgs', headers, payload: single });
      assert.equal(res.statusCode, 422);
    });

    it('POST /v1/accounts takes an Idempotency-Key too', async () => {
      const payload = { name: 'Idem', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] };
      const headers = { ...alice.headers, 'idempotency-key': 'acct-once' };
      const first = await app.inject({ method: 'POST', url: '/v1/accounts', headers, payload });
      const second = await app.inject({ method: 'POST', url: '/v1/accounts', headers, payload });
      assert.equal(first.statusCode, 201);
      assert.equal(second.statusCode, 201);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.equal(second.json().id, first.json().id);
    });

    it('keys are per client: another client may use the same key', async () => {
      const bob = await app.authed();
      const bobAccount = await app.createAccount(bob.headers);
      await post('shared-key', body());
      const res = await post('shared-key', { ...body(), senderAccountId: bobAccount }, bob.headers);
      assert.equal(res.statusCode, 202);
      assert.equal(res.headers['idempotent-replayed'], undefined);
    });

    it('a failed validation does not keep the key: the corrected request goes through', async () => {
      const bad = await post('key-fix', { ...body(), amount: -1 });
      assert.equal(bad.statusCode, 400);
      const good = await post('key-fix', body());
      assert.equal(good.statusCode, 202);
    });

    it('a key longer than 255 characters is 400', async () => {
      const res = await post('k'.repeat(256), body());
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].path, 'Idempotency-Key');
    });

    it('20 parallel identical requests create exactly one payment', async () => {
      const carol = await app.authed();
      const acct = await app.createAccount(carol.headers);
      const payload = { ...body(), senderAccountId: acct };
      const results = await Promise.all(Array.from({ length: 20 }, () => post('race', payload, carol.headers)));
      const statuses = results.map((r) => r.statusCode);
      assert.ok(
        statuses.every((s) => s === 202 || s === 409),
        statuses.join(','),
      );
      assert.equal(await count(carol.headers), 1);
      const ids = new Set(results.filter((r) => r.statusCode === 202).map((r) => r.json().id));
      assert.equal(ids.size, 1);
      // Once the first has finished, every retry replays it.
      const retry = await post('race', payload, carol.headers);
      assert.equal(retry.statusCode, 202);
      assert.equal(retry.json().id, [...ids][0]);
    });

    describe('POST /v1/payment-batches', () => {
      const batch = (amounts: number[]) => ({
        type: 'FAST',
        paymentDate: '2026-03-10',
        senderAccountId: account,
        currency: 'SGD',
        payments: amounts.map((amount) => ({ amount, receiver: { name: 'Tan Ah Kow', bank: 'DBSSSGSGXXX', bankAccountNumber: '0123456789' } })),
      });
      const postBatch = (key: string, payload: unknown, headers = alice.headers) =>
        app.inject({ method: 'POST', url: '/v1/payment-batches', headers: { ...headers, 'idempotency-key': key }, payload: payload as object });

      it('the same key and body replays the batch (200, same ids) and creates no payment', async () => {
        const first = await postBatch('batch-replay', batch([100, 200, 300]));
        assert.equal(first.statusCode, 200, first.body);
        assert.equal(first.headers['idempotent-replayed'], undefined);
        const n = await count();
        const second = await postBatch('batch-replay', batch([100, 200, 300]));
        assert.equal(second.statusCode, 200);
        assert.equal(second.headers['idempotent-replayed'], 'true');
        assert.deepEqual(second.json(), first.json());
        assert.equal(await count(), n);
      });

      it('the same key with another batch is 422 IDEMPOTENCY_KEY_REUSED and creates nothing', async () => {
        await postBatch('batch-reused', batch([100]));
        const n = await count();
        const res = await postBatch('batch-reused', batch([100, 100]));
        assert.equal(res.statusCode, 422);
        assert.equal(res.json().code, 'IDEMPOTENCY_KEY_REUSED');
        assert.equal(await count(), n);
      });

      it('a refused batch does not keep the key: the corrected one goes through', async () => {
        const bad = await postBatch('batch-fix', batch([100, -1]));
        assert.equal(bad.statusCode, 400);
        const good = await postBatch('batch-fix', batch([100, 1]));
        assert.equal(good.statusCode, 200, good.body);
        assert.equal(good.json().payments.length, 2);
      });

      it('10 parallel identical batches create exactly one', async () => {
        const dave = await app.authed();
        const acct = await app.createAccount(dave.headers);
        const payload = { ...batch([100, 200]), senderAccountId: acct };
        const results = await Promise.all(Array.from({ length: 10 }, () => postBatch('batch-race', payload, dave.headers)));
        const statuses = results.map((r) => r.statusCode);
        assert.ok(
          statuses.every((s) => s === 200 || s === 409),
          statuses.join(','),
        );
        assert.equal(new Set(results.filter((r) => r.statusCode === 200).map((r) => r.json().id)).size, 1);
        assert.equal(await count(dave.headers), 2, 'the two payments of one batch');
        const retry = await postBatch('batch-race', payload, dave.headers);
        assert.equal(retry.statusCode, 200);
        assert.equal(retry.headers['idempotent-replayed'], 'true');
      });
    });

    it('a claim left by a crashed request is taken over after its lease', async () => {
      const { fingerprintOf } = await import('../../src/idempotency/service.ts');
      await app.payrail.services.idempotency.claim(alice.clientId, 'key-crashed', fingerprintOf('POST /v1/payments', body(777)));
      assert.equal((await post('key-crashed', body(777))).statusCode, 409);
      now += 61_000;
      assert.equal((await post('key-crashed', body(777))).statusCode, 202);
    });

    it('keys are purged after 24 hours', async () => {
      await post('key-old', body(1234));
      now += 25 * 3600_000;
      assert.ok((await app.payrail.services.idempotency.purgeExpired()) >= 1);
      const res = await post('key-old', body(1234));
      assert.equal(res.headers['idempotent-replayed'], undefined);
    });
  });
}
