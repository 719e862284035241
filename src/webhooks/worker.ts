// The delivery worker: sends due deliveries after their events have committed, never inside a
// transaction, and records each attempt afterwards (attempt-log.ts). Up to `concurrency`
// endpoints are served at once; each endpoint gets its deliveries one at a time in event order, so
// a receiver sees events in creation order; a failed one holds the later ones until it succeeds or
// has failed HOLD_ATTEMPTS times in its round or is HOLD_MAX_AGE_MS old (then they go on, and it may
// arrive after them).
// Delivery runs beside the API, not in front of it: nothing here is awaited by a request.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { eventJson } from '../events/service.ts';
import type { Db } from '../store/database.ts';
import type { EventRow, WebhookDeliveryRow } from '../store/schema.ts';
import { createLoop } from '../workers/loop.ts';
import type { WorkerLoop } from '../workers/loop.ts';
import type { WakeSource } from '../workers/wake.ts';
import { createAttemptRecorder } from './attempt-log.ts';
import type { AttemptRecord } from './attempt-log.ts';
import { createEndpointLeases, holdsLaterEvents } from './endpoint-lease.ts';
import type { LeasedEndpoint } from './endpoint-lease.ts';
import { signingSecrets } from './model.ts';
import { failingStreak, outcomeOf } from './outcome.ts';
import type { WebhookSender } from './sender.ts';
import { signatureHeaders } from './signing.ts';

export interface WebhookWorkerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  sender: WebhookSender;
  /** PAYRAIL_WEBHOOK_RETRY_BASE_MS. */
  retryBaseMs: number;
  /** The sender's timeout: a lease must outlast one attempt. */
  timeoutMs: number;
  random?: () => number;
  /** Endpoints delivered to at the same time. */
  concurrency?: number;
  /** Deliveries taken per endpoint lease. */
  batchSize?: number;
  /** Awaited before each send (the delivery process yields to the API's requests here). */
  beforeSend?: () => Promise<void>;
}

const LEASE_MARGIN_MS = 5000;

