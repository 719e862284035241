// One end-to-end round: a payrail with every worker running (dispatcher, sandbox bank on local
// folders, acknowledgement reader, webhook delivery) in a process of its own, a webhook receiver
// here, and N batches of 1,000 payments posted one after another. Two instants are taken: when
// every batch is COMPLETED (read from the database, outside the server's process), and when the
// receiver has every event: one `payment-batches.submitted` per batch and one
// `payments.succeeded`/`payments.failed` per payment. The round's figure is the later one.
import { batchBody } from './fixtures.ts';
import { watchBatches, whenCompleted } from './progress.ts';
import { startReceiver } from './receiver.ts';
import { startPayrailProcess } from './server-process.ts';
import type { PayrailProcess } from './server-process.ts';

export const PAYMENTS_PER_BATCH = 1000;
/** The sandbox bank's delay per stage: small, so the bank is not what is measured. */
export const ACK_DELAY_MS = 20;

export interface EndToEndRound {
  payments: number;
  /** From the first POST to the last webhook received. */
  seconds: number;
  paymentsPerSecond: number;
  /** From the first POST to the last batch COMPLETED. */
  completedSeconds: number;
  /** How long posting the batches took (the API's share). */
  postSeconds: number;
  peakRssMb: number | undefined;
  events: Record<string, number>;
  completedBatches: number;
}

/**
 * Test-mode outcomes (SPEC §8) mixed in: per 100 payments one fails at ACK2, one at ACK3 and one
 * is accepted with changes (ACWC: next business day and a charge); the rest settle.
 */
function receiverAccount(i: number): string | undefined {
  return ({ 10: '000000000', 20: '000000001', 30: '000000003' } as Record<number, string>)[i % 100];
}

/** True if `promise` settles within `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
}

async function postBatches(server: PayrailProcess, tag: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.token}` };
  for (let b = 0; b < count; b++) {
    const body = JSON.stringify(batchBody(server.accountId, `${tag}${b}`, PAYMENTS_PER_BATCH, receiverAccount));
    const res = await fetch(`${server.address}/v1/payment-batches`, { method: 'POST', headers, body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST /v1/payment-batches: ${res.status} ${text.slice(0, 300)}`);
    ids.push((JSON.parse(text) as { id: string }).id);
  }
  return ids;
}

async function completedCount(server: PayrailProcess, ids: string[]): Promise<number> {
  const res = await fetch(`${server.address}/v1/payment-batches?limit=100`, { headers: { authorization: `Bearer ${server.token}` } });
  const list = (await res.json()) as { data: { id: string; status: string }[] };
  const wanted = new Set(ids);
  return list.data.filter((b) => wanted.has(b.id) && b.status === 'COMPLETED').length;
}

export async function endToEndRound({ batches, databaseUrl, timeoutMs }: { batches: number; databaseUrl?: string; timeoutMs: number }): Promise<EndToEndRound> {
  const receiver = await startReceiver();
  const env: Record<string, string> = { PAYRAIL_SANDBOX_ACK_DELAY_MS: String(ACK_DELAY_MS), PAYRAIL_WEBHOOK_RETRY_BASE_MS: '1000' };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const server = await startPayrailProcess({ env, workers: true, webhookUrl: receiver.url });
  const watch = await watchBatches(server.databaseUrl);
  const stopWatching = new AbortController();
  try {
    const eventsPerBatch = PAYMENTS_PER_BATCH + 1;
    // Warm-up: two batches all the way through (JIT, caches, first files and connections).
    await postBatches(server, 'WARM', 2);
    if (!(await within(receiver.until(2 * eventsPerBatch), 60_000))) throw new Error('the two warm-up batches did not get through in 60 s');
    const start = performance.now();
    const completed = whenCompleted(watch, 2 + batches, stopWatching.signal).catch(() => NaN);
    const ids = await postBatches(server, 'E2E', batches);
    const postSeconds = (performance.now() - start) / 1000;
    const expected = (2 + batches) * eventsPerBatch;
    const timedOut = !(await within(receiver.until(expected), timeoutMs));
    const end = timedOut ? performance.now() : receiver.lastAt();
    const delivered = receiver.total() - 2 * eventsPerBatch;
    // Payments final and delivered: events about payments, not about batches.
    const payments = timedOut ? Math.max(0, delivered - batches) : batches * PAYMENTS_PER_BATCH;
    const seconds = (end - start) / 1000;
    if (timedOut) stopWatching.abort();
    const completedSeconds = ((await completed) - start) / 1000;
    return {
      payments,
      seconds,
      paymentsPerSecond: payments / seconds,
      completedSeconds,
      postSeconds,
      peakRssMb: await server.peakRssMb(),
      events: Object.fromEntries(receiver.counts),
      completedBatches: await completedCount(server, ids),
    };
  } finally {
    stopWatching.abort();
    await watch.close();
    await server.stop();
    await receiver.close();
  }
}
