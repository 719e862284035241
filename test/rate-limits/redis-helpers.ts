// Redis for the rate-limit tests. The shared Redis comes from TEST_REDIS_URL (CI sets it): unset
// on a laptop, those tests are skipped with a printed notice; unset in CI, the run fails. Each
// test run uses its own key prefix so runs never see each other's counters. Tests that stop
// Redis start their own `redis-server` on a free port (skipped when it is not installed, except
// in CI, where that fails).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

export const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl && process.env.CI) throw new Error('TEST_REDIS_URL must be set in CI (e.g. redis://127.0.0.1:6379)');
let noticePrinted = false;

/** `skip` option for suites that need the shared Redis. */
export function sharedRedisSkip(): string | false {
  if (redisUrl) return false;
  if (!noticePrinted) console.log('# notice: TEST_REDIS_URL is unset: Redis rate-limit tests are skipped (CI runs them)');
  noticePrinted = true;
  return 'TEST_REDIS_URL is unset (Redis tests run in CI)';
}

/** A key prefix no other test run uses. */
export function uniquePrefix(): string {
  return `payrail-test:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under `prefix` (they would expire anyway; this keeps a shared Redis tidy). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export const redisServerPath = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'redis-server'))
  .find((p) => existsSync(p));

/** `skip` option for suites that run their own redis-server; in CI a missing one is a failure. */
export function ownRedisSkip(): string | false {
  if (redisServerPath) return false;
  if (process.env.CI) throw new Error('redis-server is not on PATH: CI must install it (the Redis fail-over tests start their own)');
  console.log('# notice: redis-server is not installed: the Redis fail-over tests are skipped');
  return 'redis-server is not installed';
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A throwaway redis-server (no persistence) that the test can stop and start again. */
export interface OwnRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that accepts connections but never answers. */
  pause(): void;
  resume(): void;
}

export function ownRedis(port: number): OwnRedis {
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    async start() {
      child = spawn(redisServerPath!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Ready to accept connections')) resolve();
        });
        child!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
      });
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await exited;
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
}

/** Polls `check` until it returns true (or fails after `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
