// Redis going away mid-run: payrail keeps answering with in-memory counts (per instance), says
// so once in the log, in /metrics and in /readyz, and shares counts again when Redis is back.
// Runs its own redis-server on a free port, so stopping it touches nothing else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createFailoverStore } from '../../src/rate-limits/failover-store.ts';
import { createMemoryStore } from '../../src/rate-limits/memory-store.ts';
import { createRedisConnection, createRedisStore } from '../../src/rate-limits/redis-store.ts';
import type { Limit } from '../../src/rate-limits/model.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { eventually, freePort, ownRedis, ownRedisSkip } from './redis-helpers.ts';
import type { OwnRedis } from './redis-helpers.ts';

const sqlite = databaseKinds().find((k) => k.name === 'sqlite')!;
const skip = ownRedisSkip();

describe('Redis stopped and restarted under two instances', { skip }, () => {
  let server: OwnRedis;
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let headers: Record<string, string>;

  before(async () => {
    server = ownRedis(await freePort());
    await server.start();
    db = await sqlite.create();
    const env = { REDIS_URL: server.url };
    a = await startTestApp(db, { env });
    b = await startTestApp(db, { env });
    const client = await a.authed({ unlimited: false });
    headers = client.headers;
    await a.payrail.services.clients.setRateLimits(client.clientId, { rateLimits: { 'payment-enquiry': { hour: 4, second: 100 } } });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
    await db?.drop();
  });

  const get = (app: TestApp) => app.inject({ method: 'GET', url: '/v1/payments', headers });
  const redisReady = async (app: TestApp) => (await app.inject({ method: 'GET', url: '/readyz' })).json().checks.redis as boolean;
  const fallbackGauge = async (app: TestApp) => /^payrail_rate_limit_fallback (\d)$/m.exec((await app.inject({ method: 'GET', url: '/metrics' })).body)?.[1];

  it('shared while Redis is up', async () => {
    assert.equal((await get(a)).statusCode, 200);
    assert.equal((await get(b)).statusCode, 200);
    assert.equal(await redisReady(a), true);
  });

  it('Redis stopped: requests are still answered, promptly, counted in memory per instance', async () => {
    await server.stop();
    for (const app of [a, b]) await eventually(async () => !(await redisReady(app)), 5000, '/readyz to show redis: false');
    // /readyz stays 200: the database decides readiness; Redis is detail.
    assert.equal((await a.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    assert.equal(await fallbackGauge(a), '1');
    const started = Date.now();
    // Instance a's memory has seen nothing of this client yet: a full hour quota of 4, then 429.
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await get(a)).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 200, 429]);
    assert.ok(Date.now() - started < 1000, 'no request waited on Redis');
    assert.equal((await get(b)).statusCode, 200, 'instance b counts on its own meanwhile');
  });

  it('Redis back: counts are shared again', async () => {
    await server.start();
    for (const app of [a, b]) await eventually(() => redisReady(app), 10_000, '/readyz to show redis: true');
    assert.equal(await fallbackGauge(a), '0');
    // The restarted Redis is empty: 4 for the hour, now across both instances.
    const codes = [(await get(a)).statusCode, (await get(b)).statusCode, (await get(a)).statusCode, (await get(b)).statusCode];
    assert.deepEqual(codes, [200, 200, 200, 200]);
    assert.equal((await get(a)).statusCode, 429);
    assert.equal((await get(b)).statusCode, 429);
  });
});

describe('the fail-over store (its own redis-server)', { skip }, () => {
  let server: OwnRedis;
  let redis: Redis;
  const lines: string[] = [];
  const logger = { warn: (_: unknown, msg: string) => lines.push(`warn ${msg}`), info: (msg: string) => lines.push(`info ${msg}`) } as unknown as Logger;
  const limits: Limit[] = [{ window: 'hour', quota: 1000 }];

  before(async () => {
    server = ownRedis(await freePort());
    await server.start();
    redis = createRedisConnection(server.url);
  });
  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('many checks during an outage: one warning; back: one info', async () => {
    const store = createFailoverStore({
      redis,
      primary: createRedisStore({ redis, keyPrefix: 't:' }),
      fallback: createMemoryStore({ clock: Date.now }),
      logger,
      clock: Date.now,
    });
    assert.equal(await store.connected(2000), true);
    await store.consume('payments', 'cli_x', limits, 'sliding');
    await server.stop();
    for (let i = 0; i < 20; i++) {
      assert.equal((await store.consume('payments', 'cli_x', limits, 'sliding')).allowed, true);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(store.isDegraded(), true);
    await server.start();
    await eventually(async () => redis.status === 'ready', 10_000, 'reconnection');
    await store.consume('payments', 'cli_x', limits, 'sliding');
    assert.equal(store.isDegraded(), false);
    assert.deepEqual(
      lines.map((l) => l.split(':')[0]),
      ['warn rate limits', 'info rate limits'],
    );
  });

  it('a Redis that stops answering costs one command timeout, then memory until it is retried', async () => {
    const store = createFailoverStore({
      redis,
      primary: createRedisStore({ redis, keyPrefix: 't:' }),
      fallback: createMemoryStore({ clock: Date.now }),
      logger,
      clock: Date.now,
    });
    await eventually(async () => redis.status === 'ready', 10_000, 'connection');
    server.pause();
    try {
      const timed = async () => {
        const started = Date.now();
        assert.equal((await store.consume('payments', 'cli_hung', limits, 'sliding')).allowed, true);
        return Date.now() - started;
      };
      assert.ok((await timed()) < 600, 'the first check waits at most the command timeout');
      assert.equal(store.isDegraded(), true);
      for (let i = 0; i < 5; i++) assert.ok((await timed()) < 20, 'later checks go straight to memory');
    } finally {
      server.resume();
    }
  });
});
