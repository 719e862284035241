// The HTTP server tells when the API turns busy and idle again, after every kind of answer (sent,
// refused, cut off); the delivery process's waiter holds a send while the API is busy, for at
// most its bound.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { API_BUSY, API_IDLE, apiActivityWriter, apiIdleWaiter, createApiActivity } from '../../src/http/api-activity.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import { createHttpServer } from '../../src/http/server.ts';

describe('API activity told by the HTTP server', () => {
  it('turns busy while a request runs and idle after answers, 404s and aborted requests', async () => {
    const activity = createApiActivity();
    const changes: boolean[] = [];
    activity.onChange((busy) => changes.push(busy));
    let seenInside: boolean | undefined;
    let release: () => void = () => {};
    const app = await createHttpServer({
      logger: pino({ level: 'silent' }),
      bodyLimitBytes: 1024,
      publicUrl: 'http://payrail.test',
      metrics: createMetrics(),
      activity,
      routes: async (a) => {
        a.get('/now', async () => ({ inside: (seenInside = changes.at(-1)) }));
        a.get('/slow', () => new Promise((resolve) => (release = () => resolve({ ok: true }))));
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/now`)).status, 200);
      assert.equal(seenInside, true, 'busy while the request runs');
      assert.equal((await fetch(`http://127.0.0.1:${port}/nowhere`)).status, 404);
      // A client that gives up mid-request.
      await new Promise<void>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/slow' });
        req.on('error', () => resolve());
        req.end();
        setTimeout(() => req.destroy(), 100);
      });
      release();
      const deadline = Date.now() + 2000;
      while (changes.at(-1) !== false && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(changes, [true, false, true, false, true, false], 'busy and idle again after each of the three');
    } finally {
      await app.close();
    }
  });

  it('tells only the turns: two requests at once are one busy spell', () => {
    const activity = createApiActivity();
    const changes: boolean[] = [];
    activity.onChange((busy) => changes.push(busy));
    activity.begin();
    activity.begin();
    activity.end();
    assert.deepEqual(changes, [true]);
    activity.end();
    assert.deepEqual(changes, [true, false]);
  });
});

describe("the API's turns written to the delivery process", () => {
  it('holds at most one byte for a reader that does not read, then writes the latest state', async () => {
    const activity = createApiActivity();
    const writer = apiActivityWriter(activity);
    // A reader that takes one byte and then nothing until it is read: a child that is loading.
    const pipe = new PassThrough({ readableHighWaterMark: 1 });
    writer.attach(pipe);
    for (let i = 0; i < 100; i++) {
      activity.begin();
      activity.end();
    }
    activity.begin(); // busy, last
    await new Promise((r) => setImmediate(r));
    assert.equal(pipe.writableLength, 1, 'one byte waiting to be taken; the 201 turns not queued behind it');
    const read: number[] = [];
    for (let i = 0; i < 10; i++) {
      const chunk = pipe.read() as Buffer | null;
      if (chunk) read.push(...chunk);
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(read, [API_IDLE, API_BUSY], 'the state at attach, then the latest');
    activity.end();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual([...(pipe.read() as Buffer)], [API_IDLE]);
  });

  it('writes to the pipe attached last (a restarted reader)', async () => {
    const activity = createApiActivity();
    const writer = apiActivityWriter(activity);
    const first = new PassThrough();
    const second = new PassThrough();
    writer.attach(first);
    writer.attach(second);
    activity.begin();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual([...(first.read() as Buffer)], [API_IDLE], 'the first only got the state at attach');
    assert.deepEqual([...(second.read() as Buffer)], [API_IDLE, API_BUSY]);
  });
});

describe('the delivery process waiting for an idle API', () => {
  it('goes at once while idle, waits while busy, and goes on when the API turns idle', async () => {
    const pipe = new PassThrough();
    const whenIdle = apiIdleWaiter(pipe, 5000);
    await whenIdle(); // nothing said yet: idle
    pipe.write(Buffer.of(API_BUSY));
    await new Promise((r) => setImmediate(r));
    let done = false;
    const waiting = whenIdle().then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(done, false, 'still waiting while the API is busy');
    pipe.write(Buffer.of(API_IDLE));
    await waiting;
    // Several turns read at once: the last one counts.
    pipe.write(Buffer.of(API_BUSY, API_IDLE));
    await new Promise((r) => setImmediate(r));
    const started = performance.now();
    await whenIdle();
    assert.ok(performance.now() - started < 1000, 'busy then idle: goes at once');
    pipe.write(Buffer.of(API_IDLE, API_BUSY));
    await new Promise((r) => setImmediate(r));
    done = false;
    const again = whenIdle().then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(done, false, 'idle then busy: waits');
    pipe.write(Buffer.of(API_IDLE));
    await again;
  });

  it('never waits longer than its bound', async () => {
    const pipe = new PassThrough();
    const whenIdle = apiIdleWaiter(pipe, 30);
    pipe.write(Buffer.of(API_BUSY));
    await new Promise((r) => setImmediate(r));
    const started = performance.now();
    await whenIdle();
    const waited = performance.now() - started;
    assert.ok(waited >= 25 && waited < 1000, `waited ${waited} ms`);
  });
});

describe('the delivery process and an API that is always busy', () => {
  /** Sends (1 ms each) for `ms` behind a waiter on an API that never turns idle; the share of the time spent waiting. */
  async function waitedShare(maxShare: number, ms: number): Promise<number> {
    const pipe = new PassThrough();
    const whenIdle = apiIdleWaiter(pipe, 5, maxShare);
    pipe.write(Buffer.of(API_BUSY));
    await new Promise((r) => setImmediate(r));
    const start = performance.now();
    let waited = 0;
    while (performance.now() - start < ms) {
      const before = performance.now();
      await whenIdle();
      waited += performance.now() - before;
      await new Promise((r) => setTimeout(r, 1));
    }
    return waited / (performance.now() - start);
  }

  it('waits during at most its share of the time (a budget of 20 ms at most banked)', async () => {
    const share = await waitedShare(0.25, 600);
    assert.ok(share <= 0.25 + 20 / 600 + 0.03, `waited ${(share * 100).toFixed(0)} % of the time, at most 25 % (+ the 20 ms budget)`);
    assert.ok(share >= 0.1, `but it does wait: ${(share * 100).toFixed(0)} %`);
  });

  it('without a share, waits before every send', async () => {
    const share = await waitedShare(1, 300);
    assert.ok(share >= 0.5, `waited ${(share * 100).toFixed(0)} % of the time`);
  });
});
