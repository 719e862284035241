// The SQLite checkpointer's thread (src/store/checkpoint.ts starts it). Plain JavaScript so that it
// loads the same way from src/ (tests, tsx) and from dist/ (scripts/build.mjs copies it): no
// TypeScript loader in the thread, which starts in a few milliseconds.
//
// better-sqlite3 is synchronous: a checkpoint run on the server's event loop blocks every request
// for as long as it copies the WAL back (tens of milliseconds for a 16 MiB WAL). Here it blocks
// only this thread, on a connection of its own:
//   - when the WAL has stopped growing (idle since the last look): PASSIVE, then TRUNCATE, so an
//     idle server's WAL file goes back to zero bytes;
//   - when it has grown past `maxWalBytes` (busy for long): PASSIVE, so the WAL never grows
//     without bound while requests keep coming (the next writer then starts it again from the
//     beginning).
// Neither waits for the request connection: PASSIVE never blocks writers, and TRUNCATE gives up at
// once (busy_timeout 0) when a writer is active, to be tried on a later tick.
import { statSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const { file, intervalMs, maxWalBytes } = workerData;

function walSize() {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

const connection = new SQLite(file);
connection.pragma('busy_timeout = 0');
connection.pragma('wal_autocheckpoint = 0');
let lastSize = walSize();

function checkpoint(mode) {
  try {
    return connection.pragma(`wal_checkpoint(${mode})`);
  } catch {
    return undefined; // busy: a later tick tries again
  }
}

/** One look: checkpoints if due; what it did ('idle', 'large' or 'none'). */
function tick() {
  const size = walSize();
  const grew = size !== lastSize;
  lastSize = size;
  if (size === 0) return 'none';
  if (size >= maxWalBytes) {
    checkpoint('PASSIVE');
    lastSize = walSize();
    return 'large';
  }
  if (grew) return 'none';
  const [passive] = checkpoint('PASSIVE') ?? [];
  if (passive && passive.busy === 0 && passive.log === passive.checkpointed) checkpoint('TRUNCATE');
  lastSize = walSize();
  return 'idle';
}

const timer = setInterval(tick, intervalMs);
parentPort.on('message', (message) => {
  if (message === 'tick') parentPort.postMessage(tick());
  else if (message === 'stop') {
    clearInterval(timer);
    connection.close();
    parentPort.close();
  }
});
