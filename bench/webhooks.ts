// Webhook delivery benchmark (not a test): events delivered per second to a local receiver, and
// the API's latency with and without delivery running, measured in one run.
//
//   node --import tsx bench/webhooks.ts [--events 30000] [--endpoints 1] [--duration 10] [--rate 200]
//
// DATABASE_URL picks the database (default: a fresh SQLite file). The receiver is a separate
// process (node:http answering 204), as a client's server would be; so is the load generator
// (autocannon's CLI at a fixed rate: a saturating load would measure CPU contention, not delivery
// getting in the API's way). Results go to stdout as markdown, ready for docs/PERFORMANCE.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPayrail } from '../src/app.ts';
import type { Payrail } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '30000' },
    endpoints: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    connections: { type: 'string', default: '10' },
  },
});
const EVENTS = Number(args.events);
const ENDPOINTS = Number(args.endpoints);
const DURATION = Number(args.duration);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);

const RECEIVER = `
const http = require('node:http');
let n = 0;
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { n++; res.writeHead(204).end(); }); });
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
process.on('message', () => process.send({ received: n }));
`;

async function startReceiver() {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(m as number)));
  return { port, stop: () => child.kill() };
}

async function appendEvents(payrail: Payrail, clientId: string, count: number, from: number): Promise<void> {
  const { outbox } = payrail.services;
  for (let done = 0; done < count; done += 1000) {
    await payrail.database.db.transaction().execute(async (tx) => {
      for (let i = done; i < Math.min(count, done + 1000); i++) {
        const n = from + i;
        await outbox.append(tx, { clientId, type: 'payments.succeeded', objectType: 'payment', objectId: `pymt_bench${n}`, data: { id: `pymt_bench${n}`, status: 'COMPLETED', amount: 20000, currency: 'SGD' } });
      }
    });
  }
}

async function delivered(payrail: Payrail): Promise<number> {
  const r = await payrail.database.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'delivered').executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Starts the workers and waits until `target` deliveries are delivered; events per second. */
async function deliverAll(payrail: Payrail, target: number): Promise<{ seconds: number; perSecond: number }> {
  const start = performance.now();
  payrail.workers.start();
  while ((await delivered(payrail)) < target) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - start) / 1000;
  await payrail.workers.stop();
  return { seconds, perSecond: target / seconds };
}

/** GET `url` at RATE requests per second for DURATION seconds, from another process. */
async function apiLatency(url: string, token: string): Promise<CannonResult> {
  const child = spawn(process.execPath, [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(DURATION), '-R', String(RATE), '-H', `authorization=Bearer ${token}`, url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(out) as CannonResult;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'payrail-bench-webhooks-'));
  const receiver = await startReceiver();
  const config = parseConfig({ ...process.env, PAYRAIL_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: process.env.DATABASE_URL || `sqlite:${join(dir, 'payrail.db')}` });
  const payrail = await createPayrail(config, { startWorkers: false });
  try {
    const address = await payrail.listen();
    const { client } = await payrail.services.clients.create({ name: 'bench', unlimited: true });
    const token = await payrail.services.tokens.issue(client, client.scopes);
    for (let i = 0; i < ENDPOINTS; i++) await payrail.services.webhookEndpoints.create(client, { url: `http://127.0.0.1:${receiver.port}/hooks/${i}` });
    const target = EVENTS * ENDPOINTS;
    const url = `${address}/v1/events?limit=20`;

    await appendEvents(payrail, client.id, 1000, 0);
    await apiLatency(url, token); // warm-up
    const baseline = await apiLatency(url, token);

    await appendEvents(payrail, client.id, EVENTS - 1000, 1000);
    const alone = await deliverAll(payrail, target);

    // Enough events to keep delivery busy for the whole API run.
    const busy = Math.ceil(alone.perSecond * (DURATION + 5));
    await appendEvents(payrail, client.id, Math.ceil(busy / ENDPOINTS), EVENTS);
    const before = await delivered(payrail);
    payrail.workers.start();
    const t0 = performance.now();
    const during = await apiLatency(url, token);
    const deliveredDuring = (await delivered(payrail)) - before;
    const seconds = (performance.now() - t0) / 1000;
    await payrail.workers.stop();

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(`| measurement | value |\n| --- | --- |`);
    console.log(`| delivery alone: ${target} deliveries to ${ENDPOINTS} endpoint(s) | ${alone.seconds.toFixed(2)} s = **${Math.round(alone.perSecond)} events/s** |`);
    console.log(`| API alone (GET /v1/events?limit=20 at ${RATE} req/s, ${DURATION} s) | ${Math.round(baseline.requests.average)} req/s, p50 ${ms(baseline.latency.p50)}, p99 ${ms(baseline.latency.p99)} |`);
    console.log(`| API while delivering | ${Math.round(during.requests.average)} req/s, p50 ${ms(during.latency.p50)}, p99 ${ms(during.latency.p99)} (p99 ${((during.latency.p99 / baseline.latency.p99 - 1) * 100).toFixed(0)} %) |`);
    console.log(`| delivery while the API is loaded | ${Math.round(deliveredDuring / seconds)} events/s |`);
    if (baseline.non2xx + during.non2xx + baseline.errors + during.errors > 0) console.log(`(non-2xx: ${baseline.non2xx + during.non2xx}, errors: ${baseline.errors + during.errors})`);
  } finally {
    await payrail.close();
    receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
