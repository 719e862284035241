// A worker loop that gathers work (gatherMs) still ticks under a steady stream of wake-ups: each
// wake-up used to re-arm its timer for another gatherMs, so traffic faster than that starved it
// (review of the merge of the wake-up and the multi-row single-payment passes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createLoop } from '../../src/workers/loop.ts';
import { createWakeup } from '../../src/workers/wake.ts';

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
