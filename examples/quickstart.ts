// The README's walk-through in TypeScript, with @payrail/sdk: a sender account, a single FAST
// payment and a two-payment batch, each followed until the sandbox bank has settled it, then the
// client's payments listed page by page. The SDK gets the token, sends Idempotency-Keys, retries
// and pages; every failure is a PayrailError with the problem's code and field errors.
//
//   npx payrail clients create --name quickstart       # prints client_id and client_secret
//   PAYRAIL_CLIENT_ID=cli_01… PAYRAIL_CLIENT_SECRET=… node --import tsx examples/quickstart.ts
//
// PAYRAIL_URL (default http://127.0.0.1:8080); `--account intacct_01…` pays from an existing
// account instead of registering one (then the client needs no accounts:write).
// (Your code imports '@payrail/sdk'; these examples import the workspace's sources by path so that
// they run from any checkout of this repository.)
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Payrail, PayrailError } from '../sdk/src/index.ts';
import type { Payment, PaymentBatch } from '../sdk/src/index.ts';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.PAYRAIL_URL ?? 'http://127.0.0.1:8080' },
    account: { type: 'string' },
    'poll-ms': { type: 'string', default: '1000' },
  },
});
const clientId = process.env.PAYRAIL_CLIENT_ID;
const clientSecret = process.env.PAYRAIL_CLIENT_SECRET;
if (!clientId || !clientSecret) throw new Error('set PAYRAIL_CLIENT_ID and PAYRAIL_CLIENT_SECRET (npx payrail clients create --name quickstart)');

const payrail = new Payrail({ baseUrl: args.url!, clientId, clientSecret });
const pollMs = Number(args['poll-ms']);
const final = new Set(['COMPLETED', 'FAILED']);

/** Asks again until the payment or batch has left PROCESSING and SUBMITTED (about 6 s on the sandbox). */
async function settled<T extends Payment | PaymentBatch>(get: () => Promise<T>): Promise<T> {
  for (;;) {
    const current = await get();
    if (final.has(current.status)) return current;
    await sleep(pollMs);
  }
}

try {
  const senderAccountId =
    args.account ?? (await payrail.accounts.create({ name: 'Operating SGD', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] })).id;
  const ref = Date.now().toString(36).toUpperCase();

  const payment = await payrail.payments.create({
    type: 'FAST',
    amount: 20000, // S$200.00: amounts are integers in minor units
    currency: 'SGD',
    senderAccountId,
    customerReference: `QS-${ref}`,
    receiver: { name: 'Tan Ah Kow', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789' },
  });
  console.log(`payment ${payment.id} ${payment.status}`);
  console.log(`payment ${payment.id} ${(await settled(() => payrail.payments.get(payment.id))).status}`);
  const history = await payrail.payments.history(payment.id);
  console.log(`history ${history.map((h) => `${h.stage}:${h.status}`).join(' ')}`);

  const batch = await payrail.paymentBatches.create({
    type: 'FAST',
    paymentDate: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Singapore' }).format(new Date()),
    senderAccountId,
    currency: 'SGD',
    payments: [
      { amount: 150000, customerReference: `QS-${ref}-1`, receiver: { name: 'Siti Binte Ali', bank: 'UOVBSGSGXXX', bankAccountNumber: '987654321' } },
      // The sandbox fails this one at ACK2 (SPEC §8): the batch completes with one failure.
      { amount: 98000, customerReference: `QS-${ref}-2`, receiver: { name: 'Lim Bee Leng', bank: 'DBSSSGSGXXX', bankAccountNumber: '000000000' } },
    ],
  });
  const done = await settled(() => payrail.paymentBatches.get(batch.id));
  console.log(`batch ${batch.id} ${done.status} completed=${done.summary.completed} failed=${done.summary.failed}`);

  let count = 0;
  for await (const p of payrail.payments.list({ limit: 2 })) count += p.customerReference.startsWith(`QS-${ref}`) ? 1 : 0;
  console.log(`listed ${count} payments of this run`);
} catch (err) {
  if (!(err instanceof PayrailError)) throw err;
  console.error(`${err.status ?? '-'} ${err.code}: ${err.message}`);
  for (const e of err.errors) console.error(`  ${e.path}: ${e.code} ${e.message}`);
  process.exitCode = 1;
}
