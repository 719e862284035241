// Webhook delivery benchmark (not a test): events delivered per second to a local receiver, and
// the API's latency with and without delivery running, measured in one run.
//
//   node --expose-gc --import tsx bench/webhooks.ts [--events 30000] [--endpoints 1] [--duration 10] [--rate 200] [--rounds 3]
//
// DATABASE_URL picks the database (default: a fresh SQLite file). The receiver is a separate
// process (node:http answering 204), as a client's server would be; so is the load generator
// (GET at a fixed rate: a saturating load would measure CPU contention, not delivery
// getting in the API's way; see LOAD). Results go to stdout as markdown, ready for docs/PERFORMANCE.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPayrail } from '../src/app.ts';
import type { Payrail } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { collectGarbage, median, ms, percentile } from './lib/stats.ts';

/** What one fixed-rate run saw: every request's latency in ms (from its scheduled start), sorted. */
interface LatencyRun {
  latencies: number[];
  failures: number;
}

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '30000' },
    endpoints: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    split: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const ENDPOINTS = Number(args.endpoints);
const DURATION = Number(args.duration);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
/** Deliver from a second process (`payrail serve` with PAYRAIL_ROLE=worker) instead of the API's own. */
const SPLIT = args.split;
const BIN = fileURLToPath(new URL('../bin/payrail.js', import.meta.url));

const RECEIVER = `
const http = require('node:http');
let n = 0;
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { n++; res.writeHead(204).end(); }); });
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
process.on('message', () => process.send({ received: n }));
`;

// The API's load: GET at a fixed rate from a process of its own, keep-alive connections (opened as
// needed, at most CONNECTIONS), each latency measured from the moment the request was due (so a
// stalled server is not hidden by requests that were never sent: no coordinated omission), in
// fractions of a millisecond (autocannon rounds to whole ms, 7 % of a 14 ms p99).
const LOAD = `
const http = require('node:http');
const [url, token, rate, seconds, connections] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const total = Math.round(Number(rate) * Number(seconds));
const interval = 1000 / Number(rate);
const latencies = [];
let failures = 0, done = 0, sent = 0;
const start = performance.now() + 20;
function finish() { latencies.sort((a, b) => a - b); process.stdout.write(JSON.stringify({ latencies, failures })); }
function send(due) {
  const req = http.get(url, { agent, headers: { authorization: 'Bearer ' + token } }, (res) => {
    res.resume();
    res.on('end', () => { if (res.statusCode !== 200) failures++; latencies.push(performance.now() - due); if (++done === total) finish(); });
  });
  req.on('error', () => { failures++; if (++done === total) finish(); });
}
function tick() {
  const now = performance.now();
  while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
  if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
}
setTimeout(tick, 20);
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
        await outbox.append(tx, {
          clientId,
          type: 'payments.succeeded',
          objectType: 'payment',
          objectId: `pymt_bench${n}`,
          data: { id: `pymt_bench${n}`, status: 'COMPLETED', amount: 20000, currency: 'SGD' },
        });
      }
    });
  }
}

async function delivered(payrail: Payrail): Promise<number> {
  const r = await payrail.database.db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'delivered')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Delivery on or off: the API process's own workers, or a worker process beside it (--split). */
interface Delivery {
  start(): Promise<void>;
  stop(): Promise<void>;
}

function inProcess(payrail: Payrail): Delivery {
  return { start: async () => payrail.workers.start(), stop: () => payrail.workers.stop() };
}

function workerProcess(payrail: Payrail, env: Record<string, string>): Delivery {
  let child: ReturnType<typeof spawn> | undefined;
  return {
    async start() {
      child = spawn(process.execPath, [BIN, 'serve'], {
        env: { ...process.env, ...env, PAYRAIL_ROLE: 'worker', PORT: '0', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // Started once it logs that its workers run (tsx compiling the sources takes a moment).
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (/workers running/.test(out)) resolve();
        });
        child!.once('exit', () => reject(new Error(`worker process exited: ${out.slice(-500)}`)));
      });
      child.stdout!.resume();
    },
    async stop() {
      const c = child!;
      c.kill('SIGTERM');
      await new Promise((r) => (c.exitCode !== null ? r(undefined) : c.once('exit', r)));
    },
  };
}

/** Delivers until `target` deliveries are delivered; events per second. */
async function deliverAll(payrail: Payrail, delivery: Delivery, target: number): Promise<{ seconds: number; perSecond: number }> {
  await delivery.start();
  const from = await delivered(payrail);
  const start = performance.now();
  const deadline = Date.now() + 300_000;
  for (let n = await delivered(payrail); n < target; n = await delivered(payrail)) {
    if (Date.now() > deadline) throw new Error(`only ${n} of ${target} deliveries made in 5 minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - start) / 1000;
  await delivery.stop();
  return { seconds, perSecond: (target - from) / seconds };
}

