import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consumeCounters, counterKey, createBoundedCounters, createMemoryStore } from '../../src/rate-limits/memory-store.ts';
import type { Algorithm, Limit } from '../../src/rate-limits/model.ts';

const at = (hhmmss: string) => Date.parse(`2024-05-01T${hhmmss}.000Z`);
const HOURLY_100: Limit[] = [{ window: 'hour', quota: 100 }];

function seeded(algorithm: Algorithm, previous: number, current: number, now: number) {
  const counters = createBoundedCounters(1000);
  const hour = HOURLY_100[0]!;
  counters.add(counterKey('cli_a', 'payments', hour, at('13:00:00')), previous, at('15:00:00'), now);
  counters.add(counterKey('cli_a', 'payments', hour, at('14:00:00')), current, at('16:00:00'), now);
  return consumeCounters(counters, algorithm, 'payments', 'cli_a', HOURLY_100, now);
}

describe('memory store: the seed example through the counter store', () => {
  it('sliding: 80 allowed at 14:15, 115 refused at 14:30, 95 allowed at 14:45', () => {
    assert.deepEqual(
      [seeded('sliding', 80, 20, at('14:15:00')), seeded('sliding', 80, 75, at('14:30:00')), seeded('sliding', 80, 75, at('14:45:00'))].map((d) => [
        d.windows[0]!.used,
        d.allowed,
      ]),
      [
        [80, true],
        [115, false],
        [95, true],
      ],
    );
  });

  it('fixed: 20, 75, 75 all allowed', () => {
    assert.deepEqual(
      [seeded('fixed', 80, 20, at('14:15:00')), seeded('fixed', 80, 75, at('14:30:00')), seeded('fixed', 80, 75, at('14:45:00'))].map((d) => [
        d.windows[0]!.used,
        d.allowed,
      ]),
      [
        [20, true],
        [75, true],
        [75, true],
      ],
    );
  });
});

describe('memory store: checks with a clock', () => {
  function storeAt(start: number) {
    let now = start;
    const store = createMemoryStore({ clock: () => now });
    return { store, set: (t: number) => (now = t) };
  }
  const burst = async (store: ReturnType<typeof storeAt>['store'], algorithm: Algorithm, n: number) => {
    let allowed = 0;
    for (let i = 0; i < n; i++) if ((await store.consume('payments', 'cli_a', HOURLY_100, algorithm)).allowed) allowed++;
    return allowed;
  };

  it('fixed lets 200 through across an hour boundary within 30 s (the boundary burst); sliding does not', async () => {
    const fixed = storeAt(at('13:59:30'));
    assert.equal(await burst(fixed.store, 'fixed', 100), 100);
    fixed.set(at('14:00:00'));
    assert.equal(await burst(fixed.store, 'fixed', 100), 100);

    const sliding = storeAt(at('13:59:30'));
    assert.equal(await burst(sliding.store, 'sliding', 100), 100);
    sliding.set(at('14:00:00'));
    assert.equal(await burst(sliding.store, 'sliding', 100), 0);
  });

  it('per-second and per-minute windows together: each refuses on its own, refusals count nothing', async () => {
    const limits: Limit[] = [
      { window: 'minute', quota: 3 },
      { window: 'second', quota: 2 },
    ];
    for (const algorithm of ['fixed', 'sliding'] as Algorithm[]) {
      const { store, set } = storeAt(at('14:00:00'));
      const check = () => store.consume('payments', `cli_${algorithm}`, limits, algorithm);
      assert.equal((await check()).allowed, true);
      assert.equal((await check()).allowed, true);
      const perSecond = await check();
      assert.deepEqual(
        perSecond.windows.map((o) => o.allowed),
        [true, false],
        algorithm,
      );
      assert.equal(perSecond.windows[0]!.remaining, 1, 'the refused request consumed nothing');
      set(at('14:00:02'));
      assert.equal((await check()).allowed, true, algorithm);
      const perMinute = await check();
      assert.deepEqual(
        perMinute.windows.map((o) => o.allowed),
        [false, true],
        algorithm,
      );
      // Fixed: the minute starts afresh at 14:01:00. Sliding: at 14:01:00 the 3 still weigh fully;
      // at 14:01:20 they weigh 3 x 40/60 = 2, and one more fits.
      assert.equal(perMinute.retryAfterMs, algorithm === 'fixed' ? 58_000 : 78_000, algorithm);
    }
  });

  it('subjects and policies are counted apart', async () => {
    const { store } = storeAt(at('14:00:00'));
    const limits: Limit[] = [{ window: 'second', quota: 1 }];
    assert.equal((await store.consume('payments', 'cli_a', limits, 'fixed')).allowed, true);
    assert.equal((await store.consume('payments', 'cli_b', limits, 'fixed')).allowed, true);
    assert.equal((await store.consume('payment-enquiry', 'cli_a', limits, 'fixed')).allowed, true);
    assert.equal((await store.consume('payments', 'cli_a', limits, 'fixed')).allowed, false);
  });
});

describe('memory store: bounded', () => {
  it('expired windows are evicted', () => {
    const counters = createBoundedCounters(100);
    for (let i = 0; i < 50; i++) counters.add(`old${i}`, 1, 1000, 0);
    counters.add('new', 1, 100_000, 20_000);
    assert.equal(counters.size, 1);
    assert.equal(counters.get('old1', 20_000), 0);
    assert.equal(counters.get('new', 20_000), 1);
  });

  it('never holds more than its bound; the oldest live counters go first', () => {
    const counters = createBoundedCounters(100);
    for (let i = 0; i < 1000; i++) counters.add(`k${i}`, 1, 1_000_000, 0);
    assert.ok(counters.size <= 100, `size ${counters.size}`);
    assert.equal(counters.get('k999', 0), 1);
    assert.equal(counters.get('k0', 0), 0);
  });

  it('an expired counter reads as 0 and starts again', () => {
    const counters = createBoundedCounters(100);
    counters.add('k', 5, 1000, 0);
    assert.equal(counters.get('k', 999), 5);
    assert.equal(counters.get('k', 1000), 0);
    counters.add('k', 1, 3000, 1000);
    assert.equal(counters.get('k', 1000), 1);
  });
});
