// Single payments end to end (issue 21): 3,000 single FAST payments (POST /v1/payments) from 20
// concurrent connections, measured twice in one run:
//  - reference: a payrail with PAYRAIL_ROLE=api (no worker in the process): how fast it accepts;
//  - payrail as `npm start` runs it (every role in one process, webhooks in their child process):
//    how fast it accepts while its workers submit, poll, apply and deliver, and how fast the
//    payments get through: every one COMPLETED (read from the database by this process) and its
//    `payments.succeeded` received by a local webhook receiver.
// Both ratios are printed: accepted on the default role / accepted on the API role (target ≥ 0.5),
// and payments per second to the last webhook (target ≥ 2,000/s on SQLite). Times run from the
// first request sent (bench/lib/fixed-count.ts, not autocannon: see there) to the last answer, the
// last COMPLETED and the last webhook; each server first takes as many warm-up payments.
import SQLite from 'better-sqlite3';
import { fixedCount } from '../lib/fixed-count.ts';
import { paymentBody } from '../lib/fixtures.ts';
import { startReceiver } from '../lib/receiver.ts';
import type { Receiver } from '../lib/receiver.ts';
import type { Scenario } from '../lib/scenario.ts';
import { times } from '../lib/scenario.ts';
import { startPayrailProcess } from '../lib/server-process.ts';
import type { PayrailProcess } from '../lib/server-process.ts';
import { perSecond } from '../lib/stats.ts';

const CONNECTIONS = 20;
const ACCEPT_TARGET = 0.5;
const END_TO_END_TARGET = 2000;
/** The sandbox bank's delay per stage: small, so the bank is not what is measured. */
const ACK_DELAY_MS = 20;

/**
 * Posts `count` payments from CONNECTIONS connections: payments accepted per second, from the
 * first request sent to the last answer (bench/lib/fixed-count.ts), and when it started (epoch ms).
 */
async function post(server: PayrailProcess, count: number): Promise<{ rate: number; seconds: number; startedAt: number }> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.token}` };
  const r = await fixedCount({
    url: `${server.address}/v1/payments`,
    method: 'POST',
    headers,
    body: JSON.stringify(paymentBody(server.accountId)),
    connections: CONNECTIONS,
    count,
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`POST /v1/payments: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rate: r.rate, seconds: r.seconds, startedAt: r.firstSentAt };
}

/** Epoch ms of a performance.now() of this thread. */
const epochOf = (now: number) => performance.timeOrigin + now;

/** True if `promise` settles within `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
}

/** Epoch ms once `n` single payments are final, read beside the server (WAL), or NaN if stopped first. */
async function whenFinal(databaseUrl: string, n: number, stop: AbortSignal): Promise<number> {
  const db = new SQLite(databaseUrl.slice('sqlite:'.length), { readonly: true });
  try {
    const count = db.prepare("select count(*) as n from payments where batch_id is null and status in ('COMPLETED', 'FAILED')");
    while (!stop.aborted) {
      if (Number((count.get() as { n: number }).n) >= n) return epochOf(performance.now());
      await new Promise((r) => setTimeout(r, 50));
    }
    return NaN;
  } finally {
    db.close();
  }
}

async function acceptedOnApiRole(count: number, warmUp: number): Promise<number> {
  const server = await startPayrailProcess({ env: { PAYRAIL_ROLE: 'api' } });
  try {
    await post(server, warmUp);
    return (await post(server, count)).rate;
  } finally {
    await server.stop();
  }
}

interface DefaultRole {
  accepted: number;
  postSeconds: number;
  completedSeconds: number;
  webhookSeconds: number;
  delivered: number;
  /** Webhooks received by the time the last POST was answered. */
  deliveredWhilePosting: number;
}

