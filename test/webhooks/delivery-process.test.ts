// Webhook delivery as `payrail serve` runs it: in a child process of its own (its own event loop,
// database connection and scheduling class), on both databases. Events reach a real receiver in
// order, signed as Standard Webhooks, their attempts are recorded, shutdown stops the child, and a
// child whose parent dies stops too.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { parseConfig } from '../../src/config.ts';
import { createDeliveryProcess } from '../../src/webhooks/delivery-process.ts';
import { startServe, stopServers } from '../helpers/cli.ts';
import { freePort } from '../helpers/ports.ts';
import { openDatabase } from '../../src/store/database.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';

describe('a delivery process that dies', () => {
  it('is started again, waiting twice as long after each death in a row', { timeout: 30_000 }, async () => {
    // A database the child cannot open (its folder would be inside a file): it dies at once, every time.
    const dir = mkdtempSync(join(tmpdir(), 'payrail-delivery-'));
    writeFileSync(join(dir, 'file'), '');
    const lines: { msg: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const logger = pino({ level: 'error' }, sink);
    const config = parseConfig({ DATABASE_URL: `sqlite:${join(dir, 'file', 'payrail.db')}`, LOG_LEVEL: 'silent' });
    const delivery = createDeliveryProcess({ config, logger, timeoutMs: 1000 });
    delivery.start();
    try {
      const deadline = Date.now() + 25_000;
      while (Date.now() < deadline && lines.filter((l) => l.msg.includes('starting it again')).length < 2) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await delivery.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const restarts = lines.filter((l) => l.msg.includes('starting it again')).map((l) => l.msg);
    assert.ok(restarts.length >= 2, `restarted at least twice: ${JSON.stringify(lines)}`);
    assert.match(restarts[0]!, /in 1000 ms/);
    assert.match(restarts[1]!, /in 2000 ms/);
  });
});

/** Processes whose parent is `ppid` (from /proc: Linux). */
function childrenOf(ppid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid;
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

/** The scheduling policy of each thread of `pid` (0 = normal, 5 = SCHED_IDLE). */
function policies(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    try {
      return [Number(/^policy\s*:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/sched`, 'utf8'))![1])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

/** The child of `ppid` running the delivery process (tsx may have a child of its own too). */
function deliveryChildOf(ppid: number): number | undefined {
  return childrenOf(ppid).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('delivery-child.mjs');
    } catch {
      return false;
    }
  });
}

async function until<T>(what: string, probe: () => T | undefined, ms = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const linuxOnly = process.platform === 'linux' && existsSync('/proc/self/sched') ? false : 'needs Linux /proc (scheduling policies, parent pids)';
if (linuxOnly) console.log(`# skipped: the delivery process's scheduling and orphan tests ${linuxOnly}`);

describe('a delivery process stopped while it is still loading', () => {
  it('stops when told, not when its kill timer fires', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrail-delivery-'));
    const config = parseConfig({ DATABASE_URL: `sqlite:${join(dir, 'payrail.db')}`, LOG_LEVEL: 'silent' });
    // An attempt's timeout of 40 s: were the stop lost, the child would be killed after 45 s.
    const delivery = createDeliveryProcess({ config, logger: pino({ level: 'silent' }), timeoutMs: 40_000 });
    try {
      delivery.start();
      const started = performance.now();
      await delivery.stop(); // at once: the child has not asked for its settings yet
      assert.ok(performance.now() - started < 20_000, `stopped after ${Math.round(performance.now() - started)} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the delivery process of `payrail serve`', { skip: linuxOnly }, () => {
  after(() => stopServers());

  it('runs every thread in SCHED_IDLE, and stops when its parent is killed', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrail-delivery-'));
    try {
      const server = await startServe({ PAYRAIL_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'payrail.db')}` }, await freePort());
      const child = await until('the delivery process', () => deliveryChildOf(server.pid!));
      // Every thread, V8's helpers included (the child lowers itself first thing).
      const threads = await until('SCHED_IDLE', () => {
        const p = policies(child);
        return p.length > 1 && p.every((x) => x === 5) ? p : undefined;
      });
      assert.ok(threads.length > 1);
      assert.deepEqual(
        policies(server.pid!).filter((x) => x !== 0),
        [],
        'the server itself stays at normal priority',
      );

      await killAndWatch(server, child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops within about a second when its parent is killed while it is still loading', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrail-delivery-'));
    try {
      const server = await startServe({ PAYRAIL_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'payrail.db')}` }, await freePort());
      const child = await until('the delivery process', () => deliveryChildOf(server.pid!), 30_000, 10);
      await killAndWatch(server, child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** An orphan must not outlive its parent by seconds (#17): ~1 s, with room for a loaded machine. */
const ORPHAN_LIMIT_MS = 2500;

/** Kills `server` with SIGKILL and waits for its delivery child `child` to end, within ORPHAN_LIMIT_MS. */
async function killAndWatch(server: ChildProcess, child: number): Promise<void> {
  server.kill('SIGKILL');
  const killed = performance.now();
  // Ended: gone, or a zombie waiting for whoever adopted it to reap it.
  const ended = () => {
    try {
      const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') ? true : undefined;
    } catch {
      return true;
    }
  };
  await until('the orphaned delivery process to end', ended, 20_000, 20);
  const after = performance.now() - killed;
  assert.ok(after < ORPHAN_LIMIT_MS, `the orphan ended ${Math.round(after)} ms after its parent was killed`);
}

for (const kind of databaseKinds()) {
  describe(`webhook delivery process (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let receiver: Receiver;

    before(async () => {
      db = await kind.create();
      receiver = await startReceiver();
      app = await startTestApp(db, { workers: true });
    });
    after(async () => {
      await app?.close();
      await receiver?.close();
      await db?.drop();
    });

    it('delivers from a child process: every event, in order, signed, recorded', { timeout: 90_000 }, async () => {
      assert.equal(app.payrail.workers.webhookDelivery, 'process');
      const client = await app.authed();
      const endpoint = (
        await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: client.headers, payload: { url: `${receiver.url}/hook` } })
      ).json();
      const ids: string[] = [];
      const { outbox } = app.payrail.services;
      for (let i = 0; i < 30; i++) {
        await app.payrail.database.db.transaction().execute(async (tx) => {
          ids.push(
            await outbox.append(tx, {
              clientId: client.clientId,
              type: 'payments.succeeded',
              objectType: 'payment',
              objectId: `pymt_child${i}`,
              data: { n: i },
            }),
          );
        });
      }
      // The child runs in SCHED_IDLE: on a machine whose cores the other test files keep busy it
      // gets CPU only now and then, so the bound is generous (it delivers in well under a second alone).
      await receiver.waitFor(30, 60_000);
      assert.deepEqual(
        receiver.received.map((r) => r.headers['webhook-id']),
        ids,
        'in event order',
      );
      const wh = new Webhook(endpoint.secret);
      for (const r of receiver.received) wh.verify(r.raw, r.headers as Record<string, string>);

      // The child records each attempt (a moment after the answer).
      const database = await openDatabase(db.url);
      try {
        const deadline = Date.now() + 10_000;
        let delivered = 0;
        while (Date.now() < deadline && delivered < 30) {
          delivered = (await database.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'delivered').execute()).length;
          if (delivered < 30) await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(delivered, 30);
      } finally {
        await database.close();
      }

      const closing = performance.now();
      await app.close();
      assert.ok(performance.now() - closing < 5000, 'the child stops promptly');
      assert.equal(receiver.received.length, 30, 'nothing sent twice');
    });
  });
}
