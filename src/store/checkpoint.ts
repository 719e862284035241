// SQLite WAL checkpoints off the request path (issue #21 point 6). By default SQLite checkpoints
// inside the COMMIT that takes the WAL past 1,000 pages: every third or fourth batch paid for
// copying the WAL back into the database. The request connection runs with
// wal_autocheckpoint=0, and this timer checkpoints from a connection of its own instead:
//   - when the WAL has stopped growing (idle since the last look): PASSIVE, then TRUNCATE, so an
//     idle server's WAL file goes back to zero bytes;
//   - when it has grown past `maxWalBytes` (busy for long): PASSIVE, so the WAL never grows
//     without bound while requests keep coming (the next writer then starts it again from the
//     beginning).
// Neither waits for the request connection: PASSIVE never blocks writers, and TRUNCATE gives up at
// once (busy_timeout 0) when a writer is active, to be tried on a later tick.
import { statSync } from 'node:fs';
import SQLite from 'better-sqlite3';

export interface CheckpointOptions {
  /** How often the WAL's size is looked at (default 1 s). */
  intervalMs?: number;
  /** A WAL this large is checkpointed even while it keeps growing (default 16 MiB). */
  maxWalBytes?: number;
}

export interface Checkpointer {
  /** One look: checkpoints if due; returns what it did (tests call it). */
  tick(): 'idle' | 'large' | 'none';
  stop(): void;
}

function walSize(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

export function startCheckpointer(file: string, { intervalMs = 1000, maxWalBytes = 16 * 1024 * 1024 }: CheckpointOptions = {}): Checkpointer {
  const connection = new SQLite(file);
  connection.pragma('busy_timeout = 0');
  connection.pragma('wal_autocheckpoint = 0');
  let lastSize = walSize(file);

  const checkpoint = (mode: 'PASSIVE' | 'TRUNCATE') => {
    try {
      return connection.pragma(`wal_checkpoint(${mode})`) as { busy: number; log: number; checkpointed: number }[];
    } catch {
      return undefined; // busy: a later tick tries again
    }
  };

  function tick(): 'idle' | 'large' | 'none' {
    const size = walSize(file);
    const grew = size !== lastSize;
    lastSize = size;
    if (size === 0) return 'none';
    if (size >= maxWalBytes) {
      checkpoint('PASSIVE');
      lastSize = walSize(file);
      return 'large';
    }
    if (grew) return 'none';
    const [passive] = checkpoint('PASSIVE') ?? [];
    if (passive && passive.busy === 0 && passive.log === passive.checkpointed) checkpoint('TRUNCATE');
    lastSize = walSize(file);
    return 'idle';
  }

  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    tick,
    stop() {
      clearInterval(timer);
      connection.close();
    },
  };
}
