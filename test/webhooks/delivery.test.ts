// Webhook delivery end to end on both databases: events from the sandbox bank reach a local
// receiver signed per Standard Webhooks (checked with the standardwebhooks package), failed
// attempts are retried on schedule with the same webhook-id, a hanging receiver times out, order
// holds per endpoint, every attempt is listed, and events can be redelivered.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { systemResolver } from '../../src/webhooks/resolver.ts';
import { fakeResolver } from './fake-resolver.ts';
import { RETRY_BASE_MS, startWebhookFixture } from './fixtures.ts';
import type { WebhookFixture } from './fixtures.ts';
import { startReceiver, verifyWith } from './receiver.ts';
import type { Receiver } from './receiver.ts';

// rebind.example.com resolved to a public address when it was registered; now it answers 10.0.0.5.
let rebindAnswer = ['93.184.216.34'];
const resolve = (host: string) => (host === 'rebind.example.com' ? fakeResolver({ [host]: rebindAnswer })(host) : systemResolver(host));

for (const kind of databaseKinds()) {
  describe(`webhook delivery (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let f: WebhookFixture;
    const receivers: Receiver[] = [];
    const receiver = async (answer?: Receiver['answer']) => {
      const r = await startReceiver(answer);
      receivers.push(r);
      return r;
    };
    const deliveries = async (client: { headers: Record<string, string> }, endpointId: string, query = '') => {
      const res = await f.app.inject({ method: 'GET', url: `/v1/webhook-endpoints/${endpointId}/deliveries${query}`, headers: client.headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as {
        data: {
          id: string;
          eventId: string;
          eventType: string;
          status: string;
          attemptCount: number;
          nextAttemptAt?: string;
          lastStatusCode?: number;
          lastError?: string;
          attempts: { attemptedAt: string; statusCode?: number; error?: string; durationMs: number }[];
        }[];
        hasMore: boolean;
      };
    };

    before(async () => {
      db = await kind.create();
      f = await startWebhookFixture(db, { resolve });
    });
    after(async () => {
      for (const r of receivers) await r.close();
      await f?.close();
      await db?.drop();
    });

    it('payments.succeeded and payments.failed from the sandbox arrive signed, as GET /v1/events shows them', async () => {
      const client = await f.client();
      const r = await receiver();
      const endpoint = await f.register(client, `${r.url}/hooks`);
      const started = f.now;
      const ok = await f.pay(client);
      const failed = await f.pay(client, '000000000');
      await f.settle();
      assert.equal(r.received.length, 2);
      for (const request of r.received) {
        const payload = verifyWith(endpoint.secret, request);
        const event = (await f.app.inject({ method: 'GET', url: `/v1/events/${payload.id}`, headers: client.headers })).json();
        assert.deepEqual(payload, event, 'the body is the event envelope');
        assert.deepEqual(Object.keys(payload), ['id', 'type', 'createdAt', 'sequence', 'data']);
        assert.equal(request.headers['webhook-id'], event.id);
        assert.equal(request.headers['content-type'], 'application/json');
        const timestamp = Number(request.headers['webhook-timestamp']);
        assert.ok(timestamp >= Math.floor(started / 1000) && timestamp <= Math.floor(f.now / 1000), 'the time of the attempt, in seconds');
      }
      const byObject = Object.fromEntries(r.received.map((q) => JSON.parse(q.raw)).map((e) => [e.data.id, e]));
      assert.equal(byObject[ok].type, 'payments.succeeded');
      assert.equal(byObject[ok].data.status, 'COMPLETED');
      assert.equal(byObject[failed].type, 'payments.failed');
      assert.deepEqual(byObject[failed].data.failure, { stage: 'ACK2', code: 'AC01', message: 'Incorrect account number' });
      const list = await deliveries(client, endpoint.id);
      assert.deepEqual(
        list.data.map((d) => [d.status, d.attemptCount, d.lastStatusCode]),
        [
          ['delivered', 1, 200],
          ['delivered', 1, 200],
        ],
      );
    });

    it('a receiver failing twice then answering 2xx: retried after the base delay, then ×5, with the same webhook-id', async () => {
      const client = await f.client();
      const r = await receiver((n) => [500, 503][n] ?? 204);
      const endpoint = await f.register(client, r.url);
      const eventId = await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_retry');
      assert.equal(await f.step(0), 1);
      assert.equal(await f.step(RETRY_BASE_MS - 1), 0, 'not before the base delay');
      assert.equal(await f.step(1), 1);
      assert.equal(await f.step(RETRY_BASE_MS * 5 - 1), 0, 'then five times longer');
      assert.equal(await f.step(1), 1);
      assert.equal(await f.step(60_000), 0, 'delivered: nothing more is sent');
      assert.deepEqual(
        r.received.map((q) => q.headers['webhook-id']),
        [eventId, eventId, eventId],
      );
      for (const request of r.received) verifyWith(endpoint.secret, request);
      const [d] = (await deliveries(client, endpoint.id)).data;
      assert.equal(d!.status, 'delivered');
      assert.equal(d!.eventId, eventId);
      assert.equal(d!.eventType, 'payments.succeeded');
      assert.equal(d!.attemptCount, 3);
      assert.equal(d!.lastStatusCode, 204);
      assert.equal(d!.nextAttemptAt, undefined);
      assert.deepEqual(
        d!.attempts.map((a) => a.statusCode),
        [500, 503, 204],
      );
      assert.deepEqual(
        d!.attempts.map((a) => a.error),
        [undefined, undefined, undefined],
        'an answer is a status code, not an error',
      );
      for (const a of d!.attempts) assert.ok(Number.isInteger(a.durationMs) && a.durationMs >= 0);
      const times = d!.attempts.map((a) => Date.parse(a.attemptedAt));
      assert.deepEqual([times[1]! - times[0]!, times[2]! - times[1]!], [RETRY_BASE_MS, RETRY_BASE_MS * 5]);
    });

    it('a receiver that hangs: the attempt times out, is recorded, and the retry delivers', async () => {
      const client = await f.client();
      const r = await receiver((n) => (n === 0 ? 'hang' : 200));
      const endpoint = await f.register(client, r.url);
      const eventId = await f.appendEvent(client.clientId, 'payments.failed', 'pymt_hang');
      await f.step(0);
      let [d] = (await deliveries(client, endpoint.id)).data;
      assert.equal(d!.status, 'pending');
      assert.equal(d!.attempts[0]!.statusCode, undefined);
      assert.match(d!.attempts[0]!.error!, /^timeout/);
      assert.ok(d!.attempts[0]!.durationMs >= 450, String(d!.attempts[0]!.durationMs));
      assert.equal(d!.nextAttemptAt, new Date(f.now + RETRY_BASE_MS).toISOString());
      await f.step(RETRY_BASE_MS);
      [d] = (await deliveries(client, endpoint.id)).data;
      assert.equal(d!.status, 'delivered');
      assert.deepEqual(
        r.received.map((q) => q.headers['webhook-id']),
        [eventId, eventId],
      );
    });

    it('events reach an endpoint one at a time in creation order, each with createdAt and its per-object sequence', async () => {
      const client = await f.client();
      const r = await receiver();
      await f.register(client, r.url);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push(await f.appendEvent(client.clientId, i % 2 ? 'payments.failed' : 'payments.succeeded', `pymt_order${i % 3}`));
      await f.step(0);
      const got = r.received.map((q) => JSON.parse(q.raw) as { id: string; sequence: number; createdAt: string; data: { id: string } });
      assert.deepEqual(
        got.map((e) => e.id),
        ids,
      );
      for (const object of ['pymt_order0', 'pymt_order1', 'pymt_order2']) {
        assert.deepEqual(
          got.filter((e) => e.data.id === object).map((e) => e.sequence),
          [1, 2, 3, 4],
        );
      }
      for (const e of got) assert.equal(e.createdAt, new Date(f.now).toISOString());
    });

    it('an endpoint gets only the event types it subscribed to; another endpoint of the client gets all', async () => {
      const client = await f.client();
      const failedOnly = await receiver();
      const all = await receiver();
      await f.register(client, failedOnly.url, ['payments.failed']);
      await f.register(client, all.url);
      await f.pay(client);
      await f.pay(client, '000000000');
      await f.settle();
      assert.deepEqual(
        failedOnly.received.map((q) => JSON.parse(q.raw).type),
        ['payments.failed'],
      );
      assert.deepEqual(all.received.map((q) => JSON.parse(q.raw).type).sort(), ['payments.failed', 'payments.succeeded']);
    });

    it("events go only to the event's own client's endpoints", async () => {
      const [alice, bob] = [await f.client(), await f.client()];
      const bobs = await receiver();
      await f.register(bob, bobs.url);
      await f.appendEvent(alice.clientId, 'payments.succeeded', 'pymt_alice');
      await f.step(0);
      assert.equal(bobs.received.length, 0);
    });

    it('a redirect is a failed attempt: the Location is not followed', async () => {
      const client = await f.client();
      const target = await receiver();
      const r = await receiver(() => ({ status: 307, headers: { location: `${target.url}/elsewhere` } }));
      const endpoint = await f.register(client, r.url);
      await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_redirect');
      await f.step(0);
      assert.equal(target.received.length, 0);
      const [d] = (await deliveries(client, endpoint.id)).data;
      assert.equal(d!.status, 'pending');
      assert.equal(d!.lastStatusCode, 307);
    });

    it('rotate-secret: while both secrets sign, each one verifies the delivery on its own', async () => {
      const client = await f.client();
      const r = await receiver();
      const endpoint = await f.register(client, r.url);
      const rotated = (await f.app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, headers: client.headers })).json();
      await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_rotate');
      await f.step(0);
      const [request] = r.received;
      const signatures = String(request!.headers['webhook-signature']).split(' ');
      assert.equal(signatures.length, 2);
      for (const s of signatures) assert.match(s, /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.ok(verifyWith(rotated.secret, request!), 'the new secret verifies');
      assert.ok(verifyWith(endpoint.secret, request!), 'the old secret still verifies');
    });

    it('the deliveries list: newest first, cursor, status and eventId filters, every attempt', async () => {
      const client = await f.client();
      const r = await receiver((_n, q) => (JSON.parse(q.raw).type === 'payments.failed' ? 500 : 200));
      const endpoint = await f.register(client, r.url);
      const e1 = await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_l1');
      const e2 = await f.appendEvent(client.clientId, 'payments.failed', 'pymt_l2');
      const e3 = await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_l3');
      await f.step(0);
      await f.step(RETRY_BASE_MS);
      const all = await deliveries(client, endpoint.id);
      assert.deepEqual(
        all.data.map((d) => d.eventId),
        [e3, e2, e1],
      );
      const page1 = await deliveries(client, endpoint.id, '?limit=2');
      assert.equal(page1.hasMore, true);
      const page2 = await deliveries(client, endpoint.id, `?limit=2&startingAfter=${page1.data[1]!.id}`);
      assert.deepEqual(
        [...page1.data, ...page2.data].map((d) => d.eventId),
        [e3, e2, e1],
      );
      assert.equal(page2.hasMore, false);
      // e2 failing (2 attempts, under the hold's 3) holds e3, created after it (docs/WEBHOOKS.md).
      const pending = await deliveries(client, endpoint.id, '?status=pending');
      assert.deepEqual(
        pending.data.map((d) => [d.eventId, d.attemptCount, d.lastStatusCode]),
        [
          [e3, 0, undefined],
          [e2, 2, 500],
        ],
      );
      assert.ok(pending.data[1]!.nextAttemptAt, 'the failing one has its retry');
      assert.deepEqual(
        (await deliveries(client, endpoint.id, `?eventId=${e1}`)).data.map((d) => d.status),
        ['delivered'],
      );
      const bad = await f.app.inject({ method: 'GET', url: `/v1/webhook-endpoints/${endpoint.id}/deliveries?status=lost`, headers: client.headers });
      assert.equal(bad.statusCode, 400);
      const other = await f.client();
      assert.equal((await f.app.inject({ method: 'GET', url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: other.headers })).statusCode, 404);
    });

    it('redeliver: 202, a new round now with the same webhook-id, to every subscribed endpoint or to one', async () => {
      const client = await f.client();
      const [a, b] = [await receiver(), await receiver()];
      const ea = await f.register(client, a.url);
      const eb = await f.register(client, b.url);
      const eventId = await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_redeliver');
      await f.step(0);
      assert.deepEqual([a.received.length, b.received.length], [1, 1]);

      const all = await f.app.inject({ method: 'POST', url: `/v1/events/${eventId}/redeliver`, headers: client.headers });
      assert.equal(all.statusCode, 202, all.body);
      assert.deepEqual(
        all
          .json()
          .deliveries.map((d: { endpointId: string }) => d.endpointId)
          .sort(),
        [ea.id, eb.id].sort(),
      );
      await f.step(0);
      assert.deepEqual([a.received.length, b.received.length], [2, 2]);

      const one = await f.app.inject({
        method: 'POST',
        url: `/v1/events/${eventId}/redeliver`,
        headers: { ...client.headers, 'idempotency-key': `re-${eventId}` },
        payload: { endpointId: eb.id },
      });
      assert.equal(one.statusCode, 202, one.body);
      assert.deepEqual(
        one.json().deliveries.map((d: { endpointId: string }) => d.endpointId),
        [eb.id],
      );
      await f.step(0);
      assert.deepEqual([a.received.length, b.received.length], [2, 3]);
      for (const request of [...a.received, ...b.received]) assert.equal(request.headers['webhook-id'], eventId);
      verifyWith(eb.secret, b.received[2]!);
      const [d] = (await deliveries(client, eb.id)).data;
      assert.equal(d!.attemptCount, 3);
      assert.equal(d!.status, 'delivered');
    });

    it('redeliver: another client cannot, an unknown endpoint is 404, a malformed body is 400', async () => {
      const [alice, bob] = [await f.client(), await f.client()];
      const r = await receiver();
      const bobs = await f.register(bob, r.url);
      const eventId = await f.appendEvent(alice.clientId, 'payments.failed', 'pymt_tenant');
      const redeliver = (headers: Record<string, string>, payload?: object) =>
        f.app.inject({ method: 'POST', url: `/v1/events/${eventId}/redeliver`, headers, ...(payload && { payload }) });
      assert.equal((await redeliver(bob.headers)).statusCode, 404, "bob cannot redeliver alice's event");
      assert.equal((await redeliver(alice.headers, { endpointId: bobs.id })).statusCode, 404, "alice cannot target bob's endpoint");
      assert.equal((await redeliver(alice.headers, { endpointId: 'we_01JC9Z6Q8W4M2X1A7B3C5D9E0F' })).statusCode, 404);
      assert.equal((await redeliver(alice.headers, { endpoint: 'x' })).statusCode, 400);
      const none = await redeliver(alice.headers);
      assert.equal(none.statusCode, 202);
      assert.deepEqual(none.json().deliveries, [], 'no endpoint: nothing scheduled');
      await f.step(0);
      assert.equal(r.received.length, 0);
    });

    it('a deleted endpoint gets nothing more: its pending deliveries are canceled', async () => {
      const client = await f.client();
      const r = await receiver(() => 500);
      const endpoint = await f.register(client, r.url);
      await f.appendEvent(client.clientId, 'payments.failed', 'pymt_delete');
      await f.step(0);
      assert.equal((await f.app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${endpoint.id}`, headers: client.headers })).statusCode, 204);
      await f.appendEvent(client.clientId, 'payments.failed', 'pymt_delete2');
      await f.step(RETRY_BASE_MS * 10);
      assert.equal(r.received.length, 1);
      const rows = await f.app.payrail.database.db.selectFrom('webhook_deliveries').select('status').where('endpoint_id', '=', endpoint.id).execute();
      assert.deepEqual(
        rows.map((d) => d.status),
        ['canceled'],
      );
    });

    it('send-time SSRF: a live endpoint whose name now resolves to a private address is not connected to', async () => {
      const client = await f.client({ mode: 'live' });
      rebindAnswer = ['93.184.216.34'];
      const endpoint = await f.register(client, 'https://rebind.example.com/hooks');
      rebindAnswer = ['10.0.0.5'];
      await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_rebind');
      await f.step(0);
      const [d] = (await deliveries(client, endpoint.id)).data;
      assert.equal(d!.status, 'pending');
      assert.equal(d!.attempts.length, 1);
      assert.equal(d!.attempts[0]!.statusCode, undefined);
      assert.equal(d!.attempts[0]!.error, 'refused to connect to 10.0.0.5, a private address');
    });

    it('a test-mode endpoint on localhost (http, loopback) is delivered to', async () => {
      const client = await f.client();
      const r = await receiver();
      const endpoint = await f.register(client, `http://localhost:${r.port}/dev`);
      await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_localhost');
      await f.step(0);
      assert.equal(r.received.length, 1);
      verifyWith(endpoint.secret, r.received[0]!);
    });
  });
}
