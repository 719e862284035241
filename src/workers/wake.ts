// Waking idle workers when work arrives, instead of polling the database every 100 ms (issue #21
// point 5). Two sources, one signal:
//   - in process: the API after a request that changed something, and a worker loop that did work
//     (the next step of the payment is another loop's), call wake();
//   - PostgreSQL: one connection per instance LISTENs on payrail_work; the triggers of migration
//     0015 NOTIFY it in the transaction that makes work claimable, so it arrives at commit, from
//     any instance or the CLI.
// A wake-up is a hint: a loop woken for nothing finds nothing and idles again. The poll stays as
// the safety net (a lost LISTEN connection, work that becomes due with time: leases running out,
// a bank's answer due later), with a longer idle interval on PostgreSQL (src/workers/loop.ts).
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';
import { WORK_CHANNEL } from '../store/migrations/0015-work-notifications.ts';

export interface Wakeup {
  /** Calls `fn` on every wake-up; returns the function that stops that. */
  onWake(fn: () => void): () => void;
  /** Wakes every listener (in this process). */
  wake(): void;
}

export function createWakeup(): Wakeup {
  const emitter = new EventEmitter();
  // One listener per worker loop; more would be a leak.
  emitter.setMaxListeners(50);
  return {
    onWake(fn) {
      emitter.on('wake', fn);
      return () => emitter.off('wake', fn);
    },
    wake() {
      emitter.emit('wake');
    },
  };
}

/** How long a lost LISTEN connection waits before it connects again (the poll covers the gap). */
const RECONNECT_MS = 1000;

/**
 * Listens on PostgreSQL for committed work and wakes `wakeup` on each notice. Reconnects after a
 * lost connection (logged as a warning; the workers keep polling meanwhile). stop() ends it.
 */
export function listenForWork(url: string, wakeup: Wakeup, logger: Logger): { stop(): Promise<void> } {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', () => wakeup.wake());
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('the connection ended')));
    try {
      await c.connect();
      await c.query(`listen ${WORK_CHANNEL}`);
      // Work committed while no one listened: look now.
      wakeup.wake();
    } catch (err) {
      lost(c, err);
    }
  }

  function lost(c: pg.Client, err: unknown): void {
    if (stopped || client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    logger.warn({ err }, `listening for work (LISTEN ${WORK_CHANNEL}) failed; workers poll until it is back`);
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
