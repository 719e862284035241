// A worker loop that gathers work (gatherMs) still ticks under a steady stream of wake-ups: each
// wake-up used to re-arm its timer for another gatherMs, so traffic faster than that starved it
// (review of the merge of the wake-up and the multi-row single-payment passes). Wake-ups about test-mode
// single payments reach only the loops that hear them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createLoop } from '../../src/workers/loop.ts';
import { createWakeup, notTestSinglePayments } from '../../src/workers/wake.ts';

describe('worker loop: wake-ups in a row', () => {
  it('a gathering loop woken every 10 ms still ticks within its gathering time', async () => {
    const wakeup = createWakeup();
    let ticks = 0;
    const loop = createLoop(
      'gathering',
      async () => {
        ticks++;
        return 0;
      },
      { idleMs: 60_000, logger: pino({ level: 'silent' }), wakeup, gatherMs: 50 },
    );
    loop.start();
    await new Promise((r) => setTimeout(r, 20)); // the first tick, then an idle wait of a minute
    const before = ticks;
    const waker = setInterval(() => wakeup.wake(), 10);
    await new Promise((r) => setTimeout(r, 400));
    clearInterval(waker);
    await loop.stop();
    assert.ok(ticks - before >= 3, `woken every 10 ms for 400 ms, it ticked ${ticks - before} times (at least one per 50 ms gathering expected)`);
  });
});

describe('worker loop: wake-ups about single payments', () => {
  it('reach the loops that hear them, not the batch and bank-file loops; a wake-up about anything reaches all', async () => {
    const wakeup = createWakeup();
    const ticks = { all: 0, batches: 0 };
    const loopOf = (name: keyof typeof ticks, hears?: typeof notTestSinglePayments) =>
      createLoop(
        name,
        async () => {
          ticks[name]++;
          return 0;
        },
        { idleMs: 60_000, logger: pino({ level: 'silent' }), wakeup, hears },
      );
    const loops = [loopOf('all'), loopOf('batches', notTestSinglePayments)];
    loops.forEach((l) => l.start());
    try {
      await new Promise((r) => setTimeout(r, 20)); // the first ticks, then an idle wait of a minute
      assert.deepEqual(ticks, { all: 1, batches: 1 });
      wakeup.wake('test-single-payment');
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(ticks, { all: 2, batches: 1 });
      wakeup.wake();
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(ticks, { all: 3, batches: 2 });
    } finally {
      // Stopped whatever failed: a loop left running would hold the test file open.
      await Promise.all(loops.map((l) => l.stop()));
    }
  });
});
