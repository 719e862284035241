// The delivery worker's per-endpoint queries (src/webhooks/endpoint-lease.ts dueDeliveries: is a
// failed delivery holding the later events, and which are due, in event order) read an index
// range, not the endpoint's every delivery (migration 0018). Checked with the database's own plan
// (PostgreSQL EXPLAIN after ANALYZE; SQLite EXPLAIN QUERY PLAN, which payrail never ANALYZEs) on an
// endpoint with a long history: delivered, failing for an hour, and a backlog due now.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import type { KyselyPlugin, QueryId, RootOperationNode } from 'kysely';
import { isoAt } from '../../src/clock.ts';
import type { Db } from '../../src/store/database.ts';
import { createEndpointLeases } from '../../src/webhooks/endpoint-lease.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const DELIVERED = 60_000;
/** Pending, failed 3 times or more, retried in the future: an hour of a failing receiver. */
const FAILING = 10_000;
/** Pending and due now: a backlog. */
const DUE = 10_000;

/** Records the queries run through it (and their ids, to compile them again). */
function recorder(): KyselyPlugin & { queries: { node: RootOperationNode; queryId: QueryId }[] } {
  const queries: { node: RootOperationNode; queryId: QueryId }[] = [];
  return {
    queries,
    transformQuery(args) {
      queries.push(args);
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
}

/** One endpoint's history, written by the database itself (one statement per table). */
async function fill(db: Db, postgres: boolean, clientId: string, endpointId: string): Promise<void> {
  const total = DELIVERED + FAILING + DUE;
  const pad = (column: string) => (postgres ? sql.raw(`lpad(${column}::text, 10, '0')`) : sql.raw(`printf('%010d', ${column})`));
  const rows = sql`with recursive s(i) as (select 1 union all select i + 1 from s where i < ${sql.lit(total)})`;
  const old = isoAt(NOW - 3600_000);
  await sql`${rows}
    insert into events (id, client_id, type, object_type, object_id, object_sequence, data, created_at)
    select 'evt_' || ${pad('i')}, ${clientId}, 'payments.succeeded', 'payment', 'pymt_' || ${pad('i')}, 1, '{}', ${old} from s`.execute(db);
  const failing = DELIVERED + FAILING;
  await sql`${rows}
    insert into webhook_deliveries (id, event_id, endpoint_id, client_id, status, next_attempt_at, round_started_at, round_attempts, attempt_count, created_at, updated_at)
    select 'whd_' || ${pad('i')}, 'evt_' || ${pad('i')}, ${endpointId}, ${clientId},
      case when i <= ${sql.lit(DELIVERED)} then 'delivered' else 'pending' end,
      case when i <= ${sql.lit(DELIVERED)} then null when i <= ${sql.lit(failing)} then ${isoAt(NOW + 600_000)} else ${isoAt(NOW - 1000)} end,
      ${old},
      case when i <= ${sql.lit(DELIVERED)} then 1 when i <= ${sql.lit(failing)} then 3 else 0 end,
      1, ${old}, ${old} from s`.execute(db);
  if (postgres) await sql`analyze`.execute(db);
}

for (const kind of databaseKinds()) {
  describe(`webhook delivery queries on an endpoint with ${DELIVERED + FAILING + DUE} deliveries (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    const plans: string[] = [];
    let due = 0;
    let msPerRun = 0;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW });
      const client = await app.authed();
      const res = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: client.headers, payload: { url: 'https://example.com/hook' } });
      assert.equal(res.statusCode, 201, res.body);
      const { db: kdb, dialect } = app.payrail.database;
      await fill(kdb, dialect === 'postgres', client.clientId, res.json().id);
      const queries = recorder();
      const leases = createEndpointLeases({ db: kdb.withPlugin(queries), clock: () => NOW, owner: 'plans', leaseMs: 10_000 });
      due = (await leases.dueDeliveries(res.json().id, 500)).due.length;
      // What a run's two questions (and reading the events) cost here, for the record.
      const timed = createEndpointLeases({ db: kdb, clock: () => NOW, owner: 'plans', leaseMs: 10_000 });
      const started = performance.now();
      for (let i = 0; i < 5; i++) await timed.dueDeliveries(res.json().id, 500);
      msPerRun = (performance.now() - started) / 5;
      const explain = dialect === 'postgres' ? 'explain' : 'explain query plan';
      // The first two are the holder's and the due deliveries'; the third reads their events.
      for (const { node, queryId } of queries.queries.slice(0, 2)) {
        const query = kdb.getExecutor().compileQuery(node, queryId);
        const plan = await kdb.executeQuery(CompiledQuery.raw(`${explain} ${query.sql}`, [...query.parameters]));
        plans.push((plan.rows as Record<string, unknown>[]).map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n'));
      }
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it('finds the 500 due deliveries first in event order', (t) => {
      t.diagnostic(`dueDeliveries: ${msPerRun.toFixed(1)} ms a call`);
      assert.equal(due, 500);
    });

    it('looks for a holding delivery among those that failed in their round, by age: an index range, no scan', (t) => {
      t.diagnostic(plans[0]!);
      assert.match(plans[0]!, /webhook_deliveries_holding/);
      assert.doesNotMatch(plans[0]!, /Seq Scan|SCAN webhook_deliveries\b/);
    });

    it('reads the due deliveries in event order from the pending ones: an index range, no scan, no sort', (t) => {
      t.diagnostic(plans[1]!);
      assert.match(plans[1]!, /webhook_deliveries_pending_order/);
      assert.doesNotMatch(plans[1]!, /Seq Scan|SCAN webhook_deliveries\b|Sort|TEMP B-TREE/);
    });
  });
}