export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const { db, clock, logger, sender, retryBaseMs, timeoutMs, random = Math.random, concurrency = 16, batchSize = 500, beforeSend } = deps;
  const owner = `wh_${randomBytes(6).toString('hex')}`;
  const leaseMs = timeoutMs + LEASE_MARGIN_MS;
  const leases = createEndpointLeases({ db, clock, owner, leaseMs });
  const recorder = createAttemptRecorder({ db, clock, logger });
  /** Endpoints being delivered to by this worker, and the run doing it (resolves to attempts made). */
  const active = new Map<string, Promise<number>>();
  /** Endpoints whose run found only held deliveries: their lease is kept until the held retry. */
  const parked = new Set<string>();
  /** Cuts every request in flight short at shutdown: each of the `concurrency` sends listens to it. */
  const newShutdown = () => {
    const controller = new AbortController();
    setMaxListeners(concurrency + 1, controller.signal);
    return controller;
  };
  let shutdown = newShutdown();
  let onRunDone: () => void = () => {};

  /** Sends one delivery; undefined when shutdown cut it short (nothing to record). */
  async function attempt(endpoint: LeasedEndpoint, delivery: WebhookDeliveryRow, event: EventRow): Promise<AttemptRecord | undefined> {
    if (beforeSend) await beforeSend();
    const attemptedAt = clock();
    const body = eventJson(event);
    const headers = signatureHeaders(signingSecrets(endpoint, isoAt(attemptedAt)), event.id, Math.floor(attemptedAt / 1000), body);
    const result = await sender.send(
      { url: endpoint.url, headers: { ...headers, 'user-agent': 'payrail-webhooks/1' }, body, policy: endpoint.mode },
      shutdown.signal,
    );
    if (result.aborted) return undefined;
    return { deliveryId: delivery.id, attemptedAt, result, changes: outcomeOf(delivery, result, attemptedAt, { baseMs: retryBaseMs, random }) };
  }

  /** Delivers an endpoint's due deliveries in order; returns the attempts made. */
  async function deliverTo(endpoint: LeasedEndpoint): Promise<number> {
    const { due, heldUntil } = await leases.dueDeliveries(endpoint.id, batchSize);
    if (due.length === 0 && heldUntil !== undefined) {
      parked.add(endpoint.id);
      await leases.park(endpoint.id, heldUntil);
      return 0;
    }
    let leaseUntil = endpoint.leasedUntilMs;
    const streak = failingStreak(endpoint.failing_since);
    let attempts = 0;
    for (const { delivery, event } of due) {
      if (shutdown.signal.aborted) break;
      // Renew before an attempt could outlast the lease, so no other worker takes the endpoint mid-send.
      if (leaseUntil - clock() < timeoutMs + 1000) {
        const renewed = await leases.renew(endpoint.id);
        if (renewed === undefined) break;
        leaseUntil = renewed;
      }
      const record = await attempt(endpoint, delivery, event);
      if (!record) break;
      attempts++;
      const change = streak.observe(record.attemptedAt, record.result);
      recorder.add(endpoint.id, record, change);
      if (change.disabledReason !== undefined) break;
      // A failed attempt with retries of its hold left holds the later events (order, bounded).
      if (record.changes.status === 'pending' && holdsLaterEvents(record.changes.round_attempts, delivery.created_at, clock())) break;
    }
    // Recorded before the lease is released: the next holder must not send these again.
    await recorder.flush();
    return attempts;
  }

  function run(endpoint: LeasedEndpoint): Promise<number> {
    const done = deliverTo(endpoint)
      .catch((err: unknown) => {
        logger.error({ err, endpointId: endpoint.id }, 'webhook delivery run failed; the endpoint will be retried');
        return 0;
      })
      .finally(async () => {
        // A parked endpoint keeps its lease until its held retry is due.
        if (!parked.delete(endpoint.id)) await leases.release(endpoint.id).catch(() => undefined);
        active.delete(endpoint.id);
        onRunDone();
      });
    active.set(endpoint.id, done);
    return done;
  }

  /** Leases endpoints with due deliveries, up to the free slots, and starts delivering to them. */
  async function pump(): Promise<number> {
    const free = concurrency - active.size;
    if (free <= 0 || shutdown.signal.aborted) return 0;
    // Ask for more than the free slots: another worker may lease some of them first.
    const candidates = (await leases.dueEndpoints(free * 2)).filter((id) => !active.has(id));
    let started = 0;
    for (const id of candidates) {
      if (started >= free) break;
      const endpoint = await leases.lease(id);
      if (!endpoint) continue;
      void run(endpoint);
      started++;
    }
    return started;
  }

  async function drain(): Promise<number> {
    let attempts = 0;
    while (active.size > 0) attempts += (await Promise.all([...active.values()])).reduce((a, b) => a + b, 0);
    return attempts;
  }

  return {
    /** Delivers everything due now and waits for it (tests drive the worker this way); returns the attempts made. */
    async tick(): Promise<number> {
      let attempts = 0;
      while ((await pump()) > 0) attempts += await drain();
      return attempts;
    },

    /**
     * The background loop (src/workers/loop.ts): pumps again at once when it started runs or a run
     * finished (a free slot), when woken (deliveries were scheduled), and otherwise after `idleMs`
     * doubling up to `maxIdleMs` while nothing is due. A retry that falls due with time is seen at
     * the next of those polls, at most `maxIdleMs` late.
     */
    loop({ idleMs, maxIdleMs = idleMs, wakeup }: { idleMs: number; maxIdleMs?: number; wakeup?: WakeSource }): WorkerLoop {
      const loop = createLoop('webhooks', pump, { idleMs, maxIdleMs, logger, wakeup });
      let running = false;
      return {
        name: loop.name,
        start() {
          if (running) return;
          running = true;
          shutdown = newShutdown();
          onRunDone = () => loop.wake();
          loop.start();
        },
        async stop() {
          running = false;
          // Requests in flight are cut short and not recorded; their leases are released, so the
          // next worker sends them again at once.
          shutdown.abort();
          await loop.stop();
          await drain();
        },
      };
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
