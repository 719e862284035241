// SQLite WAL checkpoints off the request path (issue #21 point 6). By default SQLite checkpoints
// inside the COMMIT that takes the WAL past 1,000 pages: every few batches one paid for copying
// the WAL back into the database. The request connection runs with wal_autocheckpoint=0; a timer
// looks at the WAL's size (a stat, nothing more) and, when a checkpoint is due, has the
// checkpointer thread (checkpoint-thread.mjs) do it on a connection of its own. better-sqlite3 is
// synchronous, so a checkpoint on the event loop would block every request while it ran.
//   - when the WAL has not been written since the last look (its size and modification time are
//     the same): PASSIVE, then TRUNCATE, so an idle server's WAL file goes back to zero bytes;
//   - when it is being written and is past `maxWalBytes` (busy for long): PASSIVE, so the WAL never
//     grows without bound while requests keep coming (the next writer then starts it again from the
//     beginning, writing over it in place: its size alone would not show it is busy).
// One thread per process serves every database of it, started when the first checkpoint is due: a
// short CLI command never starts it. A thread that keeps dying (three times in a row) is given up:
// each database goes back to SQLite's own checkpoints (wal_autocheckpoint) and a warning is printed.
import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface CheckpointOptions {
  /** How often the WAL's size is looked at (default 250 ms). */
  intervalMs?: number;
  /** A WAL this large is checkpointed even while it keeps growing (default 4 MiB, what SQLite's own autocheckpoint allows with 4 KiB pages). */
  maxWalBytes?: number;
}

export type CheckpointDone = 'idle' | 'large' | 'none';

export interface Checkpointer {
  /** One look now: checkpoints (in the thread) if due; what it did (tests call it). */
  tick(): Promise<CheckpointDone>;
  /** Stops looking and closes the thread's connection to this file. */
  stop(): Promise<void>;
}

type Work = 'idle' | 'large' | 'close';

let thread: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, (done: boolean) => void>();
/** Threads that died in a row; at GIVE_UP_AFTER checkpoints go back to SQLite's own. */
let deaths = 0;
const GIVE_UP_AFTER = 3;

/** Has the thread do `work` on `file`; true when it is done, false if the thread died (or was given up). */
function inThread(file: string, work: Work): Promise<boolean> {
  if (deaths >= GIVE_UP_AFTER) return Promise.resolve(false);
  if (!thread) {
    const started = new Worker(new URL('./checkpoint-thread.mjs', import.meta.url), {
      // Only what it needs: not the server's loaders (tsx) nor its flags.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    thread = started;
    started.unref();
    started.on('message', (id: number) => {
      deaths = 0;
      waiting.get(id)?.(true);
      waiting.delete(id);
      if (waiting.size === 0) started.unref();
    });
    // A thread that failed costs only checkpoints (SQLite checkpoints at the next open anyway);
    // the next one due starts another.
    started.on('error', () => undefined);
    started.on('exit', () => {
      if (thread === started) thread = undefined;
      if (waiting.size > 0 && ++deaths === GIVE_UP_AFTER) {
        process.emitWarning('the SQLite checkpointer thread keeps failing: SQLite checkpoints in the COMMIT again (wal_autocheckpoint)', 'PayrailWarning');
      }
      for (const done of waiting.values()) done(false);
      waiting.clear();
    });
  }
  const id = nextId++;
  thread.ref(); // while it works for us
  thread.postMessage({ id, file, work });
  return new Promise((resolve) => waiting.set(id, resolve));
}

/** The WAL's size and when it was last written (0 and 0 when there is none). */
function walState(file: string): { size: number; writtenAt: number } {
  let stats: Stats;
  try {
    stats = statSync(`${file}-wal`);
  } catch {
    return { size: 0, writtenAt: 0 };
  }
  return { size: stats.size, writtenAt: stats.mtimeMs };
}

/**
 * Starts looking after `file`'s WAL. `fallBack` is called (once) if the checkpointer thread had to
 * be given up: the database then turns SQLite's own checkpoints back on.
 */
export function startCheckpointer(
  file: string,
  { intervalMs = 250, maxWalBytes = 4 * 1024 * 1024 }: CheckpointOptions = {},
  fallBack: () => void = () => undefined,
): Checkpointer {
  let last = walState(file);
  let busy: Promise<CheckpointDone> | undefined;
  let opened = false;
  let stopped = false;
  let fellBack = false;

  async function look(): Promise<CheckpointDone> {
    const now = walState(file);
    const written = now.size !== last.size || now.writtenAt !== last.writtenAt;
    last = now;
    if (now.size === 0 || stopped || fellBack) return 'none';
    const due = !written ? 'idle' : now.size >= maxWalBytes ? 'large' : undefined;
    if (!due) return 'none';
    opened = true;
    if (!(await inThread(file, due)) && deaths >= GIVE_UP_AFTER) {
      fellBack = true;
      fallBack();
      return 'none';
    }
    last = walState(file);
    return due;
  }

  /** One look at a time. */
  const tick = (): Promise<CheckpointDone> =>
    (busy ??= look().finally(() => {
      busy = undefined;
    }));

  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
      // Only a thread that is running holds a connection to close: none is started for it.
      if (opened && thread) await inThread(file, 'close');
    },
  };
}