async function onDefaultRole(count: number, warmUp: number, timeoutMs: number): Promise<DefaultRole> {
  const receiver: Receiver = await startReceiver();
  const env = { PAYRAIL_SANDBOX_ACK_DELAY_MS: String(ACK_DELAY_MS), PAYRAIL_WEBHOOK_RETRY_BASE_MS: '1000' };
  const server = await startPayrailProcess({ env, workers: true, webhookUrl: receiver.url });
  const stop = new AbortController();
  try {
    await post(server, warmUp);
    if (!(await within(receiver.until(warmUp), 60_000))) throw new Error(`the ${warmUp} warm-up payments did not get through in 60 s`);
    const completed = whenFinal(server.databaseUrl, warmUp + count, stop.signal);
    const { rate, seconds, startedAt: start } = await post(server, count);
    const deliveredWhilePosting = receiver.total() - warmUp;
    const timedOut = !(await within(receiver.until(warmUp + count), timeoutMs));
    const end = epochOf(timedOut ? performance.now() : receiver.lastAt());
    if (timedOut) stop.abort();
    return {
      accepted: rate,
      postSeconds: seconds,
      completedSeconds: ((await completed) - start) / 1000,
      webhookSeconds: (end - start) / 1000,
      delivered: receiver.total() - warmUp,
      deliveredWhilePosting,
    };
  } finally {
    stop.abort();
    await server.stop();
    await receiver.close();
  }
}

const scenario: Scenario = {
  name: 'singles',
  title: 'single payments end to end',
  async run({ quick, log }) {
    const count = quick ? 600 : 3000;
    // As many warm-up payments as measured ones, on each server: V8 compiles the request path's
    // code with its optimising compiler only after thousands of calls; after 300 the API role
    // accepted 1,710/s, after 3,000 2,432/s (same code, issue 21). A server in service is warm.
    const warmUp = quick ? 100 : count;
    const api = await acceptedOnApiRole(count, warmUp);
    log(`PAYRAIL_ROLE=api: ${perSecond(api)} payments accepted/s`);
    const all = await onDefaultRole(count, warmUp, quick ? 60_000 : 120_000);
    const endToEnd = all.delivered / all.webhookSeconds;
    log(
      `default role: ${perSecond(all.accepted)} accepted/s (posting ${all.postSeconds.toFixed(1)} s), all final at ${all.completedSeconds.toFixed(1)} s, last webhook at ${all.webhookSeconds.toFixed(1)} s (${all.delivered}/${count} delivered, ${all.deliveredWhilePosting} while posting): ${perSecond(endToEnd)} payments/s`,
    );
    const acceptRatio = all.accepted / api;
    return {
      rows: [
        {
          scenario: `single payments accepted while every worker runs (${count} POST /v1/payments, ${CONNECTIONS} connections, default role)`,
          payrail: `${perSecond(all.accepted)} payments/s`,
          reference: `PAYRAIL_ROLE=api: ${perSecond(api)} payments/s`,
          ratio: times(acceptRatio),
          target: `≥ ${ACCEPT_TARGET}× PAYRAIL_ROLE=api`,
          met: acceptRatio >= ACCEPT_TARGET,
        },
        {
          scenario: `single payments end to end on SQLite (${count} FAST, sandbox ACK1–3, to COMPLETED and the last webhook)`,
          payrail: `${perSecond(endToEnd)} payments/s to the last webhook; ${perSecond(count / all.completedSeconds)} payments/s to the last COMPLETED`,
          reference: '—',
          ratio: `${times(endToEnd / END_TO_END_TARGET)} the target`,
          target: `≥ ${perSecond(END_TO_END_TARGET)}/s`,
          met: endToEnd >= END_TO_END_TARGET && all.delivered >= count,
        },
      ],
      notes: [
        `singles: ${count} single FAST payments (all settle) from ${CONNECTIONS} keep-alive connections (undici, in a worker thread), ${warmUp} warm-up payments first on each server (on the default role: until their webhooks arrived); PAYRAIL_SANDBOX_ACK_DELAY_MS=${ACK_DELAY_MS}; one webhook endpoint (node:http on 127.0.0.1 answering 204); timed from the first POST sent to its last answer (acceptance), to the last COMPLETED (read from the database by another process) and to the last webhook received. Default role: posting ${all.postSeconds.toFixed(1)} s, all COMPLETED at ${all.completedSeconds.toFixed(1)} s, last webhook at ${all.webhookSeconds.toFixed(1)} s, ${all.delivered}/${count} delivered (${all.deliveredWhilePosting} by the last POST's answer).`,
      ],
      figures: { apiAccepted: api, accepted: all.accepted, paymentsPerSecond: endToEnd },
    };
  },
};

export default scenario;
