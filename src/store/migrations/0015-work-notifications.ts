// Work is announced when it is committed (issue #21 point 5), so idle workers need not poll the
// database every 100 ms. PostgreSQL only: a trigger sends NOTIFY payrail_work in the transaction
// that makes new work claimable — a payment or batch inserted (PROCESSING), or one approved — and
// PostgreSQL delivers it to every listening instance at commit (never for a rolled-back one; the
// same notice sent many times in one transaction arrives once). Every writer is covered: the API,
// the CLI, another instance. SQLite has no such thing: its workers are woken in process
// (src/workers/wake.ts) and poll as before.
import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

/** The channel instances LISTEN on (src/workers/wake.ts). */
export const WORK_CHANNEL = 'payrail_work';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create function payrail_notify_work() returns trigger language plpgsql as $$
    begin
      perform pg_notify(${sql.lit(WORK_CHANNEL)}, tg_table_name);
      return null;
    end $$`.execute(db);
  for (const table of ['payments', 'batches']) {
    await sql`
      create trigger ${sql.raw(`${table}_work_inserted`)} after insert on ${sql.table(table)}
      for each row when (new.status = 'PROCESSING') execute function payrail_notify_work()`.execute(db);
    await sql`
      create trigger ${sql.raw(`${table}_work_approved`)} after update of approval_status on ${sql.table(table)}
      for each row when (new.approval_status = 'APPROVED' and old.approval_status is distinct from 'APPROVED') execute function payrail_notify_work()`.execute(
      db,
    );
  }
}
