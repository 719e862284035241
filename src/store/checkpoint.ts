// SQLite WAL checkpoints off the request path (issue #21 point 6). By default SQLite checkpoints
// inside the COMMIT that takes the WAL past 1,000 pages: every few batches one paid for copying
// the WAL back into the database. The request connection runs with wal_autocheckpoint=0; a timer
// looks at the WAL's size (a stat, nothing more) and, when a checkpoint is due, has the
// checkpointer thread (checkpoint-thread.mjs) do it on a connection of its own. better-sqlite3 is
// synchronous, so a checkpoint on the event loop would block every request while it ran.
//   - when the WAL has stopped growing (idle since the last look): PASSIVE, then TRUNCATE, so an
//     idle server's WAL file goes back to zero bytes;
//   - when it has grown past `maxWalBytes` (busy for long): PASSIVE, so the WAL never grows
//     without bound while requests keep coming (the next writer then starts it again from the
//     beginning).
// One thread per process serves every database of it, started when the first checkpoint is due: a
// short CLI command never starts it.
import { statSync } from 'node:fs';
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
const waiting = new Map<number, () => void>();

/** Has the thread do `work` on `file`; resolves when it is done (at once if the thread is gone). */
function inThread(file: string, work: Work): Promise<void> {
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
      waiting.get(id)?.();
      waiting.delete(id);
      if (waiting.size === 0) started.unref();
    });
    // A thread that failed costs only checkpoints (SQLite checkpoints at the next open anyway);
    // the next one due starts another.
    started.on('error', () => undefined);
    started.on('exit', () => {
      if (thread === started) thread = undefined;
      for (const done of waiting.values()) done();
      waiting.clear();
    });
  }
  const id = nextId++;
  thread.ref(); // while it works for us
  thread.postMessage({ id, file, work });
  return new Promise((resolve) => waiting.set(id, resolve));
}

function walSize(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

export function startCheckpointer(file: string, { intervalMs = 250, maxWalBytes = 4 * 1024 * 1024 }: CheckpointOptions = {}): Checkpointer {
  let lastSize = walSize(file);
  let busy: Promise<CheckpointDone> | undefined;
  let opened = false;
  let stopped = false;

  async function look(): Promise<CheckpointDone> {
    const size = walSize(file);
    const grew = size !== lastSize;
    lastSize = size;
    if (size === 0 || stopped) return 'none';
    const due = size >= maxWalBytes ? 'large' : grew ? undefined : 'idle';
    if (!due) return 'none';
    opened = true;
    await inThread(file, due);
    lastSize = walSize(file);
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
      if (opened) await inThread(file, 'close');
    },
  };
}
