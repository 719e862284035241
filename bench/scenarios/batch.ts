// Accept a 1,000-payment batch: POST /v1/payment-batches, one request after another (the answer
// is awaited before the next is sent), latency seen by the client; payrail runs in a process of
// its own (PAYRAIL_ROLE=api). Reference: better-sqlite3 inserting the same number of payments
// rows in one transaction on payrail's schema.
import { batchBody } from '../lib/fixtures.ts';
import { openRawSqlite } from '../lib/raw-sqlite.ts';
import type { Scenario } from '../lib/scenario.ts';
import { times } from '../lib/scenario.ts';
import { startPayrailProcess } from '../lib/server-process.ts';
import { median, ms, timeEach } from '../lib/stats.ts';

const PAYMENTS = 1000;
const TARGET_P50_MS = 25;

async function rawInsertTimes(batches: number, rounds: number): Promise<{ p50: number; p99: number }> {
  const raw = await openRawSqlite();
  try {
    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let r = -1; r < rounds; r++) {
      const prepared = Array.from({ length: batches }, () => Array.from({ length: PAYMENTS }, () => raw.newRow()));
      const t = await timeEach(batches, (i) => raw.insertMany(prepared[i]!));
      if (r < 0) continue; // warm-up
      p50s.push(t.p50 / 1e6);
      p99s.push(t.p99 / 1e6);
    }
    return { p50: median(p50s), p99: median(p99s) };
  } finally {
    raw.close();
  }
}

const scenario: Scenario = {
  name: 'batch',
  title: 'accept a 1,000-payment batch',
  async run({ quick, log }) {
    const perRound = quick ? 5 : 30;
    const rounds = quick ? 1 : 3;
    const server = await startPayrailProcess({ env: { PAYRAIL_ROLE: 'api' } });
    let peak: number | undefined;
    const p50s: number[] = [];
    const p99s: number[] = [];
    try {
      const url = `${server.address}/v1/payment-batches`;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.token}` };
      let n = 0;
      for (let r = -1; r < rounds; r++) {
        const bodies = Array.from({ length: perRound }, () => JSON.stringify(batchBody(server.accountId, `B${n++}`, PAYMENTS)));
        const t = await timeEach(perRound, async (i) => {
          const res = await fetch(url, { method: 'POST', headers, body: bodies[i] });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`POST /v1/payment-batches: ${res.status} ${text.slice(0, 300)}`);
        });
        if (r < 0) continue; // warm-up
        p50s.push(t.p50 / 1e6);
        p99s.push(t.p99 / 1e6);
        log(`round ${r + 1}: p50 ${ms(t.p50 / 1e6)}, p99 ${ms(t.p99 / 1e6)}`);
      }
      peak = await server.peakRssMb();
    } finally {
      await server.stop();
    }
    const raw = await rawInsertTimes(perRound, rounds);
    const p50 = median(p50s);
    return {
      rows: [
        {
          scenario: 'accept a 1,000-payment batch (POST /v1/payment-batches, sequential requests)',
          payrail: `p50 ${ms(p50)}, p99 ${ms(median(p99s))}`,
          reference: `raw insert of 1,000 payments rows in one transaction: p50 ${ms(raw.p50)}, p99 ${ms(raw.p99)}`,
          ratio: `${times(p50 / raw.p50)} the raw insert's time (p50)`,
          target: `p50 ≤ ${TARGET_P50_MS} ms`,
          met: p50 <= TARGET_P50_MS,
        },
      ],
      notes: [
        `batch: ${rounds} rounds of ${perRound} batches after ${perRound} warm-up batches, medians of each round's p50 and p99; each batch has 1,000 FAST payments with customer references; payrail in its own process (PAYRAIL_ROLE=api), peak RSS ${peak?.toFixed(0) ?? '?'} MB.`,
      ],
    };
  },
};

export default scenario;
