import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decide, fits, windowStart } from '../../src/rate-limits/algorithms.ts';
import { retryAfterSeconds } from '../../src/rate-limits/headers.ts';
import { WINDOW_NAMES } from '../../src/rate-limits/model.ts';
import type { Algorithm, Limit, WindowCounts } from '../../src/rate-limits/model.ts';
import { windowMs } from '../../src/rate-limits/policies.ts';

/** A UTC time on the seed example's day, e.g. at('14:15'). */
const at = (hhmm: string) => Date.parse(`2024-05-01T${hhmm}:00.000Z`);
const HOURLY_100: Limit[] = [{ window: 'hour', quota: 100 }];

describe("the seed's example: 100 per hour, 80 requests in 13:00-14:00", () => {
  const seed = (current: number): WindowCounts[] => [{ previous: 80, current }];

  it('sliding, 14:15 with 20 in the current window: 80 x 0.75 + 20 = 80, allowed', () => {
    const d = decide('sliding', 'payments', HOURLY_100, seed(20), at('14:15'));
    assert.equal(d.windows[0]!.used, 80);
    assert.equal(d.allowed, true);
    assert.equal(d.windows[0]!.remaining, 19);
  });

  it('sliding, 14:30 with 75: 80 x 0.5 + 75 = 115, refused; passes again at 14:42 (Retry-After 720)', () => {
    const d = decide('sliding', 'payments', HOURLY_100, seed(75), at('14:30'));
    assert.equal(d.windows[0]!.used, 115);
    assert.equal(d.allowed, false);
    assert.equal(d.windows[0]!.remaining, 0);
    // 80 x (18/60) + 75 = 99 at 14:42: the earliest time one more request fits.
    assert.equal(d.retryAfterMs, 12 * 60 * 1000);
    assert.equal(retryAfterSeconds(d), 720);
    assert.equal(decide('sliding', 'payments', HOURLY_100, seed(75), at('14:42')).allowed, true);
    assert.equal(decide('sliding', 'payments', HOURLY_100, seed(75), at('14:42') - 1).allowed, false);
  });

  it('sliding, 14:45 with 75: 80 x 0.25 + 75 = 95, allowed again', () => {
    const d = decide('sliding', 'payments', HOURLY_100, seed(75), at('14:45'));
    assert.equal(d.windows[0]!.used, 95);
    assert.equal(d.allowed, true);
    assert.equal(d.windows[0]!.remaining, 4);
  });

  it('fixed ignores the previous window: 20, 75 and 75 are all allowed (the boundary burst)', () => {
    for (const [time, current] of [
      ['14:15', 20],
      ['14:30', 75],
      ['14:45', 75],
    ] as const) {
      const d = decide('fixed', 'payments', HOURLY_100, seed(current), at(time));
      assert.equal(d.windows[0]!.used, current);
      assert.equal(d.allowed, true, `fixed at ${time}`);
    }
  });

  it('fixed refuses only at the quota, and the retry is the start of the next window', () => {
    const d = decide('fixed', 'payments', HOURLY_100, [{ previous: 0, current: 100 }], at('14:30'));
    assert.equal(d.allowed, false);
    assert.equal(d.retryAfterMs, 30 * 60 * 1000);
  });
});

describe('windows', () => {
  it('a window is floored to the clock: 12:00:03 in a 60 s window counts in the 12:00:00 one', () => {
    assert.equal(windowStart(Date.parse('2024-05-01T12:00:03Z'), 60_000), Date.parse('2024-05-01T12:00:00Z'));
  });

  it('refusal by any window refuses the request; remaining and retry come from each window', () => {
    const limits: Limit[] = [
      { window: 'minute', quota: 30 },
      { window: 'second', quota: 2 },
    ];
    const d = decide(
      'fixed',
      'payments',
      limits,
      [
        { previous: 0, current: 5 },
        { previous: 0, current: 2 },
      ],
      at('14:00') + 10_250,
    );
    assert.equal(d.allowed, false);
    assert.deepEqual(
      d.windows.map((o) => [o.allowed, o.remaining]),
      [
        [true, 25],
        [false, 0],
      ],
    );
    assert.equal(d.retryAfterMs, 750);
    assert.equal(retryAfterSeconds(d), 1);
  });
});

/** The counts of a window seen at `later`, when nothing was counted since `now`. */
function countsLater(counts: WindowCounts, w: number, now: number, later: number): WindowCounts {
  const shift = (windowStart(later, w) - windowStart(now, w)) / w;
  if (shift === 0) return counts;
  if (shift === 1) return { previous: counts.current, current: 0 };
  return { previous: 0, current: 0 };
}

describe('Retry-After is the earliest time a request passes', () => {
  for (const algorithm of ['fixed', 'sliding'] as Algorithm[]) {
    it(`${algorithm}: refused 1 ms before the retry time, allowed at it`, () => {
      const arbitrary = fc.record({
        quota: fc.integer({ min: 1, max: 120 }),
        window: fc.constantFrom(...WINDOW_NAMES),
        previous: fc.integer({ min: 0, max: 300 }),
        current: fc.integer({ min: 0, max: 300 }),
        offset: fc.double({ min: 0, max: 0.9999, noNaN: true }),
      });
      fc.assert(
        fc.property(arbitrary, ({ quota, window, previous, current, offset }) => {
          const w = windowMs({ window, quota });
          const now = at('14:00') + Math.floor(offset * w);
          const counts = { previous, current };
          if (fits(algorithm, quota, w, counts, now)) return;
          const { retryAfterMs } = decide(algorithm, 'payments', [{ window, quota }], [counts], now);
          assert.ok(retryAfterMs > 0);
          const before = now + retryAfterMs - 1;
          const after = now + retryAfterMs;
          assert.equal(fits(algorithm, quota, w, countsLater(counts, w, now, before), before), false);
          assert.equal(fits(algorithm, quota, w, countsLater(counts, w, now, after), after), true);
        }),
        { numRuns: 2000 },
      );
    });
  }
});
