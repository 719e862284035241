// The HTTP server's count of requests being answered (what webhook delivery yields to) goes up
// while a request runs and back to zero after every kind of answer: sent, refused, cut off.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createApiActivity } from '../../src/http/api-activity.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import { createHttpServer } from '../../src/http/server.ts';

describe('API activity counted by the HTTP server', () => {
  it('counts a request while it runs and returns to zero after answers, 404s and aborted requests', async () => {
    const activity = createApiActivity();
    const count = () => Atomics.load(new Int32Array(activity.shared), 0);
    let seenInside = -1;
    let release: () => void = () => {};
    const app = await createHttpServer({
      logger: pino({ level: 'silent' }),
      bodyLimitBytes: 1024,
      publicUrl: 'http://payrail.test',
      metrics: createMetrics(),
      activity,
      routes: async (a) => {
        a.get('/now', async () => ({ inside: (seenInside = count()) }));
        a.get('/slow', () => new Promise((resolve) => (release = () => resolve({ ok: true }))));
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/now`)).status, 200);
      assert.equal(seenInside, 1, 'the request itself is counted while it runs');
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
      while (count() !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(count(), 0);
    } finally {
      await app.close();
    }
  });
});
