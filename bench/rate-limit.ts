// Rate-limiter benchmark (not a test): what one check costs, in memory and in Redis, and the
// API's req/s with and without the limiter, measured in one run.
//
//   node --import tsx bench/rate-limit.ts [--duration 10] [--connections 50] [--rounds 4]
//
// With REDIS_URL (or TEST_REDIS_URL) set, the Redis figures are measured too. Results go to
// stdout as markdown, ready for docs/PERFORMANCE.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { createPayrail } from '../src/app.ts';
import type { Client } from '../src/clients/service.ts';
import { parseConfig } from '../src/config.ts';
import { createMemoryStore } from '../src/rate-limits/memory-store.ts';
import type { RateLimitStore } from '../src/rate-limits/model.ts';
import { createRateLimitPreHandler } from '../src/rate-limits/pre-handler.ts';
import { createRedisStore } from '../src/rate-limits/redis-store.ts';
import { alternate, cannon as load } from './lib/cannon.ts';
import type { CannonResult } from './lib/cannon.ts';
import { timeEach } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' }, rounds: { type: 'string', default: '4' } },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const REDIS_URL = process.env.REDIS_URL || process.env.TEST_REDIS_URL;
const HIGH = 1_000_000_000;
const HIGH_LIMITS = { 'payment-enquiry': { hour: HIGH, minute: HIGH, second: HIGH } };

const us = (ns: number) => (ns / 1000).toFixed(2);

/** The real pre-handler over `store`, on a stand-in request and reply (no HTTP). */
function preHandlerCheck(store: RateLimitStore, subjects: number) {
  const rateLimit = createRateLimitPreHandler({ store, algorithm: 'sliding' });
  const limit = rateLimit('payment-enquiry');
  const clients = Array.from({ length: subjects }, (_, i) => ({ id: `cli_bench${i}`, unlimited: false, rateLimits: HIGH_LIMITS }) as unknown as Client);
  const reply = { headers: () => reply } as unknown as FastifyReply;
  return (i: number) => limit.call(undefined as never, { client: clients[i % subjects] } as unknown as FastifyRequest, reply);
}

async function benchMemoryCheck(): Promise<string> {
  const check = preHandlerCheck(createMemoryStore({ clock: Date.now }), 10_000);
  await timeEach(50_000, check); // warm-up: JIT, and 10,000 clients' counters in the map
  const t = await timeEach(300_000, check);
  return `| in memory, whole pre-handler (3 windows, 10,000 clients) | ${us(t.mean)} µs | ${us(t.p50)} µs | ${us(t.p99)} µs |`;
}

async function commandCalls(redis: Redis, command: string): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}

async function benchRedisCheck(url: string): Promise<string[]> {
  const redis = new Redis(url);
  const prefix = `payrail-bench:${randomBytes(4).toString('hex')}:`;
  try {
    const check = preHandlerCheck(createRedisStore({ redis, keyPrefix: prefix }), 1000);
    await timeEach(2000, check);
    const before = await commandCalls(redis, 'evalsha');
    const t = await timeEach(20_000, check);
    const perCheck = ((await commandCalls(redis, 'evalsha')) - before) / 20_000;
    const ping = await timeEach(20_000, () => redis.ping());
    return [
      `| Redis, whole pre-handler (3 windows; ${perCheck.toFixed(2)} EVALSHA per check) | ${us(t.mean)} µs | ${us(t.p50)} µs | ${us(t.p99)} µs |`,
      `| Redis PING from the same client (one bare round trip) | ${us(ping.mean)} µs | ${us(ping.p50)} µs | ${us(ping.p99)} µs |`,
    ];
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}

/** A listening payrail with two clients: one unlimited, one limited but with very high limits. */
async function startApi(redisUrl: string | undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-bench-'));
  const prefix = `payrail-bench:${randomBytes(4).toString('hex')}:`;
  const env: Record<string, string> = {
    PAYRAIL_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    PAYRAIL_PUBLIC_URL: 'http://payrail.bench',
    LOG_LEVEL: 'silent',
  };
  if (redisUrl) Object.assign(env, { REDIS_URL: redisUrl, PAYRAIL_RATE_LIMIT_KEY_PREFIX: prefix });
  const payrail = await createPayrail(parseConfig(env));
  const address = await payrail.listen();
  const token = async (unlimited: boolean) => {
    const { client } = await payrail.services.clients.create({ name: unlimited ? 'unlimited' : 'limited', unlimited });
    const limited = unlimited ? client : await payrail.services.clients.setRateLimits(client.id, { rateLimits: HIGH_LIMITS });
    await payrail.services.accounts.create(client.id, { name: 'Ops', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] });
    return payrail.services.tokens.issue(limited, limited.scopes);
  };
  const tokens = { without: await token(true), with: await token(false) };
  const stop = async () => {
    await payrail.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  };
  return { address, tokens, stop };
}

function cannon(address: string, token: string): Promise<CannonResult> {
  return load({ url: `${address}/v1/accounts`, connections: CONNECTIONS, duration: DURATION, headers: { authorization: `Bearer ${token}` } });
}

/**
 * Runs without and with the limiter in ABBA order (a machine warming up or slowing down hits
 * both alike) and averages them; a first pair warms the JIT and is not counted.
 */
async function benchApi(label: string, redisUrl: string | undefined): Promise<string[]> {
  const api = await startApi(redisUrl);
  try {
    const runs = await alternate({ without: () => cannon(api.address, api.tokens.without), with: () => cannon(api.address, api.tokens.with) }, ROUNDS);
    const mean = (k: 'without' | 'with', f: (x: CannonResult) => number) => runs[k].reduce((a, x) => a + f(x), 0) / runs[k].length;
    const line = (k: 'without' | 'with') =>
      `| ${label}, ${k} limiter | ${Math.round(mean(k, (x) => x.requests.average))} | ${mean(k, (x) => x.latency.p50).toFixed(1)} ms | ${mean(k, (x) => x.latency.p99).toFixed(1)} ms |`;
    const ratio = mean('with', (x) => x.requests.average) / mean('without', (x) => x.requests.average);
    return [line('without'), line('with'), `| ${label}: with / without | ${(ratio * 100).toFixed(1)} % | | |`];
  } finally {
    await api.stop();
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${DURATION} s x ${ROUNDS} rounds per case, ${CONNECTIONS} connections, Redis: ${REDIS_URL ?? 'not set'}\n`);
  console.log('| limiter check | mean | p50 | p99 |\n| --- | --- | --- | --- |');
  console.log(await benchMemoryCheck());
  if (REDIS_URL) for (const line of await benchRedisCheck(REDIS_URL)) console.log(line);
  console.log('\n| GET /v1/accounts (autocannon) | req/s | p50 | p99 |\n| --- | --- | --- | --- |');
  for (const line of await benchApi('memory store', undefined)) console.log(line);
  if (REDIS_URL) for (const line of await benchApi('Redis store', REDIS_URL)) console.log(line);
}

await main();
