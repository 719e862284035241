// Scale-out under kill -9 (issue #21): two payrail instances on one PostgreSQL database, batches
// posted to both, one instance killed with SIGKILL while the work is under way, started again;
// then everything must complete with nothing lost or doubled: every payment final once, one bank
// file per batch, one `payment-batches.submitted` per batch and one final event per payment, and
// every event delivered to its webhook receiver (at least once: a delivery cut by the kill is sent
// again; repeats are counted and reported).
//
//   npm run bench scale-out -- [--batches 6] [--payments 1000] [--kill-after 2]
//
// PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database, dropped after). The
// two instances share the data folder (the bank's folders, as they would share the bank's SFTP
// server); instance A plays the sandbox bank, instance B (PAYRAIL_SANDBOX_BANK=off) is the one
// killed. Both run every other worker. Short leases (3 s), so B's claims pass to A quickly.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/store/database.ts';
import { batchBody } from './lib/fixtures.ts';
import { POSTGRES_URL, createScratchDatabase } from './lib/postgres.ts';
import { startPayrailProcess } from './lib/server-process.ts';
import type { PayrailProcess } from './lib/server-process.ts';

const { values: args } = parseArgs({
  options: { batches: { type: 'string', default: '6' }, payments: { type: 'string', default: '1000' }, 'kill-after': { type: 'string', default: '2' } },
});
const BATCHES = Number(args.batches);
const PAYMENTS = Number(args.payments);
const KILL_AFTER = Number(args['kill-after']);
const TIMEOUT_MS = 15 * 60_000;

/** Deliveries by event id (the body's `id`). */
async function startReceiver() {
  const deliveries = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string }).id ?? '(none)';
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks`, deliveries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function post(server: PayrailProcess, tag: string): Promise<string> {
  const res = await fetch(`${server.address}/v1/payment-batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(batchBody(server.accountId, tag, PAYMENTS)),
  });
  if (res.status !== 200) throw new Error(`POST /v1/payment-batches: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function main(): Promise<number> {
  if (!POSTGRES_URL) {
    console.log('skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server');
    return 0;
  }
  const scratch = await createScratchDatabase(POSTGRES_URL);
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-scale-out-'));
  const receiver = await startReceiver();
  const common = {
    DATABASE_URL: scratch.url,
    PAYRAIL_DATA_DIR: dataDir,
    PAYRAIL_SANDBOX_ACK_DELAY_MS: '20',
    PAYRAIL_WEBHOOK_RETRY_BASE_MS: '1000',
    PAYRAIL_WORKER_LEASE_MS: '3000',
  };
  const database = await openDatabase(scratch.url);
  let a: PayrailProcess | undefined;
  let b: PayrailProcess | undefined;
  try {
    a = await startPayrailProcess({ env: common, workers: true, webhookUrl: receiver.url });
    b = await startPayrailProcess({ env: { ...common, PAYRAIL_SANDBOX_BANK: 'off' }, workers: true, webhookUrl: receiver.url });
    const start = performance.now();
    const ids: string[] = [];
    // Batches to both instances, alternately; B is killed after KILL_AFTER of its own.
    let killedAt = NaN;
    for (let i = 0; i < BATCHES; i++) {
      const target: PayrailProcess = i % 2 === 0 ? a : b!;
      ids.push(await post(target, `SO${i}`));
      if (target === b && ids.length >= 2 * KILL_AFTER && Number.isNaN(killedAt)) {
        process.kill(b.pid, 'SIGKILL');
        killedAt = (performance.now() - start) / 1000;
        await sleep(500);
        b = await startPayrailProcess({ env: { ...common, PAYRAIL_SANDBOX_BANK: 'off' }, workers: true, webhookUrl: receiver.url });
      }
    }
    const posted = (performance.now() - start) / 1000;
    const payments = BATCHES * PAYMENTS;
    // Done: every batch final, every payment final, every event delivered.
    const deadline = Date.now() + TIMEOUT_MS;
    let pending = { batches: BATCHES, payments, undelivered: 1 };
    while (Date.now() < deadline) {
      const batches = await database.db.selectFrom('batches').select('id').where('status', 'not in', ['COMPLETED', 'FAILED']).execute();
      const open = await database.db
        .selectFrom('payments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'not in', ['COMPLETED', 'FAILED'])
        .executeTakeFirstOrThrow();
      const events = await database.db.selectFrom('events').select('id').execute();
      const undelivered = events.filter((e) => !receiver.deliveries.has(e.id)).length;
      pending = { batches: batches.length, payments: Number(open.n), undelivered };
      if (pending.batches === 0 && pending.payments === 0 && undelivered === 0) break;
      await sleep(500);
    }
    const seconds = (performance.now() - start) / 1000;
    const events = await database.db.selectFrom('events').select(['id', 'type', 'object_id']).execute();
    const submitted = events.filter((e) => e.type === 'payment-batches.submitted');
    const finalEvents = events.filter((e) => e.type === 'payments.succeeded' || e.type === 'payments.failed');
    const files = await database.db.selectFrom('bank_files').select('batch_id').where('direction', '=', 'out').execute();
    const uploaded = readdirSync(join(dataDir, 'bank', 'outbox')).filter((n) => n.endsWith('.xml'));
    const final = await database.db.selectFrom('payments').select('status').execute();
    const repeats = [...receiver.deliveries.values()].reduce((n, c) => n + c - 1, 0);
    const checks = {
      'every batch final': pending.batches === 0,
      'every payment final': pending.payments === 0 && final.length === payments,
      'one file per batch': files.length === BATCHES && new Set(files.map((f) => f.batch_id)).size === BATCHES && uploaded.length === BATCHES,
      'one payment-batches.submitted per batch': submitted.length === BATCHES && new Set(submitted.map((e) => e.object_id)).size === BATCHES,
      'one final event per payment': finalEvents.length === payments && new Set(finalEvents.map((e) => e.object_id)).size === payments,
      'every event delivered': pending.undelivered === 0,
    };
    console.log(`| batches × payments | B killed at | posted in | all done in | payments/s | events | deliveries repeated | checks |`);
    console.log('|---|---|---|---|---|---|---|---|');
    const failed = Object.entries(checks)
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    console.log(
      `| ${BATCHES} × ${PAYMENTS} | ${killedAt.toFixed(1)} s | ${posted.toFixed(1)} s | ${seconds.toFixed(1)} s | ${(payments / seconds).toFixed(0)} | ${events.length} | ${repeats} | ${failed.length === 0 ? 'all passed' : `FAILED: ${failed.join(', ')}`} |`,
    );
    return failed.length === 0 ? 0 : 1;
  } finally {
    await a?.stop().catch(() => {});
    await b?.stop().catch(() => {});
    await database.close();
    await receiver.close();
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
