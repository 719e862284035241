// A background loop: calls `tick` again at once while it finds work; otherwise it waits, from
// `idleMs` doubling up to `maxIdleMs` while it keeps finding none (an idle server polls its
// database rarely, a busy one never waits). A wake-up (src/workers/wake.ts: work was committed
// here or, on PostgreSQL, anywhere) ends the wait at once, or runs one more tick right after the
// one in progress. stop() waits for the tick in progress, so shutdown never cuts a unit of work in half.
import type { Logger } from 'pino';
import type { Hears, WakeSource } from './wake.ts';

export interface WorkerLoop {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

export interface LoopOptions {
  /** The first wait after a tick that found no work. */
  idleMs: number;
  /** The longest wait, reached by doubling while ticks find no work (default: idleMs, no backoff). */
  maxIdleMs?: number;
  logger: Logger;
  wakeup?: WakeSource;
  /** Which of `wakeup`'s wake-ups concern this loop (default: all). */
  hears?: Hears;
  /**
   * How long a woken loop still waits before its tick (default 0): a loop that gathers work into
   * multi-row passes (the single-payment worker) lets a burst of wake-ups make one pass, not one each.
   */
  gatherMs?: number;
}

/** A loop; wake() wakes it as a wake-up would (for its owner: a webhook run that ended frees a slot). */
export type Loop = WorkerLoop & { wake(): void };

export function createLoop(name: string, tick: () => Promise<number>, { idleMs, maxIdleMs = idleMs, logger, wakeup, hears, gatherMs = 0 }: LoopOptions): Loop {
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let ticking = false;
  let again = false;
  let wait = idleMs;
  let unsubscribe: (() => void) | undefined;

  /** When the armed timer fires (Infinity: none armed). */
  let dueAt = Infinity;
  const schedule = (ms: number) => {
    clearTimeout(timer);
    dueAt = Infinity;
    if (running) {
      timer = setTimeout(run, ms);
      dueAt = Date.now() + ms;
    }
  };

  function run(): void {
    dueAt = Infinity;
    ticking = true;
    again = false;
    current = tick().then(
      (done) => {
        ticking = false;
        if (done > 0) {
          wait = idleMs;
          schedule(0);
        } else if (again) {
          wait = idleMs;
          schedule(gatherMs);
        } else {
          schedule(wait);
          wait = Math.min(wait * 2, maxIdleMs);
        }
      },
      (err: unknown) => {
        ticking = false;
        logger.error({ err, worker: name }, 'worker tick failed');
        schedule(idleMs * 5);
      },
    );
  }

  function woken(): void {
    if (!running) return;
    wait = idleMs;
    if (ticking) again = true;
    // A tick already due within the gathering time is left as it is: wake-ups in a row must not
    // keep pushing it back (steady traffic would starve the loop).
    else if (dueAt > Date.now() + gatherMs) schedule(gatherMs);
  }

  return {
    name,
    wake: woken,
    start() {
      if (running) return;
      running = true;
      unsubscribe = wakeup?.onWake(woken, hears);
      schedule(0);
    },
    async stop() {
      running = false;
      unsubscribe?.();
      clearTimeout(timer);
      await current;
    },
  };
}
