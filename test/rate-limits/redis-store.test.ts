// The Redis store against a real Redis (TEST_REDIS_URL): the Lua script decides exactly as the
// TypeScript algorithms do, counts atomically, reads the clock from Redis, keys expire.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { decide, windowStart } from '../../src/rate-limits/algorithms.ts';
import type { Algorithm, Limit } from '../../src/rate-limits/model.ts';
import { windowMs } from '../../src/rate-limits/policies.ts';
import { createRedisStore, redisKey } from '../../src/rate-limits/redis-store.ts';
import { deleteKeys, redisUrl, sharedRedisSkip, uniquePrefix } from './redis-helpers.ts';

const at = (hhmm: string) => Date.parse(`2024-05-01T${hhmm}:00.000Z`);
const HOURLY_100: Limit[] = [{ window: 'hour', quota: 100 }];

describe('Redis store (TEST_REDIS_URL)', { skip: sharedRedisSkip() }, () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let now = 0;
  let subjectSeq = 0;
  const subject = () => `cli_test${++subjectSeq}`;

  before(async () => {
    redis = new Redis(redisUrl!);
  });
  after(async () => {
    redis?.disconnect();
    if (redisUrl) await deleteKeys(redisUrl, prefix);
  });

  /** A store whose script takes the test's clock instead of Redis TIME. */
  const clocked = () => createRedisStore({ redis, keyPrefix: prefix, testClock: () => now });

  async function seedHour(who: string, previous: number, current: number) {
    const key = redisKey(prefix, who, 'payments', HOURLY_100[0]!);
    await redis.hset(key, String(at('13:00')), previous, String(at('14:00')), current);
    return key;
  }

  for (const [algorithm, expected] of [
    [
      'sliding',
      [
        [80, true],
        [115, false],
        [95, true],
      ],
    ],
    [
      'fixed',
      [
        [20, true],
        [75, true],
        [75, true],
      ],
    ],
  ] as const) {
    it(`the seed example through the Lua script (${algorithm})`, async () => {
      const store = clocked();
      const results = [];
      for (const [time, current] of [
        ['14:15', 20],
        ['14:30', 75],
        ['14:45', 75],
      ] as const) {
        const who = subject();
        const key = await seedHour(who, 80, current);
        now = at(time);
        const d = await store.consume('payments', who, HOURLY_100, algorithm);
        results.push([d.windows[0]!.used, d.allowed]);
        // Refused requests consume nothing; allowed ones are counted once.
        assert.equal(Number(await redis.hget(key, String(at('14:00')))), current + (d.allowed ? 1 : 0));
      }
      assert.deepEqual(results, expected);
    });
  }

  it('the script and the TypeScript algorithms agree on random counts and times', async () => {
    const store = clocked();
    const arbitrary = fc.record({
      algorithm: fc.constantFrom<Algorithm>('fixed', 'sliding'),
      quotas: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 })),
      counts: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 4, maxLength: 4 }),
      offset: fc.integer({ min: 0, max: 59_999 }),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ algorithm, quotas, counts, offset }) => {
        const limits: Limit[] = [
          { window: 'minute', quota: quotas[0] },
          { window: 'second', quota: quotas[1] },
        ];
        now = at('14:00') + offset;
        const who = subject();
        const windowCounts = limits.map((l, i) => ({ previous: counts[2 * i]!, current: counts[2 * i + 1]! }));
        for (const [i, l] of limits.entries()) {
          const start = windowStart(now, windowMs(l));
          await redis.hset(
            redisKey(prefix, who, 'payments', l),
            String(start - windowMs(l)),
            windowCounts[i]!.previous,
            String(start),
            windowCounts[i]!.current,
          );
        }
        const fromScript = await store.consume('payments', who, limits, algorithm);
        const expected = decide(algorithm, 'payments', limits, algorithm === 'fixed' ? windowCounts.map((c) => ({ ...c, previous: 0 })) : windowCounts, now);
        assert.deepEqual(fromScript, expected);
      }),
      { numRuns: 150 },
    );
  });

  it('keys carry the subject as a Cluster hash tag and expire after the windows they serve', async () => {
    const store = createRedisStore({ redis, keyPrefix: prefix });
    const limits: Limit[] = [
      { window: 'minute', quota: 30 },
      { window: 'second', quota: 2 },
    ];
    await store.consume('payments', 'cli_tagged', limits, 'sliding');
    const minuteKey = `${prefix}{cli_tagged}:payments:minute`;
    assert.equal(minuteKey, redisKey(prefix, 'cli_tagged', 'payments', limits[0]!));
    const minuteTtl = await redis.pttl(minuteKey);
    const secondTtl = await redis.pttl(`${prefix}{cli_tagged}:payments:second`);
    assert.ok(minuteTtl > 60_000 && minuteTtl <= 120_000, `minute key ttl ${minuteTtl}`);
    assert.ok(secondTtl > 1000 && secondTtl <= 2000, `second key ttl ${secondTtl}`);
  });

  it('the clock is Redis TIME: the counted window is the one Redis is in', async () => {
    const store = createRedisStore({ redis, keyPrefix: prefix });
    const [seconds, micros] = await redis.time();
    const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    await store.consume('payments', 'cli_time', [{ window: 'hour', quota: 10 }], 'fixed');
    const fields = await redis.hkeys(`${prefix}{cli_time}:payments:hour`);
    assert.deepEqual(fields, [String(windowStart(redisNow, 3_600_000))]);
  });

  it('a Redis that lost its scripts (restart, SCRIPT FLUSH) still answers: EVALSHA falls back to EVAL', async () => {
    const store = createRedisStore({ redis, keyPrefix: prefix });
    await store.consume('payments', 'cli_flush', [{ window: 'second', quota: 5 }], 'sliding');
    await redis.script('FLUSH');
    assert.equal((await store.consume('payments', 'cli_flush', [{ window: 'hour', quota: 5 }], 'sliding')).allowed, true);
  });

  it('concurrent checks are atomic: a quota of 5 lets exactly 5 of 50 simultaneous checks through', async () => {
    const second = new Redis(redisUrl!);
    const stores = [createRedisStore({ redis, keyPrefix: prefix }), createRedisStore({ redis: second, keyPrefix: prefix })];
    try {
      const limits: Limit[] = [{ window: 'hour', quota: 5 }];
      const all = await Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % 2]!.consume('payments', 'cli_atomic', limits, 'sliding')));
      assert.equal(all.filter((d) => d.allowed).length, 5);
    } finally {
      second.disconnect();
    }
  });
});
