// Waking idle workers when work arrives, instead of polling the database every 100 ms (issue #21
// point 5). Two sources, one signal:
//   - in process: the API after a request that changed something, and a worker loop that did work
//     (the next step of the payment is another loop's), call wake(); the webhook delivery child
//     hears of them over its IPC channel (src/webhooks/delivery-process.ts);
//   - PostgreSQL: one connection per process LISTENs; the triggers of migration 0015 NOTIFY
//     payrail_work in the transaction that makes work claimable, those of 0018 payrail_webhooks in
//     the one that schedules webhook deliveries, so it arrives at commit, from any instance or the CLI.
// A wake-up is a hint: a loop woken for nothing finds nothing and idles again. The poll stays as
// the safety net (a lost LISTEN connection, work that becomes due with time: leases running out,
// a bank's answer due later), with a longer idle interval on PostgreSQL (src/workers/loop.ts).
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * What a wake-up is about, when that is known and narrow: 'test-single-payment', a test-mode single
 * payment was created or moved on by the single-payment worker (work for that worker and for
 * webhooks; none for batches, live single-payment files or bank files). Without a topic: anything.
 */
export type WakeTopic = 'test-single-payment';

/** Which wake-ups a listener wants (default: all). */
export type Hears = (topic: WakeTopic | undefined) => boolean;

export interface Wakeup {
  /** Calls `fn` on every wake-up it `hears` (default: all); returns the function that stops that. */
  onWake(fn: () => void, hears?: Hears): () => void;
  /** Wakes every listener (in this process) that hears `topic`. */
  wake(topic?: WakeTopic): void;
}

/** Every wake-up but those about test-mode single payments only: the loops of batches and bank files. */
export const notTestSinglePayments: Hears = (topic) => topic !== 'test-single-payment';

export function createWakeup(): Wakeup {
  const emitter = new EventEmitter();
  // One listener per worker loop; more would be a leak.
  emitter.setMaxListeners(50);
  return {
    onWake(fn, hears) {
      const listener = (topic: WakeTopic | undefined) => {
        if (!hears || hears(topic)) fn();
      };
      emitter.on('wake', listener);
      return () => emitter.off('wake', listener);
    },
    wake(topic) {
      emitter.emit('wake', topic);
    },
  };
}

/** What a loop listens to: the wake-ups of one Wakeup, or of several (anyWakeup). */
export type WakeSource = Pick<Wakeup, 'onWake'>;

/** Hears the wake-ups of every one of `sources` (a loop woken from more than one place). */
export function anyWakeup(...sources: WakeSource[]): WakeSource {
  return {
    onWake(fn, hears) {
      const offs = sources.map((source) => source.onWake(fn, hears));
      return () => offs.forEach((off) => off());
    },
  };
}

/** How long a lost LISTEN connection waits before it connects again (the poll covers the gap). */
const RECONNECT_MS = 1000;

/**
 * Listens on PostgreSQL for committed work, on one connection: a notice on a channel wakes that
 * channel's Wakeup. Reconnects after a lost connection (logged as a warning; the workers keep
 * polling meanwhile). stop() ends it.
 */
export function listenForWork(url: string, channels: Readonly<Record<string, Wakeup>>, logger: Logger): { stop(): Promise<void> } {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const names = Object.keys(channels);

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', (notice) => channels[notice.channel]?.wake());
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('the connection ended')));
    try {
      await c.connect();
      for (const name of names) await c.query(`listen ${name}`);
      // Work committed while no one listened: look now.
      for (const wakeup of Object.values(channels)) wakeup.wake();
    } catch (err) {
      lost(c, err);
    }
  }

  function lost(c: pg.Client, err: unknown): void {
    if (stopped || client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    logger.warn({ err }, `listening for work (LISTEN ${names.join(', ')}) failed; workers poll until it is back`);
    retry = setTimeout(() => void connect(), RECONNECT_MS);
  }

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
