// Whether the API is answering a request right now. Webhook delivery runs in a process of its own
// and, before each request it sends, waits (a few milliseconds at most) while the API is busy: on
// a small machine the API's requests get the CPU first, and the receivers' answers, the kernel's
// loopback work and delivery itself take the gaps between them. The API's process writes one
// byte when it turns busy (API_BUSY) and one when it turns idle (API_IDLE) to a pipe the
// delivery process reads (webhooks/delivery-process.ts).
import type { Readable, Writable } from 'node:stream';

export const API_BUSY = 0x42; // 'B'
export const API_IDLE = 0x49; // 'I'

export interface ApiActivity {
  /** A request has begun / has been answered (or cut off). */
  begin(): void;
  end(): void;
  /** Called when the API goes from idle to busy (true) and back (false). */
  onChange(listener: (busy: boolean) => void): void;
}

export function createApiActivity(): ApiActivity {
  let inFlight = 0;
  const listeners: ((busy: boolean) => void)[] = [];
  const tell = (busy: boolean) => {
    for (const listener of listeners) listener(busy);
  };
  return {
    begin() {
      if (inFlight++ === 0) tell(true);
    },
    end() {
      if (--inFlight === 0) tell(false);
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}

/**
 * Writes the API's turns to a pipe (the one attached last), one byte each. Only the latest state
 * matters to the reader: while a byte has not yet been taken (a reader that is loading, or starved
 * of CPU), later turns are not queued behind it; once it has gone, the state at that moment is
 * written if it differs. So the parent never holds more than one byte for a reader that does not read.
 */
export function apiActivityWriter(activity: ApiActivity): { attach(pipe: Writable): void } {
  let busy = false;
  let pipe: Writable | undefined;
  let writing = false;
  const write = () => {
    const to = pipe;
    if (!to?.writable || writing) return;
    const sent = busy;
    writing = true;
    to.write(Buffer.of(sent ? API_BUSY : API_IDLE), () => {
      if (to !== pipe) return; // a pipe replaced meanwhile (a restarted reader)
      writing = false;
      if (busy !== sent) write();
    });
  };
  activity.onChange((nowBusy) => {
    busy = nowBusy;
    write();
  });
  return {
    attach(next) {
      pipe = next;
      writing = false;
      next.on('error', () => undefined); // a reader that died: its owner handles that
      write();
    },
  };
}

/** How much waiting a waiter may bank: a wait longer than this is never fully paid for. */
const WAIT_BUDGET_CAP_MS = 20;

/**
 * Reads API_BUSY / API_IDLE bytes from `signals`; the function returned resolves at once while the
 * API is idle, otherwise once it turns idle or after `maxWaitMs`, whichever comes first. Sends wait
 * during at most `maxShare` of the time (wall time in which any send waits; a budget that fills at
 * that rate, up to 20 ms): under a saturating load the API is busy at nearly every send, and
 * waiting before each held an endpoint's deliveries, which go one at a time, to a few hundred a
 * second for as long as the load lasted.
 */
export function apiIdleWaiter(signals: Readable, maxWaitMs: number, maxShare = 1): () => Promise<void> {
  let busy = false;
  const waiting = new Set<() => void>();
  let budgetMs = WAIT_BUDGET_CAP_MS;
  let accountedAt = performance.now();
  /** Sends waiting now; the budget is spent while there is at least one. */
  let waiters = 0;
  /** Brings the budget up to now: filled at maxShare, spent while someone waited. */
  const account = () => {
    const now = performance.now();
    const elapsed = now - accountedAt;
    budgetMs = Math.min(WAIT_BUDGET_CAP_MS, budgetMs + elapsed * maxShare - (waiters > 0 ? elapsed : 0));
    accountedAt = now;
  };
  signals.on('data', (bytes: Buffer) => {
    busy = bytes[bytes.length - 1] === API_BUSY;
    if (!busy) for (const wake of waiting) wake();
  });
  return async () => {
    if (!busy) return;
    account();
    if (budgetMs <= 0) return;
    waiters++;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(maxWaitMs, budgetMs / (1 - Math.min(maxShare, 0.99))));
      waiting.add(wake);
    });
    account();
    waiters--;
  };
}
