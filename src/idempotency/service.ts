// Idempotency keys (SPEC §4), one mechanism for every creating POST. A key is claimed before the
// work starts; the response is stored in the same transaction that creates the object, so a crash
// can never leave an object created without its key completed (or the reverse).
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { AppError } from '../errors.ts';
import type { Db, DbOrTx } from '../store/database.ts';

/** How long a key is kept (SPEC: at least 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** A claim not completed within this time belonged to a crashed request and may be taken over. */
const IN_FLIGHT_LEASE_MS = 60 * 1000;

export type Claim = { kind: 'claimed' } | { kind: 'replay'; status: number; body: unknown };

/** A stable fingerprint of what was asked: the route and the parsed body. */
export function fingerprintOf(route: string, body: unknown): string {
  return createHash('sha256')
    .update(route)
    .update('\n')
    .update(JSON.stringify(body ?? null))
    .digest('base64url');
}

export interface IdempotencyDeps {
  db: Db;
  clock: Clock;
}

export function createIdempotencyService({ db, clock }: IdempotencyDeps) {
  async function tryTakeOver(clientId: string, key: string, fingerprint: string, lockedUntil: string | null): Promise<boolean> {
    const now = clock();
    const result = await db
      .updateTable('idempotency_keys')
      .set({ locked_until: isoAt(now + IN_FLIGHT_LEASE_MS), fingerprint })
      .where('client_id', '=', clientId)
      .where('key', '=', key)
      .where('state', '=', 'in_flight')
      .where('locked_until', lockedUntil === null ? 'is' : '=', lockedUntil)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  return {
    /** Claims `key` for this request, or says to replay, or refuses (409 in flight, 422 reused). */
    async claim(clientId: string, key: string, fingerprint: string): Promise<Claim> {
      const now = clock();
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({
          client_id: clientId,
          key,
          fingerprint,
          state: 'in_flight',
          response_status: null,
          response_body: null,
          locked_until: isoAt(now + IN_FLIGHT_LEASE_MS),
          created_at: isoAt(now),
          expires_at: isoAt(now + IDEMPOTENCY_TTL_MS),
        })
        .onConflict((oc) => oc.columns(['client_id', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'claimed' };

      const row = await db.selectFrom('idempotency_keys').selectAll().where('client_id', '=', clientId).where('key', '=', key).executeTakeFirst();
      if (!row) return this.claim(clientId, key, fingerprint); // purged in between: claim afresh
      if (row.fingerprint !== fingerprint) {
        throw new AppError(
          'IDEMPOTENCY_KEY_REUSED',
          'Idempotency key reused',
          'This Idempotency-Key was used with a different request; use a new key for a new request',
        );
      }
      if (row.state === 'done') return { kind: 'replay', status: row.response_status!, body: JSON.parse(row.response_body!) };
      if (row.locked_until !== null && row.locked_until < isoAt(now) && (await tryTakeOver(clientId, key, fingerprint, row.locked_until))) {
        return { kind: 'claimed' };
      }
      throw new AppError(
        'IDEMPOTENCY_KEY_IN_USE',
        'Idempotency key in use',
        'A request with this Idempotency-Key is still being processed; retry shortly',
        undefined,
        { 'retry-after': '1' },
      );
    },

    /** Stores the response, inside the transaction that created the object. */
    async complete(tx: DbOrTx, clientId: string, key: string, status: number, body: unknown): Promise<void> {
      await tx
        .updateTable('idempotency_keys')
        .set({ state: 'done', response_status: status, response_body: JSON.stringify(body), locked_until: null })
        .where('client_id', '=', clientId)
        .where('key', '=', key)
        .execute();
    },

    /** Frees a claim whose request failed before creating anything (validation errors are not kept). */
    async release(clientId: string, key: string): Promise<void> {
      await db.deleteFrom('idempotency_keys').where('client_id', '=', clientId).where('key', '=', key).where('state', '=', 'in_flight').execute();
    },

    /** Deletes keys past their retention; returns how many. */
    async purgeExpired(): Promise<number> {
      const r = await db.deleteFrom('idempotency_keys').where('expires_at', '<', isoAt(clock())).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
