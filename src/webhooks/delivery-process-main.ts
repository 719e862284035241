// The body of the webhook delivery process: its own event loop, database connection and HTTP
// pools, the same worker (worker.ts) as in the main thread. Its entry (delivery-child.mjs) has
// already put it in the OS's lowest scheduling class.
import { Socket } from 'node:net';
import { systemClock } from '../clock.ts';
import { apiIdleWaiter } from '../http/api-activity.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../store/database.ts';
import { DELIVERY_CHANNEL } from '../store/migrations/0018-webhook-delivery-work.ts';
import { createWakeup, listenForWork } from '../workers/wake.ts';
import { ACTIVITY_FD, PARENT_DEATH_SIGNAL } from './delivery-process.ts';
import type { DeliveryProcessData, DeliveryProcessMessage } from './delivery-process.ts';
import { systemResolver } from './resolver.ts';
import { createWebhookSender } from './sender.ts';
import { createWebhookWorker } from './worker.ts';

/** What the entry managed: 'SCHED_IDLE', 'nice 19' or 'normal'. */
const scheduling = (globalThis as { payrailDeliveryScheduling?: string }).payrailDeliveryScheduling ?? 'normal';
// Ctrl-C reaches the whole process group: this process stops when its parent says so (or dies),
// after the parent has stopped taking requests.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);

/** How long an orphan (its parent died) may take to stop before it ends itself anyway. */
const ORPHAN_STOP_MS = 1000;
/** The first idle wait of the delivery loop, as the parent's loops' (src/workers/index.ts). */
const IDLE_MS = 100;

// Until delivery runs there is nothing to stop gracefully.
let stop: (deadlineMs: number) => Promise<void> = async () => process.exit(0);
// The parent is gone (it exited, or was killed): nobody restarts or stops this process any more,
// and its leases run out anyway; it stops within ORPHAN_STOP_MS. This replaces the entry's
// listener (delivery-child.mjs), which ended the process while it was loading.
const entryOrphaned = (globalThis as { payrailDeliveryOrphaned?: () => void }).payrailDeliveryOrphaned;
if (entryOrphaned) process.off('disconnect', entryOrphaned);
process.once('disconnect', () => void stop(ORPHAN_STOP_MS));
process.on(PARENT_DEATH_SIGNAL, () => void stop(ORPHAN_STOP_MS)); // from the kernel, where setpriv gave one
if (!process.connected) process.exit(0); // it died before the listener above was in place

// The parent's wake-ups (it may have scheduled deliveries) end the loop's idle wait.
const wakeup = createWakeup();
const data = await new Promise<DeliveryProcessData>((resolve) => {
  process.on('message', (m: DeliveryProcessMessage) => {
    if (m === 'stop') void stop(Number.POSITIVE_INFINITY);
    else if (m === 'wake') wakeup.wake();
    else if (typeof m === 'object' && 'start' in m) resolve(m.start);
  });
  // A channel closed meanwhile is reported here, not thrown ('disconnect' ends the process).
  process.send!('ready', undefined, undefined, () => undefined);
});
const logger = createLogger(data.logLevel).child({ worker: 'webhook-delivery', pid: process.pid });
if (scheduling === 'normal') logger.warn('could not lower the webhook delivery process priority; it runs at normal priority');
try {
  const database = await openDatabase(data.databaseUrl);
  const sender = createWebhookSender({ resolve: systemResolver, timeoutMs: data.timeoutMs });
  // The parent's API_BUSY / API_IDLE bytes; an error means the parent is gone ('disconnect' stops this process).
  const signals = new Socket({ fd: ACTIVITY_FD, readable: true, writable: false }).on('error', () => undefined);
  signals.unref();
  const beforeSend = data.yieldMs > 0 ? apiIdleWaiter(signals, data.yieldMs, data.yieldShare) : undefined;
  const worker = createWebhookWorker({
    db: database.db,
    clock: systemClock,
    logger,
    sender,
    retryBaseMs: data.retryBaseMs,
    timeoutMs: data.timeoutMs,
    beforeSend,
  });
  // Idle, it backs off like the parent's loops; on PostgreSQL deliveries scheduled anywhere wake it (migration 0018).
  const loop = worker.loop({ idleMs: IDLE_MS, maxIdleMs: Math.max(IDLE_MS, data.idlePollMs), wakeup });
  const listening = database.dialect === 'postgres' ? listenForWork(data.databaseUrl, { [DELIVERY_CHANNEL]: wakeup }, logger) : undefined;
  loop.start();
  logger.debug({ scheduling }, 'webhook delivery process running');
  let stopping: Promise<void> | undefined;
  stop = (deadlineMs) => {
    // Nobody may be left to kill this process (its parent died): it ends itself if stopping hangs,
    // after an attempt's timeout when its parent asked, at once when its parent died.
    setTimeout(() => process.exit(1), Math.min(deadlineMs, data.timeoutMs + 5000)).unref();
    return (stopping ??= (async () => {
      // As in the main thread: requests in flight are cut short, nothing of them recorded.
      await listening?.stop();
      await loop.stop();
      sender.close();
      await database.close();
      process.exit(0);
    })());
  };
} catch (err) {
  logger.error({ err }, 'webhook delivery process could not start');
  process.exit(1);
}
