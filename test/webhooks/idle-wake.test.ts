// An idle webhook delivery loop backs off (here up to a minute) and is woken when deliveries are
// scheduled (issue #21 point 5), in its own process as in `payrail serve` and in the main thread.
// On PostgreSQL the delivery is scheduled by ANOTHER instance (an API-only one): only the NOTIFY of
// migration 0018 can wake the worker instance. On SQLite one instance does both: its API's wake-up
// reaches the loop in process, or the delivery process over its IPC channel.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { WAKE_EVERY_MS, throttle } from '../../src/webhooks/delivery-process.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';

const LONG_POLL = { PAYRAIL_WORKER_IDLE_POLL_MS: '60000' };
/**
 * An idle loop waits 100, 200, 400, … 3,200, then 6,400 ms: 7 s after its last work it is in the
 * 6.4 s wait that ends 12.7 s after it. A delivery scheduled then and received within WOKEN_MS was woken for.
 */
const IDLE_FOR_MS = 7000;
const WOKEN_MS = 1500;

describe('wake-ups passed on to the delivery process', () => {
  it(`are at most one per ${WAKE_EVERY_MS} ms, and the last of a burst is never lost`, async () => {
    const sent: number[] = [];
    const pass = throttle(() => sent.push(performance.now()), WAKE_EVERY_MS);
    const started = performance.now();
    let lastCall = 0;
    // A busy API: a wake-up every millisecond for 100 ms.
    while (performance.now() - started < 100) {
      lastCall = performance.now();
      pass.call();
      await sleep(1);
    }
    await sleep(3 * WAKE_EVERY_MS);
    const burst = sent.length;
    assert.ok(burst >= 3 && burst <= 100 / WAKE_EVERY_MS + 2, `${burst} messages for 100 ms of wake-ups`);
    const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
    assert.ok(
      gaps.every((g) => g >= WAKE_EVERY_MS - 2),
      `gaps ${gaps.map(Math.round).join(', ')} ms`,
    );
    assert.ok(sent.at(-1)! >= lastCall, 'a message follows the last wake-up of the burst');
    pass.call();
    assert.equal(sent.length, burst + 1, 'a wake-up after a quiet spell goes at once');
    pass.cancel();
  });
});

for (const kind of databaseKinds()) {
  for (const where of ['process', 'event-loop'] as const) {
    describe(`an idle webhook delivery loop is woken by new deliveries (${kind.name}, ${where})`, { skip: kind.skip }, () => {
      let db: TestDatabase;
      let receiver: Receiver;
      let api: TestApp;
      let worker: TestApp | undefined;

      before(async () => {
        db = await kind.create();
        receiver = await startReceiver();
        // A test seam (the sender's timeout) keeps delivery in the main thread.
        const options = { workers: true, env: LONG_POLL, ...(where === 'event-loop' && { webhooks: { timeoutMs: 5000 } }) };
        if (kind.name === 'postgres') {
          api = await startTestApp(db);
          worker = await startTestApp(db, options);
        } else {
          api = await startTestApp(db, options);
        }
        assert.equal((worker ?? api).payrail.workers.webhookDelivery, where);
      });
      after(async () => {
        await worker?.close();
        await api?.close();
        await receiver?.close();
        await db?.drop();
      });

      it('a redelivery made while the loop idles arrives within 1.5 s, not at its next poll', { timeout: 90_000 }, async () => {
        const client = await api.authed();
        // The event first, then the endpoint: the event has no delivery until it is redelivered.
        const eventId = await api.payrail.database.db.transaction().execute((tx) =>
          api.payrail.services.outbox.append(tx, {
            clientId: client.clientId,
            type: 'payments.succeeded',
            objectType: 'payment',
            objectId: 'pymt_wake',
            data: {},
          }),
        );
        const created = await api.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: client.headers, payload: { url: `${receiver.url}/hook` } });
        assert.equal(created.statusCode, 201, created.body);
        const redeliver = async () => {
          const res = await api.inject({
            method: 'POST',
            url: `/v1/events/${eventId}/redeliver`,
            headers: { ...client.headers, 'idempotency-key': randomUUID() },
            payload: {},
          });
          assert.equal(res.statusCode, 202, res.body);
          return performance.now();
        };

        // The first one also waits for the delivery process to have loaded (at idle priority).
        await redeliver();
        await receiver.waitFor(1, 60_000);
        await sleep(IDLE_FOR_MS);
        const scheduled = await redeliver();
        await receiver.waitFor(2, 20_000);
        const after = performance.now() - scheduled;
        assert.ok(after < WOKEN_MS, `the redelivery arrived ${Math.round(after)} ms after it was scheduled (the loop's idle wait was 6.4 s)`);
      });
    });
  }
}
