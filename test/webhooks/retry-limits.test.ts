// The long horizons of delivery, on both databases, with the clock moved by days: a delivery is
// given up 3 days after its first attempt (retries ×5 apart, capped at 8 hours), an endpoint
// failing for 5 days straight is disabled, and a rotated-out secret stops signing after 24 hours.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { RETRY_BASE_MS, startWebhookFixture } from './fixtures.ts';
import type { WebhookFixture } from './fixtures.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

for (const kind of databaseKinds()) {
  describe(`webhook retry limits (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let f: WebhookFixture;
    const receivers: Receiver[] = [];
    const receiver = async (answer?: Receiver['answer']) => {
      const r = await startReceiver(answer);
      receivers.push(r);
      return r;
    };
    const deliveryRows = (endpointId: string) =>
      f.app.payrail.database.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('id').execute();
    const attemptTimes = async (deliveryId: string) =>
      (await f.app.payrail.database.db.selectFrom('webhook_attempts').select('attempted_at').where('delivery_id', '=', deliveryId).orderBy('id').execute()).map(
        (a) => Date.parse(a.attempted_at),
      );

    /** Moves the clock to the next due attempt of the endpoint and runs it; false when none is pending. */
    async function nextAttempt(endpointId: string): Promise<boolean> {
      const due = (await deliveryRows(endpointId)).filter((d) => d.status === 'pending').map((d) => Date.parse(d.next_attempt_at!));
      if (due.length === 0) return false;
      await f.step(Math.max(0, Math.min(...due) - f.now));
      return true;
    }

    before(async () => {
      db = await kind.create();
      f = await startWebhookFixture(db);
    });
    after(async () => {
      for (const r of receivers) await r.close();
      await f?.close();
      await db?.drop();
    });

    it('retries ×5 apart up to 8 hours, and gives up 3 days after the first attempt', async () => {
      const client = await f.client();
      const r = await receiver(() => 500);
      const endpoint = await f.register(client, r.url);
      await f.appendEvent(client.clientId, 'payments.failed', 'pymt_giveup');
      await f.step(0);
      while (await nextAttempt(endpoint.id));
      const [d] = await deliveryRows(endpoint.id);
      assert.equal(d!.status, 'failed');
      assert.equal(d!.next_attempt_at, null);
      const times = await attemptTimes(d!.id);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      const s = RETRY_BASE_MS;
      assert.deepEqual(gaps.slice(0, 8), [s, 5 * s, 25 * s, 125 * s, 625 * s, 3125 * s, 15625 * s, 8 * HOUR]);
      for (const gap of gaps.slice(7, -1)) assert.equal(gap, 8 * HOUR, 'capped at 8 hours');
      assert.equal(times.at(-1)! - times[0]!, 3 * DAY, 'the last attempt is at the 3-day mark');
      assert.equal(r.received.length, times.length);
      assert.equal(new Set(r.received.map((q) => q.headers['webhook-id'])).size, 1);
      await f.reauth(client);
      const endpointNow = (await f.app.inject({ method: 'GET', url: `/v1/webhook-endpoints/${endpoint.id}`, headers: client.headers })).json();
      assert.equal(endpointNow.status, 'enabled', '3 days of failures do not disable the endpoint');
    });

    it('an endpoint whose deliveries fail for 5 days straight is disabled and says why', async () => {
      const client = await f.client();
      const r = await receiver(() => 503);
      const endpoint = await f.register(client, r.url);
      const start = f.now;
      await f.appendEvent(client.clientId, 'payments.failed', 'pymt_d1');
      await f.step(0);
      // A second event two days in keeps the endpoint being tried past the 5-day mark.
      while (f.now < start + 2 * DAY) await nextAttempt(endpoint.id);
      await f.appendEvent(client.clientId, 'payments.failed', 'pymt_d2');
      while (await nextAttempt(endpoint.id)) assert.ok(f.now <= start + 5 * DAY + 8 * HOUR, 'disabled within one retry interval of the 5-day mark');
      await f.reauth(client);
      const res = (await f.app.inject({ method: 'GET', url: `/v1/webhook-endpoints/${endpoint.id}`, headers: client.headers })).json();
      assert.equal(res.status, 'disabled');
      assert.match(res.disabledReason, /failed for 5 days/);
      assert.match(res.disabledReason, /HTTP 503/);
      assert.ok(Date.parse(res.disabledAt) - start >= 5 * DAY);
      assert.deepEqual(
        (await deliveryRows(endpoint.id)).map((d) => d.status),
        ['failed', 'failed'],
      );

      // Nothing more for it: new events get no delivery, and it cannot be redelivered to.
      const later = await f.appendEvent(client.clientId, 'payments.failed', 'pymt_d3');
      await f.step(HOUR);
      assert.equal((await deliveryRows(endpoint.id)).length, 2);
      await f.reauth(client);
      const redeliver = await f.app.inject({
        method: 'POST',
        url: `/v1/events/${later}/redeliver`,
        headers: client.headers,
        payload: { endpointId: endpoint.id },
      });
      assert.equal(redeliver.statusCode, 409);
      assert.equal(redeliver.json().code, 'WEBHOOK_ENDPOINT_DISABLED');
    });

    it('a success ends the failing streak: failures before it do not count towards the 5 days', async () => {
      const client = await f.client();
      let healthy = false;
      const r = await receiver(() => (healthy ? 200 : 500));
      const endpoint = await f.register(client, r.url);
      const start = f.now;
      await f.appendEvent(client.clientId, 'payments.failed', 'pymt_s1');
      await f.step(0);
      while (f.now < start + 2 * DAY) await nextAttempt(endpoint.id);
      healthy = true;
      await nextAttempt(endpoint.id);
      healthy = false;
      await f.appendEvent(client.clientId, 'payments.failed', 'pymt_s2');
      while (f.now < start + 5 * DAY + HOUR && (await nextAttempt(endpoint.id)));
      const row = await f.app.payrail.database.db
        .selectFrom('webhook_endpoints')
        .select(['status', 'failing_since'])
        .where('id', '=', endpoint.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'enabled');
      assert.ok(Date.parse(row.failing_since!) > start + 2 * DAY);
    });

    it('after 24 hours only the new secret signs', async () => {
      const client = await f.client();
      const r = await receiver();
      const endpoint = await f.register(client, r.url);
      const rotated = (await f.app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, headers: client.headers })).json();
      await f.step(DAY - 1000);
      await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_r1');
      await f.step(0);
      await f.step(1000);
      await f.appendEvent(client.clientId, 'payments.succeeded', 'pymt_r2');
      await f.step(0);
      const signaturesOf = (n: number) => String(r.received[n]!.headers['webhook-signature']).split(' ');
      // standardwebhooks' own signer (its verifier would refuse these timestamps: the clock is a day ahead).
      const expected = (secret: string, n: number) => {
        const q = r.received[n]!;
        return new Webhook(secret).sign(String(q.headers['webhook-id']), new Date(Number(q.headers['webhook-timestamp']) * 1000), q.raw);
      };
      assert.deepEqual(signaturesOf(0), [expected(rotated.secret, 0), expected(endpoint.secret, 0)], 'within 24 hours: both');
      assert.deepEqual(signaturesOf(1), [expected(rotated.secret, 1)], 'after: the new one only');
    });
  });
}
