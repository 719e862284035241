// Create payment: POST /v1/payments, authenticated, validated and committed durably (SQLite, WAL,
// synchronous=FULL), 50 connections, against a bare Fastify route echoing the same JSON under the
// same autocannon settings (ABBA order), and the raw SQLite single-row commit rate. No
// customerReference is sent, so payrail generates a unique one per request.
import Fastify from 'fastify';
import { alternate, cannon } from '../lib/cannon.ts';
import type { CannonResult } from '../lib/cannon.ts';
import { paymentBody } from '../lib/fixtures.ts';
import { startPayrail } from '../lib/payrail.ts';
import { openRawSqlite } from '../lib/raw-sqlite.ts';
import type { Scenario } from '../lib/scenario.ts';
import { times } from '../lib/scenario.ts';
import { median, ms, perSecond } from '../lib/stats.ts';

const CONNECTIONS = 50;
const TARGET = 0.5;

/** The reference: Fastify parsing the same JSON and sending it back, nothing else. */
async function startBareFastify(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.post('/v1/payments', async (request, reply) => reply.code(202).send(request.body));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${address}/v1/payments`, close: () => app.close() };
}

/** Single-row transactions committed per second for `seconds`. */
async function rawCommitRate(seconds: number): Promise<number> {
  const raw = await openRawSqlite();
  try {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      raw.insertOne(raw.newRow());
      n++;
    }
    return n / ((performance.now() - start) / 1000);
  } finally {
    raw.close();
  }
}

const summary = (runs: CannonResult[]) => ({
  rps: median(runs.map((x) => x.requests.average)),
  p50: median(runs.map((x) => x.latency.p50)),
  p99: median(runs.map((x) => x.latency.p99)),
});

const scenario: Scenario = {
  name: 'create-payment',
  title: 'create payment',
  async run({ quick, log }) {
    const duration = quick ? 2 : 5;
    const rounds = quick ? 1 : 3;
    const bench = await startPayrail({ env: { PAYRAIL_ROLE: 'api' } });
    const bare = await startBareFastify();
    try {
      const body = JSON.stringify(paymentBody(bench.accountId));
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${bench.token}` };
      const load = (url: string) => (warmUp: boolean) =>
        cannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: warmUp ? Math.min(3, duration) : duration });
      const runs = await alternate({ payrail: load(`${bench.address}/v1/payments`), bare: load(bare.url) }, rounds);
      const p = summary(runs.payrail);
      const b = summary(runs.bare);
      log(`payrail ${perSecond(p.rps)} req/s, bare Fastify ${perSecond(b.rps)} req/s`);
      const rates: number[] = [];
      for (let r = 0; r < rounds; r++) rates.push(await rawCommitRate(quick ? 0.5 : 2));
      const commits = median(rates);
      log(`raw SQLite ${perSecond(commits)} single-row commits/s`);
      const ratio = p.rps / b.rps;
      return {
        rows: [
          {
            scenario: 'create payment (POST /v1/payments, authenticated, validated, committed durably; 50 connections)',
            payrail: `${perSecond(p.rps)} req/s, p50 ${ms(p.p50)}, p99 ${ms(p.p99)}`,
            reference: `bare Fastify route echoing the JSON: ${perSecond(b.rps)} req/s, p50 ${ms(b.p50)}, p99 ${ms(b.p99)}; raw SQLite single-row commits: ${perSecond(commits)}/s`,
            ratio: `${times(ratio)} bare Fastify; ${times(p.rps / commits)} single-row commits`,
            target: `≥ ${TARGET}× bare Fastify`,
            met: ratio >= TARGET,
          },
        ],
        notes: [
          `create-payment: ${rounds} rounds of ${duration} s per side in ABBA order after a warm-up, medians; PAYRAIL_ROLE=api (no workers); the raw commit rate is better-sqlite3 on payrail's schema, one INSERT per transaction, ${rounds} × ${quick ? 0.5 : 2} s.`,
        ],
      };
    } finally {
      await bare.close();
      await bench.stop();
    }
  },
};

export default scenario;
