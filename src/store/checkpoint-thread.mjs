// The SQLite checkpointer thread (src/store/checkpoint.ts starts one per process, when a first
// checkpoint is due, and says when one is). Plain JavaScript so that it loads the same way from
// src/ (tests, tsx) and from dist/ (scripts/build.mjs copies it): no TypeScript loader in the thread.
//
// better-sqlite3 is synchronous: a checkpoint run on the server's event loop blocks every request
// for as long as it copies the WAL back. Here it blocks only this thread, on a connection of its
// own per database file. Neither mode waits for the request connection: PASSIVE never blocks
// writers, and TRUNCATE gives up at once (busy_timeout 0) when a writer is active.
import { parentPort } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** @type {Map<string, import('better-sqlite3').Database>} */
const connections = new Map();

function connectionTo(file) {
  let connection = connections.get(file);
  if (!connection) {
    connection = new SQLite(file);
    connection.pragma('busy_timeout = 0');
    connection.pragma('wal_autocheckpoint = 0');
    connections.set(file, connection);
  }
  return connection;
}

function checkpoint(connection, mode) {
  try {
    return connection.pragma(`wal_checkpoint(${mode})`);
  } catch {
    return undefined; // busy: a later look tries again
  }
}

parentPort.on('message', ({ id, file, work }) => {
  try {
    if (work === 'close') {
      connections.get(file)?.close();
      connections.delete(file);
    } else {
      const connection = connectionTo(file);
      const [passive] = checkpoint(connection, 'PASSIVE') ?? [];
      // Idle: once every frame is back in the database, the WAL file goes back to zero bytes.
      if (work === 'idle' && passive && passive.busy === 0 && passive.log === passive.checkpointed) checkpoint(connection, 'TRUNCATE');
    }
  } catch {
    // The file went away (a test's folder removed): nothing to checkpoint.
  }
  parentPort.postMessage(id);
});
