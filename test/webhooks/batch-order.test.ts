// The seed's event order for batches, as a webhook receiver sees it (SPEC §6), on both databases:
// an accepted batch sends `payment-batches.submitted` before any `payments.succeeded|failed` of
// it; a batch rejected whole sends `payment-batches.rejected`, then `payments.failed` for every
// payment. Every delivery is verified with the standardwebhooks package. A failing attempt holds
// the endpoint's later events until it succeeds (order kept), or for HOLD_ATTEMPTS attempts at most.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOLD_ATTEMPTS, HOLD_MAX_AGE_MS, holdsLaterEvents } from '../../src/webhooks/endpoint-lease.ts';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { ACK_DELAY_MS, RETRY_BASE_MS, startWebhookFixture } from './fixtures.ts';
import type { Authed, WebhookFixture } from './fixtures.ts';
import { startReceiver, verifyWith } from './receiver.ts';
import type { Receiver } from './receiver.ts';

for (const kind of databaseKinds()) {
  describe(`webhook order for batches (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let f: WebhookFixture;
    let receiver: Receiver;
    let client: Authed;
    let secret: string;

    before(async () => {
      db = await kind.create();
      f = await startWebhookFixture(db);
      receiver = await startReceiver();
      client = await f.client();
      secret = (await f.register(client, receiver.url)).secret;
    });
    after(async () => {
      await receiver?.close();
      await f?.close();
      await db?.drop();
    });

    /** One bank stage: the sandbox writes its answer, the next pass reads it (and delivers). */
    async function stage(ms = ACK_DELAY_MS) {
      await f.step(ms);
      await f.step(0);
    }
    async function createBatch(accounts: string[]) {
      const payments = accounts.map((account, i) => ({
        amount: 10_000 + i,
        receiver: { name: `Employee ${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: account },
      }));
      const res = await f.app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: client.headers,
        payload: { type: 'FAST', paymentDate: todayIn('Asia/Singapore', f.now), senderAccountId: client.accountId, currency: 'SGD', payments },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { id: string; payments: { id: string }[] };
    }
    /** What the receiver got about a batch and its payments, in arrival order, verified. */
    function receivedFor(batch: { id: string; payments: { id: string }[] }) {
      const ids = new Set([batch.id, ...batch.payments.map((p) => p.id)]);
      return receiver.received.map((q) => verifyWith(secret, q)).filter((e) => ids.has(String(e.data.id)));
    }

    it('an accepted batch: payment-batches.submitted first, then each payment succeeded or failed', async () => {
      const batch = await createBatch(['0123456789', '000000000', '0123456789', '000000001']);
      for (let i = 0; i < 4; i++) await stage(i === 0 ? 0 : ACK_DELAY_MS);
      const events = receivedFor(batch);
      assert.equal(events[0]!.type, 'payment-batches.submitted');
      assert.equal(events[0]!.data.id, batch.id);
      const rest = events.slice(1);
      assert.deepEqual(rest.map((e) => e.type).sort(), ['payments.failed', 'payments.failed', 'payments.succeeded', 'payments.succeeded']);
      assert.deepEqual(rest.map((e) => e.data.id).sort(), batch.payments.map((p) => p.id).sort());
      for (const e of events) assert.equal(e.sequence, 1, 'each object has one event here');
      const times = events.map((e) => Date.parse(e.createdAt));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'arrival order is creation order',
      );
    });

    it('a rejected batch: payment-batches.rejected, then payments.failed for every payment', async () => {
      const batch = await createBatch(['0123456789', '000000002', '0123456789']);
      for (let i = 0; i < 4; i++) await stage(i === 0 ? 0 : ACK_DELAY_MS);
      const events = receivedFor(batch);
      assert.deepEqual(
        events.map((e) => e.type),
        ['payment-batches.submitted', 'payment-batches.rejected', 'payments.failed', 'payments.failed', 'payments.failed'],
      );
      assert.deepEqual(
        events.slice(0, 2).map((e) => [e.data.id, e.sequence]),
        [
          [batch.id, 1],
          [batch.id, 2],
        ],
      );
      assert.deepEqual(
        events
          .slice(2)
          .map((e) => e.data.id)
          .sort(),
        batch.payments.map((p) => p.id).sort(),
      );
    });

    /** The endpoint answers 500 to the batch's `payment-batches.submitted` `times` times; returns what it took, in order. */
    function failSubmitted(batchId: () => string, times: number): string[] {
      const taken: string[] = [];
      let failures = 0;
      receiver.answer = (_n, request) => {
        const e = JSON.parse(request.raw) as { type: string; data: { id: string; batchId?: string } };
        const mine = e.data.id === batchId() || e.data.batchId === batchId();
        if (mine && e.type === 'payment-batches.submitted' && failures < times) {
          failures++;
          return 500;
        }
        if (mine) taken.push(e.type);
        return 204;
      };
      return taken;
    }

    it('a failing attempt holds the later events; once it succeeds they follow, in order', async () => {
      let id = '';
      const taken = failSubmitted(() => id, 2);
      const batch = await createBatch(['0123456789', '0123456789']);
      id = batch.id;
      // Attempts of `submitted` at 0 and +1 s fail; the next is at +6 s. The payments' events
      // (ACK3, +3 s) wait for it instead of overtaking it.
      for (let i = 0; i < 4; i++) await stage(i === 0 ? 0 : ACK_DELAY_MS);
      assert.deepEqual(taken, [], 'nothing of the batch got through while its first event fails');
      await f.step(6 * RETRY_BASE_MS - 3 * ACK_DELAY_MS);
      assert.deepEqual(taken, ['payment-batches.submitted', 'payments.succeeded', 'payments.succeeded'], 'submitted first, then the payments');
    });

    it('the hold is bounded: after HOLD_ATTEMPTS failed attempts the later events go on', async () => {
      let id = '';
      const taken = failSubmitted(() => id, Infinity);
      const batch = await createBatch(['0123456789', '0123456789']);
      id = batch.id;
      for (let i = 0; i < 4; i++) await stage(i === 0 ? 0 : ACK_DELAY_MS);
      await f.step(6 * RETRY_BASE_MS - 3 * ACK_DELAY_MS); // the third attempt fails: the hold ends
      assert.deepEqual(taken, ['payments.succeeded', 'payments.succeeded'], 'the payments went on without it');
      receiver.answer = () => 204;
      await f.step(25 * RETRY_BASE_MS); // its own retry, later: nothing is left pending for the next test
    });
  });
}

describe('the hold is bounded by age too', () => {
  it('a failed delivery holds the later events only while it has attempts of its hold left and is younger than HOLD_MAX_AGE_MS', () => {
    const now = Date.parse('2026-03-10T02:00:00Z');
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    assert.equal(holdsLaterEvents(1, at(1_000), now), true, 'young, one attempt: holds');
    assert.equal(holdsLaterEvents(HOLD_ATTEMPTS, at(1_000), now), false, 'its hold attempts spent: goes on');
    assert.equal(
      holdsLaterEvents(1, at(HOLD_MAX_AGE_MS + 1), now),
      false,
      'older than the bound: a receiver failing some events cannot hold the queue once per failing event',
    );
  });
});
