// End to end on SQLite: 100 batches × 1,000 payments → pain.001 → sandbox ACK1–3 → COMPLETED,
// every event delivered to a local webhook receiver. payments/s and the server's peak RSS.
import { ACK_DELAY_MS, endToEndRound } from '../lib/end-to-end.ts';
import type { EndToEndRound } from '../lib/end-to-end.ts';
import type { Row, Scenario, ScenarioContext } from '../lib/scenario.ts';
import { median, perSecond } from '../lib/stats.ts';

const TARGET_RATE = 5000;
const TARGET_RSS_MB = 300;

export interface EndToEndSeries {
  rounds: EndToEndRound[];
  /** Payments per second up to the last webhook received (median of the rounds). */
  rate: number;
  /** Payments per second up to the last batch COMPLETED (median of the rounds). */
  completedRate: number;
  peakRssMb: number;
  batches: number;
}

/** `rounds` rounds, each on a fresh payrail and database; medians, and the highest peak RSS. */
export async function endToEndSeries(
  { quick, log }: ScenarioContext,
  label: string,
  databaseUrl: () => Promise<{ url?: string; drop(): Promise<void> }>,
  rounds: number,
): Promise<EndToEndSeries> {
  const batches = quick ? 10 : 100;
  const results: EndToEndRound[] = [];
  for (let r = 0; r < rounds; r++) {
    const database = await databaseUrl();
    try {
      const round = await endToEndRound({ batches, databaseUrl: database.url, timeoutMs: quick ? 60_000 : 180_000 });
      results.push(round);
      log(
        `${label} round ${r + 1}: ${perSecond(round.paymentsPerSecond)} payments/s (posting ${round.postSeconds.toFixed(1)} s, all COMPLETED at ${round.completedSeconds.toFixed(1)} s, last webhook at ${round.seconds.toFixed(1)} s), peak RSS ${round.peakRssMb?.toFixed(0)} MB, ${round.completedBatches}/${batches} batches COMPLETED`,
      );
    } finally {
      await database.drop();
    }
  }
  return {
    rounds: results,
    rate: median(results.map((x) => x.paymentsPerSecond)),
    completedRate: median(results.map((x) => x.payments / x.completedSeconds)),
    peakRssMb: Math.max(...results.map((x) => x.peakRssMb ?? NaN)),
    batches,
  };
}

export function seriesNotes(name: string, s: EndToEndSeries): string[] {
  const incomplete = s.rounds.filter((r) => r.completedBatches < s.batches || r.payments < s.batches * 1000);
  return [
    `${name}: ${s.rounds.length} rounds of ${s.batches} batches × 1,000 FAST payments (per 100: 97 settle, 1 fails at ACK2, 1 at ACK3, 1 ACWC), each on a fresh server and database after 2 warm-up batches; PAYRAIL_SANDBOX_ACK_DELAY_MS=${ACK_DELAY_MS} (the sandbox bank answers each stage after ${ACK_DELAY_MS} ms, so the bank is not the bottleneck); batches posted one after another; one webhook endpoint (node:http on 127.0.0.1 answering 204); timed from the first POST to the last webhook received, and to the last batch COMPLETED (read from the database by another process). Rounds (webhooks / COMPLETED / posting): ${s.rounds.map((r) => `${r.seconds.toFixed(1)} s / ${r.completedSeconds.toFixed(1)} s / ${r.postSeconds.toFixed(1)} s`).join(', ')}; events received in the last round: ${JSON.stringify(s.rounds.at(-1)?.events ?? {})}.`,
    ...(incomplete.length > 0 ? [`${name}: ${incomplete.length} round(s) did not finish in time; their rate counts the payments delivered by then.`] : []),
  ];
}

export function rssRow(label: string, peakRssMb: number): Row {
  return {
    scenario: `${label}: peak RSS of the payrail process`,
    payrail: `${peakRssMb.toFixed(0)} MB`,
    reference: '—',
    ratio: '—',
    target: `≤ ${TARGET_RSS_MB} MB`,
    met: peakRssMb <= TARGET_RSS_MB,
  };
}

const scenario: Scenario = {
  name: 'end-to-end',
  title: 'end to end on SQLite',
  async run(ctx) {
    const s = await endToEndSeries(ctx, 'SQLite', async () => ({ drop: async () => {} }), ctx.quick ? 1 : 2);
    return {
      rows: [
        {
          scenario: `end to end on SQLite: ${s.batches} batches × 1,000 payments → sandbox ACK1–3 → COMPLETED, webhooks delivered`,
          payrail: `${perSecond(s.rate)} payments/s to the last webhook; ${perSecond(s.completedRate)} payments/s to the last batch COMPLETED`,
          reference: '—',
          ratio: '—',
          target: `≥ ${perSecond(TARGET_RATE)}/s`,
          met: s.rate >= TARGET_RATE,
        },
        rssRow('end to end on SQLite', s.peakRssMb),
      ],
      notes: seriesNotes('end-to-end', s),
      figures: { paymentsPerSecond: s.rate },
    };
  },
};

export default scenario;