/** GET `url` at RATE requests per second for DURATION seconds, from another process. */
async function apiLatency(url: string, token: string): Promise<LatencyRun> {
  // The benchmark itself appends the events in the API's process: their garbage is collected
  // before a run (with --expose-gc, as `npm run bench` runs it), so neither side pays for it.
  collectGarbage();
  const child = spawn(process.execPath, ['-e', LOAD, url, token, String(RATE), String(DURATION), String(CONNECTIONS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(out) as LatencyRun;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'payrail-bench-webhooks-'));
  const receiver = await startReceiver();
  const config = parseConfig({
    ...process.env,
    PAYRAIL_DATA_DIR: dir,
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL || 'silent',
    DATABASE_URL: process.env.DATABASE_URL || `sqlite:${join(dir, 'payrail.db')}`,
  });
  const payrail = await createPayrail(config, { startWorkers: false });
  try {
    const address = await payrail.listen();
    const { client } = await payrail.services.clients.create({ name: 'bench', unlimited: true });
    const token = await payrail.services.tokens.issue(client, client.scopes);
    for (let i = 0; i < ENDPOINTS; i++) await payrail.services.webhookEndpoints.create(client, { url: `http://127.0.0.1:${receiver.port}/hooks/${i}` });
    const target = EVENTS * ENDPOINTS;
    const url = `${address}/v1/events?limit=20`;
    const delivery = SPLIT ? workerProcess(payrail, { DATABASE_URL: config.databaseUrl, PAYRAIL_DATA_DIR: dir }) : inProcess(payrail);

    await appendEvents(payrail, client.id, 1000, 0);
    await apiLatency(url, token); // warm-up

    await appendEvents(payrail, client.id, EVENTS - 1000, 1000);
    const alone = await deliverAll(payrail, delivery, target);

    // Rounds of "API alone, then API while delivering": the medians, because one 10-second p99
    // on a shared VM moves by tens of percent between identical runs.
    const rounds: { base: LatencyRun; during: LatencyRun; perSecond: number }[] = [];
    let next = EVENTS;
    // Delivery stays on through the rounds, as in a running server (starting it costs a moment of
    // CPU that would land in a baseline). Each baseline is taken with every worker running and
    // nothing to deliver, so the difference is the delivering itself.
    await delivery.start();
    await new Promise((r) => setTimeout(r, 2000));
    let expected = await delivered(payrail);
    for (let r = 0; r < ROUNDS; r++) {
      const base = await apiLatency(url, token);
      // Enough events to keep delivery busy for the whole API run.
      const busy = Math.ceil((alone.perSecond * (DURATION + 5)) / ENDPOINTS);
      await appendEvents(payrail, client.id, busy, next);
      next += busy;
      expected += busy * ENDPOINTS;
      const before = await delivered(payrail);
      const t0 = performance.now();
      const during = await apiLatency(url, token);
      const perSecond = ((await delivered(payrail)) - before) / ((performance.now() - t0) / 1000);
      rounds.push({ base, during, perSecond });
      // The backlog is delivered before the next baseline.
      while ((await delivered(payrail)) < expected) await new Promise((res) => setTimeout(res, 200));
      await new Promise((res) => setTimeout(res, 1000));
    }
    await delivery.stop();

    // p99 of all the rounds' requests together (ROUNDS × RATE × DURATION samples each side), and
    // each round's own for the spread.
    const pooled = (pick: (r: (typeof rounds)[number]) => LatencyRun) => rounds.flatMap((r) => pick(r).latencies).sort((a, b) => a - b);
    const base = pooled((r) => r.base);
    const during = pooled((r) => r.during);
    const p99Base = percentile(base, 0.99);
    const p99During = percentile(during, 0.99);
    const each = (pick: (r: (typeof rounds)[number]) => number, digits = 0) => rounds.map((r) => pick(r).toFixed(digits)).join(', ');
    const where = SPLIT ? 'a worker process beside the API' : 'in the API process';
    console.log(`| ${ENDPOINTS} endpoint${ENDPOINTS === 1 ? '' : 's'}, delivered ${where}, ${ROUNDS} rounds | value |\n| --- | --- |`);
    console.log(`| delivery alone: ${target} events | ${alone.seconds.toFixed(2)} s = **${Math.round(alone.perSecond)} events/s** |`);
    console.log(
      `| delivery while the API is loaded | median **${Math.round(median(rounds.map((r) => r.perSecond)))} events/s** (${each((r) => r.perSecond)}) |`,
    );
    console.log(
      `| API p50 alone / while delivering (GET /v1/events?limit=20 at ${RATE} req/s, ${DURATION} s a round) | ${ms(percentile(base, 0.5))} / ${ms(percentile(during, 0.5))} |`,
    );
    console.log(
      `| API p99 alone / while delivering (all rounds' ${base.length} / ${during.length} requests) | ${ms(p99Base)} / ${ms(p99During)} (**${p99During >= p99Base ? '+' : ''}${((p99During / p99Base - 1) * 100).toFixed(0)} %**); each round: ${each((r) => percentile(r.base.latencies, 0.99), 1)} / ${each((r) => percentile(r.during.latencies, 0.99), 1)} |`,
    );
    const failures = rounds.reduce((n, r) => n + r.base.failures + r.during.failures, 0);
    if (failures > 0) console.log(`(non-2xx or errors: ${failures})`);
  } finally {
    await payrail.close();
    receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
