// The replay store of private_key_jwt assertions: a (client, jti) is accepted once while the
// assertion is valid. One table, shared by every instance; the primary key decides atomically.
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Db } from '../store/database.ts';

export interface ReplayStoreDeps {
  db: Db;
  clock: Clock;
}

/** Expired rows are purged at most this often (per process), on the way of an insert. */
const PURGE_EVERY_MS = 60_000;

export function createReplayStore({ db, clock }: ReplayStoreDeps) {
  let lastPurge = 0;

  async function purgeExpired(now: number): Promise<void> {
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    await db.deleteFrom('client_assertion_jtis').where('expires_at', '<', isoAt(now)).execute();
  }

  return {
    /**
     * Records a jti until `expiresAt` (ms). False when the same client already used it and that
     * use has not expired: a replay. A row left over from an expired use is taken over, so a purge
     * that has not run yet never refuses a fresh assertion.
     */
    async remember(clientId: string, jti: string, expiresAt: number): Promise<boolean> {
      const now = clock();
      await purgeExpired(now);
      const result = await db
        .insertInto('client_assertion_jtis')
        .values({ client_id: clientId, jti, expires_at: isoAt(expiresAt) })
        .onConflict((oc) =>
          oc
            .columns(['client_id', 'jti'])
            .doUpdateSet({ expires_at: isoAt(expiresAt) })
            .where('client_assertion_jtis.expires_at', '<=', isoAt(now)),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
  };
}

export type ReplayStore = ReturnType<typeof createReplayStore>;
