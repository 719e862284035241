// Claiming work with a lease, in ONE statement: the rows are chosen and leased together, so two
// workers (threads, processes, instances) never take the same row and a lost race is simply a
// smaller (or empty) claim — never an error, never a row updated twice.
//
//   PostgreSQL: UPDATE t SET lease… WHERE id IN (SELECT id FROM t WHERE … ORDER BY id LIMIT n
//               FOR UPDATE SKIP LOCKED) RETURNING *
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
import type { Db } from '../store/database.ts';
import type { Tables } from '../store/schema.ts';

/** Tables whose rows workers lease; each has `id`, `lease_owner` and `lease_until`. */
export type ClaimTable = 'payments' | 'batches';

export interface ClaimRequest {
  /** The conditions a row must meet to be work (status, mode, approval hold…); the lease condition is added here. */
  where: Expression<SqlBool>;
  /** At most this many rows, oldest id first. */
  limit: number;
  /** This worker's name, written to lease_owner. */
  owner: string;
  /** How long the lease lasts. */
  leaseMs: number;
}

/** Timestamps are stored as ISO-8601 UTC text of fixed width (src/clock.ts isoAt); this is PostgreSQL's rendering of it. */
function pgIso(instant: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_char((${instant}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The time a claim compares leases with, and the lease's end: the database's on PostgreSQL with the process clock, else the clock's. */
function claimTimes(db: Db, clock: Clock, leaseMs: number): { now: RawBuilder<string> | string; until: RawBuilder<string> | string } {
  if (isPostgres(db) && clock === systemClock) {
    return { now: pgIso(sql`statement_timestamp()`), until: pgIso(sql`statement_timestamp() + ${leaseMs} * interval '1 millisecond'`) };
  }
  const now = clock();
  return { now: isoAt(now), until: isoAt(now + leaseMs) };
}

/**
 * Leases up to `limit` rows of `table` that meet `where` and whose lease is free or has run out;
 * returns them (in id order) as they are after the claim. An empty result means there is no work,
 * or other workers have it.
 */
export async function claimWork<T extends ClaimTable>(db: Db, clock: Clock, table: T, request: ClaimRequest): Promise<Selectable<Tables[T]>[]> {
  const { where, limit, owner, leaseMs } = request;
  if (limit <= 0) return [];
  const { now, until } = claimTimes(db, clock, leaseMs);
  const postgres = isPostgres(db);
  // Both tables have these columns; Kysely cannot type a query over a union of tables.
  const t = table as 'payments';
  const chosen = db
    .selectFrom(t)
    .select('id')
    .where(where)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('id')
    .limit(limit)
    .$if(postgres, (q) => q.forUpdate().skipLocked());
  const rows = await db.updateTable(t).set({ lease_owner: owner, lease_until: until }).where('id', 'in', chosen).returningAll().execute();
  // RETURNING gives no order; the work is done oldest first.
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows as unknown as Selectable<Tables[T]>[];
}
