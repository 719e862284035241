// The delivery worker running on its own (as in `payrail serve`), on both databases: at most 16
// endpoints are delivered to at once, a hanging receiver does not hold up the API, and shutdown
// cuts in-flight attempts short without recording them as answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';

for (const kind of databaseKinds()) {
  describe(`webhook worker loop (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let receiver: Receiver;

    before(async () => {
      db = await kind.create();
      receiver = await startReceiver(() => 'hang');
      app = await startTestApp(db, { workers: true, webhooks: { timeoutMs: 5000 } });
    });
    after(async () => {
      await app?.close();
      await receiver?.close();
      await db?.drop();
    });

    it('20 hanging endpoints: 16 in flight, the API answers meanwhile, shutdown is prompt and records nothing', async () => {
      const client = await app.authed();
      for (let i = 0; i < 20; i++) {
        const res = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: client.headers, payload: { url: `${receiver.url}/hook/${i}` } });
        assert.equal(res.statusCode, 201);
      }
      const { outbox } = app.payrail.services;
      await app.payrail.database.db
        .transaction()
        .execute((tx) => outbox.append(tx, { clientId: client.clientId, type: 'payments.succeeded', objectType: 'payment', objectId: 'pymt_loop', data: {} }));

      await receiver.waitFor(16);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(receiver.received.length, 16, 'no more than 16 endpoints at once');

      const started = performance.now();
      const res = await app.inject({ method: 'GET', url: '/v1/webhook-endpoints?limit=100', headers: client.headers });
      assert.equal(res.statusCode, 200);
      assert.ok(performance.now() - started < 500, 'the API is not held up by deliveries in flight');

      const closing = performance.now();
      await app.close();
      assert.ok(performance.now() - closing < 2000, 'shutdown does not wait for the receivers');
      const database = await openDatabase(db.url);
      try {
        assert.deepEqual(await database.db.selectFrom('webhook_attempts').select('id').execute(), [], 'an attempt cut short by shutdown is not an answer');
        const endpoints = await database.db.selectFrom('webhook_endpoints').select('lease_owner').execute();
        assert.ok(
          endpoints.every((e) => e.lease_owner === null),
          'leases are released, so the next worker starts at once',
        );
        const deliveries = await database.db.selectFrom('webhook_deliveries').select('status').execute();
        assert.deepEqual(new Set(deliveries.map((d) => d.status)), new Set(['pending']));
      } finally {
        await database.close();
      }
    });
  });
}
