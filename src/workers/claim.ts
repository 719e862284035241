// Claiming work with a lease, in ONE statement: the rows are chosen and leased together, so two
// workers (threads, processes, instances) never take the same row and a lost race is simply a
// smaller (or empty) claim — never an error, never a row updated twice.
//
//   PostgreSQL: UPDATE t SET lease… WHERE id IN (SELECT id FROM t WHERE … ORDER BY id LIMIT n
//               FOR UPDATE SKIP LOCKED) RETURNING *   (or another order: a payment's next poll)
//     A row another worker is claiming right now is skipped, not waited for; the candidate's
//     conditions are checked again on the row as it is once locked. Time is the database's
//     (statement_timestamp()), so instances whose clocks disagree still agree on whose lease has
//     run out.
//   SQLite:     the same UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING *, without the lock
//     clause: a writing statement takes the database's single write lock before it reads, so the
//     choice and the lease are one step. Time is the instance's clock (one machine anyway).
//
// Tests move time with an injected clock. On SQLite that clock is used as is. On PostgreSQL the
// database's clock cannot be moved, so the rule is: with the process clock (systemClock, every
// real server) the database's clock decides; with any other clock (a test's) its reading is sent
// as a parameter instead. A test that moves time past a lease therefore sees it expire on both
// databases (docs/OPERATIONS.md, "How workers claim work").
import { PostgresAdapter, sql } from 'kysely';
import type { Expression, RawBuilder, Selectable, SqlBool } from 'kysely';
import type { Clock } from '../clock.ts';
import { isoAt, systemClock } from '../clock.ts';
import type { DbOrTx } from '../store/database.ts';
import type { Tables } from '../store/schema.ts';

/** Tables whose rows workers lease; each has `id`, `lease_owner` and `lease_until`. */
export type ClaimTable = 'payments' | 'batches';

/** An instant as a claim reckons it: ISO text (the clock's), or the database's clock in SQL (src/clock.ts isoAt's form either way). */
export type ClaimTime = RawBuilder<string> | string;

/** The columns rows can be chosen by; `next_poll_at` is the payments' only. */
export type ClaimOrder = 'id' | 'next_poll_at';

export interface ClaimRequest {
  /**
   * The conditions a row must meet to be work (status, mode, approval hold…); the lease condition
   * is added here. A function is given the claim's "now" (for a condition on time, such as due at).
   */
  where: Expression<SqlBool> | ((now: ClaimTime) => Expression<SqlBool>);
  /** At most this many rows… */
  limit: number;
  /** …chosen in this order (default: oldest id first). */
  orderBy?: readonly ClaimOrder[];
  /** This worker's name, written to lease_owner. */
  owner: string;
  /** How long the lease lasts. */
  leaseMs: number;
  /**
   * Set with the lease, in the same statement: a payment's next poll, at the claim's "now" (the
   * submit worker asks about it now; one UPDATE of the rows instead of two).
   */
  nextPollAtNow?: boolean;
}

/** Timestamps are stored as ISO-8601 UTC text of fixed width (src/clock.ts isoAt); this is PostgreSQL's rendering of it. */
function pgIso(instant: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_char((${instant}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export function isPostgres(db: DbOrTx): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * `ms` after now, on the clock claims use: the database's on PostgreSQL with the process clock,
 * else the clock's. A time written next to a lease (a payment's next poll) is compared on the same clock.
 */
export function claimTime(db: DbOrTx, clock: Clock, ms = 0): ClaimTime {
  if (isPostgres(db) && clock === systemClock) return pgIso(sql`statement_timestamp() + ${ms} * interval '1 millisecond'`);
  return isoAt(clock() + ms);
}

/**
 * Leases up to `limit` rows of `table` that meet `where` and whose lease is free or has run out;
 * returns them (in id order) as they are after the claim. An empty result means there is no work,
 * or other workers have it.
 */
export async function claimWork<T extends ClaimTable>(db: DbOrTx, clock: Clock, table: T, request: ClaimRequest): Promise<Selectable<Tables[T]>[]> {
  const { where, limit, orderBy = ['id'], owner, leaseMs, nextPollAtNow = false } = request;
  if (limit <= 0) return [];
  const now = claimTime(db, clock);
  const until = claimTime(db, clock, leaseMs);
  const postgres = isPostgres(db);
  // Both tables have these columns; Kysely cannot type a query over a union of tables.
  const t = table as 'payments';
  let candidates = db
    .selectFrom(t)
    .select('id')
    .where(typeof where === 'function' ? where(now) : where)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]));
  // Outside a transaction the UPDATE below is a transaction of its own, and on SQLite a writing
  // statement takes the write lock before it reads, whether it finds work or not: an idle poll
  // would wait (on the event loop) for another process's commit just to learn there is nothing.
  // A read first takes no lock; a row that appears meanwhile is taken by the next poll.
  if (!db.isTransaction && !(await candidates.limit(1).executeTakeFirst())) return [];
  for (const column of orderBy) candidates = candidates.orderBy(column);
  const chosen = candidates.limit(limit).$if(postgres, (q) => q.forUpdate().skipLocked());
  const rows = await db
    .updateTable(t)
    .set({ lease_owner: owner, lease_until: until, ...(nextPollAtNow && { next_poll_at: now }) })
    .where('id', 'in', chosen)
    .returningAll()
    .execute();
  // RETURNING gives no order; the work is done oldest first.
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows as unknown as Selectable<Tables[T]>[];
}
