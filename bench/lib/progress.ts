// Watching a payrail's database from outside its process: how many batches are COMPLETED. A
// read-only SQLite connection (WAL lets it read beside the writer) or one PostgreSQL client, so
// watching costs the server's event loop nothing.
import SQLite from 'better-sqlite3';
import pg from 'pg';

export interface BatchWatch {
  completedBatches(): Promise<number>;
  close(): Promise<void>;
}

const COMPLETED = "select count(*) as n from batches where status = 'COMPLETED'";

export async function watchBatches(databaseUrl: string): Promise<BatchWatch> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new SQLite(databaseUrl.slice('sqlite:'.length), { readonly: true });
    const count = db.prepare(COMPLETED);
    return {
      completedBatches: async () => Number((count.get() as { n: number }).n),
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    completedBatches: async () => Number((await client.query<{ n: string }>(COMPLETED)).rows[0]!.n),
    close: () => client.end(),
  };
}

/** performance.now() when `n` batches are COMPLETED (polled every `everyMs`), or NaN if stopped first. */
export async function whenCompleted(watch: BatchWatch, n: number, stop: AbortSignal, everyMs = 100): Promise<number> {
  while (!stop.aborted) {
    if ((await watch.completedBatches()) >= n) return performance.now();
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return NaN;
}
