// SQLite WAL checkpoints off the request path (issue #21 point 6). By default SQLite checkpoints
// inside the COMMIT that takes the WAL past 1,000 pages: every third or fourth batch paid for
// copying the WAL back into the database. The request connection runs with
// wal_autocheckpoint=0, and a thread of its own (checkpoint-thread.mjs, which says when it
// checkpoints) does it instead, on a connection of its own: better-sqlite3 is synchronous, so a
// checkpoint on the event loop would block every request while it ran, only less often.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface CheckpointOptions {
  /** How often the WAL's size is looked at (default 250 ms). */
  intervalMs?: number;
  /** A WAL this large is checkpointed even while it keeps growing (default 4 MiB, what SQLite's own autocheckpoint allows with 4 KiB pages). */
  maxWalBytes?: number;
}

export type CheckpointDone = 'idle' | 'large' | 'none';

export interface Checkpointer {
  /** One look now, in the thread: checkpoints if due; what it did (tests call it). */
  tick(): Promise<CheckpointDone>;
  /** Closes the thread's connection and ends it. */
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, { intervalMs = 250, maxWalBytes = 4 * 1024 * 1024 }: CheckpointOptions = {}): Checkpointer {
  const thread = new Worker(new URL('./checkpoint-thread.mjs', import.meta.url), {
    workerData: { file, intervalMs, maxWalBytes },
    // Only what it needs: not the server's loaders (tsx) nor its flags.
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  // It never keeps the process alive, and a failure in it (say, the file removed under it) costs
  // only the checkpoints: SQLite checkpoints at the next open.
  thread.unref();
  thread.on('error', () => undefined);
  const ended = once(thread, 'exit').then(
    () => 'none' as const,
    () => 'none' as const,
  );
  let stopped: Promise<void> | undefined;
  return {
    async tick() {
      thread.ref(); // until it answers
      try {
        thread.postMessage('tick');
        const answer = once(thread, 'message').then(([done]) => done as CheckpointDone);
        return await Promise.race([answer, ended]);
      } finally {
        thread.unref();
      }
    },
    stop() {
      return (stopped ??= (async () => {
        thread.ref(); // until it has closed its connection
        thread.postMessage('stop');
        await ended;
      })());
    },
  };
}
