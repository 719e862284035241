// A fixed number of requests from a fixed number of keep-alive connections, timed from the first
// request sent to the last answer received. autocannon's `amount` mode is not usable for that: it
// sends its first request ~150 ms after the call (its worker starting) and resolves ~1 s after the
// last answer (its sampling tick), whatever the count: 20 requests "took" 1.15 s, so a run of
// 3,000 payments measured mostly autocannon (found in issue 21's singles scenario).
//
// Runs in a worker thread of its own (fixed-count-worker.mjs: undici, one pool), so the load shares the machine's cores
// with the server as a separate client would, and the bench's own event loop (the webhook
// receiver) does not slow it down. Times are epoch milliseconds (performance.timeOrigin +
// performance.now()), comparable across threads and processes of this machine.
import { Worker } from 'node:worker_threads';

export interface FixedCountOptions {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  count: number;
}

export interface FixedCountResult {
  /** Epoch ms when the first request was sent. */
  firstSentAt: number;
  /** Epoch ms when the last answer was complete. */
  lastAnsweredAt: number;
  /** count / (lastAnsweredAt − firstSentAt) in seconds. */
  rate: number;
  seconds: number;
  non2xx: number;
  errors: number;
}

/** Sends `count` requests from `connections` connections in a worker thread; resolves with their timing. */
export function fixedCount(o: FixedCountOptions): Promise<FixedCountResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fixed-count-worker.mjs', import.meta.url), { workerData: o });
    worker.once('message', (m) => {
      resolve(m as FixedCountResult);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && code !== 1 && reject(new Error(`the load worker exited with ${code}`)));
  });
}
