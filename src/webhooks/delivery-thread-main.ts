// The body of the webhook delivery thread: its own event loop, its own database connection and
// HTTP agents, the same worker (worker.ts) as in the main thread. The thread lowers its own
// scheduling priority, so when the CPU is short the API's thread runs first.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../clock.ts';
import { whenApiIdle } from '../http/api-activity.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../store/database.ts';
import type { DeliveryThreadData } from './delivery-thread.ts';
import { systemResolver } from './resolver.ts';
import { createWebhookSender } from './sender.ts';
import { createWebhookWorker } from './worker.ts';

const data = workerData as DeliveryThreadData;
const port = parentPort!;
const logger = createLogger(data.logLevel).child({ thread: 'webhook-delivery' });
try {
  // On Linux this sets the calling thread's nice value only, not the process's.
  setPriority(data.niceness);
} catch (err) {
  logger.warn({ err }, 'could not lower the webhook delivery thread priority; it runs at normal priority');
}
const database = await openDatabase(data.databaseUrl);
const sender = createWebhookSender({ resolve: systemResolver, timeoutMs: data.timeoutMs });
const activity = data.apiActivity;
const beforeSend = activity && data.yieldMs > 0 ? () => whenApiIdle(activity, data.yieldMs) : undefined;
const worker = createWebhookWorker({ db: database.db, clock: systemClock, logger, sender, retryBaseMs: data.retryBaseMs, timeoutMs: data.timeoutMs, beforeSend });
const loop = worker.loop({ idleMs: 100 });
loop.start();

port.once('message', () => {
  void (async () => {
    // As in the main thread: requests in flight are cut short, nothing of them recorded.
    await loop.stop();
    sender.close();
    await database.close();
    port.close();
  })();
});
