// Webhook delivery in a worker thread of its own. Sending thousands of requests a second costs CPU
// (~200 µs a delivery: HTTP, signing, the attempt log) and the attempt log's writes hold whatever
// thread runs them; on the API's event loop both show up in the API's latency. In a thread they
// run on their own event loop, with their own database connection, at a lower OS priority: the
// API's thread gets the CPU first, and delivery takes what is left (on two cores, most of one).
// Same worker, same leases and attempt log as in the main thread, so instances, processes and
// threads share the work the same way; a thread that dies is started again.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config, LogLevel } from '../config.ts';
import type { WorkerLoop } from '../workers/loop.ts';

/** What the thread is started with (structured-cloned). */
export interface DeliveryThreadData {
  databaseUrl: string;
  logLevel: LogLevel;
  retryBaseMs: number;
  timeoutMs: number;
  /** Added to the thread's nice value: 0 = normal priority, 19 = lowest. */
  niceness: number;
  /** The API's requests-in-flight counter; each send waits up to yieldMs while it is above 0. */
  apiActivity?: SharedArrayBuffer;
  yieldMs: number;
}

const ENTRY = new URL('./delivery-thread.js', import.meta.url);
const NICENESS = 10;
/** A thread that dies is started again after this long, doubled for each death in a row… */
const RESTART_AFTER_MS = 1000;
/** …up to this (a thread that cannot start, say its database is gone, costs a module load each time). */
const RESTART_AFTER_MAX_MS = 60_000;
/** A thread that ran this long before dying starts the doubling over. */
const HEALTHY_AFTER_MS = 60_000;
/** The longest a send waits for the API to finish what it is answering. */
const YIELD_MS = 5;

/** True when delivery can run in a thread: a database another connection can open. */
export function canDeliverInThread(config: Pick<Config, 'databaseUrl'>): boolean {
  return !/^sqlite:(:memory:)?$/.test(config.databaseUrl);
}

export function createDeliveryThread({ config, logger, timeoutMs, apiActivity }: { config: Config; logger: Logger; timeoutMs: number; apiActivity?: SharedArrayBuffer }): WorkerLoop {
  let running = false;
  let worker: Worker | undefined;
  let restart: NodeJS.Timeout | undefined;
  let restartAfterMs = RESTART_AFTER_MS;

  function spawn(): void {
    const startedAt = Date.now();
    const data: DeliveryThreadData = { databaseUrl: config.databaseUrl, logLevel: config.logLevel, retryBaseMs: config.webhookRetryBaseMs, timeoutMs, niceness: NICENESS, apiActivity, yieldMs: YIELD_MS };
    const w = new Worker(ENTRY, { workerData: data });
    worker = w;
    w.on('error', (err) => logger.error({ err, worker: 'webhooks' }, 'webhook delivery thread failed'));
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      if (!running) return;
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) restartAfterMs = RESTART_AFTER_MS;
      logger.error({ code, worker: 'webhooks' }, `webhook delivery thread exited; starting it again in ${restartAfterMs} ms`);
      restart = setTimeout(spawn, restartAfterMs);
      restartAfterMs = Math.min(restartAfterMs * 2, RESTART_AFTER_MAX_MS);
    });
  }

  return {
    name: 'webhooks',
    start() {
      if (running) return;
      running = true;
      spawn();
    },
    async stop() {
      running = false;
      clearTimeout(restart);
      const w = worker;
      if (!w) return;
      const exited = once(w, 'exit');
      w.postMessage('stop');
      // The thread stops its loop (requests in flight are cut short) and closes its database;
      // if it cannot within an attempt's timeout, it is ended.
      const grace = setTimeout(() => void w.terminate(), timeoutMs + 5000);
      await exited;
      clearTimeout(grace);
    },
  };
}
