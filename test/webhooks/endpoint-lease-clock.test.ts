// Endpoint leases are reckoned like the payments' and batches' claims (issue #21 point 1): on
// PostgreSQL on the database's clock (statement_timestamp()), so instances whose clocks disagree
// agree on when a lease has run out; the worker keeps its own view of its lease's end, taken on its
// clock before the statement. On SQLite (one machine) the process clock, as before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompiledQuery } from 'kysely';
import type { KyselyPlugin, QueryId, RootOperationNode } from 'kysely';
import { systemClock } from '../../src/clock.ts';
import { createEndpointLeases } from '../../src/webhooks/endpoint-lease.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

const LEASE_MS = 60_000;

/** The SQL of every query run through it. */
function recorder(compile: (node: RootOperationNode, id: QueryId) => CompiledQuery): KyselyPlugin & { sql: string[] } {
  const seen: string[] = [];
  return {
    sql: seen,
    transformQuery(args) {
      seen.push(compile(args.node, args.queryId).sql);
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
}

for (const kind of databaseKinds()) {
  describe(`webhook endpoint leases on the claims' clock (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let endpointId: string;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { workers: false });
      const client = await app.authed();
      const res = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: client.headers, payload: { url: 'https://example.com/hook' } });
      assert.equal(res.statusCode, 201, res.body);
      endpointId = res.json().id;
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it('lease, renew and release write and compare lease_until on the database clock (PostgreSQL) and hold against another worker', async () => {
      const kdb = app.payrail.database.db;
      const queries = recorder((node, id) => kdb.getExecutor().compileQuery(node, id));
      const mine = createEndpointLeases({ db: kdb.withPlugin(queries), clock: systemClock, owner: 'mine', leaseMs: LEASE_MS });
      const other = createEndpointLeases({ db: kdb, clock: systemClock, owner: 'other', leaseMs: LEASE_MS });

      const before = Date.now();
      const leased = await mine.lease(endpointId);
      assert.ok(leased, 'leased');
      assert.ok(leased.leasedUntilMs >= before + LEASE_MS && leased.leasedUntilMs <= Date.now() + LEASE_MS, "the worker's own view of the lease's end");
      const stored = Date.parse(leased.lease_until!);
      assert.ok(Math.abs(stored - leased.leasedUntilMs) < 5000, `lease_until ${leased.lease_until} is about now + the lease`);
      assert.equal(await other.lease(endpointId), undefined, 'another worker cannot take a held endpoint');
      assert.ok((await mine.renew(endpointId))! >= leased.leasedUntilMs, 'renewed');
      await mine.release(endpointId);
      assert.ok(await other.lease(endpointId), 'released: another worker takes it');

      const [lease, renew, release] = queries.sql.filter((q) => /^update/i.test(q));
      for (const [name, q] of [
        ['lease', lease],
        ['renew', renew],
        ['release', release],
      ] as const) {
        if (kind.name === 'postgres') assert.match(q!, /statement_timestamp\(\)/, `${name} reckons on the database's clock: ${q}`);
        else assert.doesNotMatch(q!, /statement_timestamp/, `${name} on SQLite: the process clock`);
      }
    });
  });
}
