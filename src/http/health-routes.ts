// /healthz (the process is up) and /readyz (it can do work: the database answers). /readyz also
// reports each live bank connection's state (ok or error, last poll): a bank that is down is shown,
// it does not make payrail unready.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../store/database.ts';
import { isReachable } from '../store/database.ts';

export interface HealthDeps {
  db: Db;
  /** Extra readiness details (e.g. the rate-limit store), each true when healthy. */
  readinessChecks?: Record<string, () => boolean | Promise<boolean>>;
  /** The bank connections' states, by connection id (reported under `banks`). */
  banks?: () => Promise<Record<string, unknown>>;
}

export async function healthRoutes(app: FastifyInstance, { db, readinessChecks = {}, banks }: HealthDeps): Promise<void> {
  app.get('/healthz', { schema: { operationId: 'getLiveness', summary: 'Liveness', tags: ['health'] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { operationId: 'getReadiness', summary: 'Readiness: the database is reachable', tags: ['health'] } }, async (_req, reply) => {
    const checks: Record<string, boolean> = { database: await isReachable(db) };
    for (const [name, check] of Object.entries(readinessChecks)) checks[name] = await check();
    // Only the database decides readiness; the others are detail (payrail degrades, not stops).
    const ready = checks.database === true;
    const bankStates = ready && banks ? await banks().catch(() => undefined) : undefined;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks, ...(bankStates && { banks: bankStates }) });
  });
}
