// Webhook delivery as `payrail serve` runs it: in a thread of its own (its own event loop and
// database connection), on both databases. Events reach a real receiver in order, signed as
// Standard Webhooks, their attempts are recorded, and shutdown stops the thread.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { parseConfig } from '../../src/config.ts';
import { createDeliveryThread } from '../../src/webhooks/delivery-thread.ts';
import { createApiActivity, whenApiIdle } from '../../src/http/api-activity.ts';
import { openDatabase } from '../../src/store/database.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';

describe('API activity (what delivery yields to)', () => {
  it('waits while a request is being answered, and goes on when it ends', async () => {
    const activity = createApiActivity();
    await whenApiIdle(activity.shared, 1000); // idle: at once
    activity.begin();
    let done = false;
    const waiting = whenApiIdle(activity.shared, 5000).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(done, false, 'still waiting while the request runs');
    activity.end();
    await waiting;
  });

  it('never waits longer than its bound', async () => {
    const activity = createApiActivity();
    activity.begin();
    const started = performance.now();
    await whenApiIdle(activity.shared, 30);
    const waited = performance.now() - started;
    assert.ok(waited >= 25 && waited < 1000, `waited ${waited} ms`);
  });
});

describe('a delivery thread that dies', () => {
  it('is started again, waiting twice as long after each death in a row', { timeout: 30_000 }, async () => {
    // A database the thread cannot open (its folder would be inside a file): it dies at once, every time.
    const dir = mkdtempSync(join(tmpdir(), 'payrail-thread-'));
    writeFileSync(join(dir, 'file'), '');
    const lines: { msg: string }[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
    const logger = pino({ level: 'error' }, sink);
    const config = parseConfig({ DATABASE_URL: `sqlite:${join(dir, 'file', 'payrail.db')}`, LOG_LEVEL: 'silent' });
    const thread = createDeliveryThread({ config, logger, timeoutMs: 1000 });
    thread.start();
    try {
      const deadline = Date.now() + 25_000;
      while (Date.now() < deadline && lines.filter((l) => l.msg.includes('starting it again')).length < 2) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await thread.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const restarts = lines.filter((l) => l.msg.includes('starting it again')).map((l) => l.msg);
    assert.ok(restarts.length >= 2, `restarted at least twice: ${JSON.stringify(lines)}`);
    assert.match(restarts[0]!, /in 1000 ms/);
    assert.match(restarts[1]!, /in 2000 ms/);
  });
});

for (const kind of databaseKinds()) {
  describe(`webhook delivery thread (${kind.name})`, { skip: kind.skip }, () => {
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

    it('delivers in a thread: every event, in order, signed, recorded', async () => {
      assert.equal(app.payrail.workers.webhookDelivery, 'thread');
      const client = await app.authed();
      const endpoint = (await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: client.headers, payload: { url: `${receiver.url}/hook` } })).json();
      const ids: string[] = [];
      const { outbox } = app.payrail.services;
      for (let i = 0; i < 30; i++) {
        await app.payrail.database.db.transaction().execute(async (tx) => {
          ids.push(await outbox.append(tx, { clientId: client.clientId, type: "payments.succeeded", objectType: "payment", objectId: `pymt_thread${i}`, data: { n: i } }));
        });
      }
      await receiver.waitFor(30);
      assert.deepEqual(receiver.received.map((r) => r.headers['webhook-id']), ids, 'in event order');
      const wh = new Webhook(endpoint.secret);
      for (const r of receiver.received) wh.verify(r.raw, r.headers as Record<string, string>);

      // The thread records each attempt (a moment after the answer).
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
      assert.ok(performance.now() - closing < 5000, 'the thread stops promptly');
      assert.equal(receiver.received.length, 30, 'nothing sent twice');
    });
  });
}
