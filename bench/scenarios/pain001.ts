// Write pain.001 for 100,000 payments: payrail's writer against the `sepa` package (v3) writing
// pain.001.001.09 for the same payments, ABBA order. Both start from plain objects already in
// memory and end with the whole document as one string; both validate what they write.
// sepa only knows IBANs: each receiver's account becomes a (valid) German IBAN and BIC for it.
import { readFileSync } from 'node:fs';
import SEPA from 'sepa';
import { writePain001 } from '../../src/bank-files/pain001/writer.ts';
import type { Pain001Batch, Pain001Payment } from '../../src/bank-files/pain001/writer.ts';
import { alternate } from '../lib/cannon.ts';
import { SENDER_ACCOUNT, paymentDate, pain001Payments } from '../lib/fixtures.ts';
import type { Scenario } from '../lib/scenario.ts';
import { times } from '../lib/scenario.ts';
import { median, perSecond, timeOnce } from '../lib/stats.ts';

const TARGET_RATIO = 10;
const SEPA_VERSION = (JSON.parse(readFileSync(new URL('../../node_modules/sepa/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const TARGET_RATE = 200_000;

function batchOf(payments: Pain001Payment[]): Pain001Batch {
  return {
    messageId: 'PYMTB01JC9Z0000000000000000000-1',
    createdAt: '2026-03-10T09:00:00Z',
    initiatingPartyName: 'Bench Payroll Pte Ltd',
    batchId: 'pymtb_01JC9Z0000000000000000000',
    rail: 'FAST',
    paymentDate: paymentDate(),
    debtor: { name: SENDER_ACCOUNT.name, accountNumber: SENDER_ACCOUNT.accountNumber, bank: SENDER_ACCOUNT.bank, currency: 'SGD' },
    payments,
  };
}

/** The same payments for sepa: amounts in major units, accounts as IBAN + BIC. */
function sepaPayments(payments: Pain001Payment[]) {
  return payments.map((p) => ({
    id: p.paymentId,
    end2endId: p.customerReference,
    amount: p.amount / 100,
    name: p.receiver.name,
    iban: SEPA.checksumIBAN(`DE0037040044${(p.receiver.bankAccountNumber ?? '').padStart(10, '0')}`),
    remittanceInfo: p.paymentDetails ?? '',
  }));
}

function writeWithSepa(batch: Pain001Batch, payments: ReturnType<typeof sepaPayments>): string {
  const doc = new SEPA.Document('pain.001.001.09');
  doc.grpHdr.id = batch.messageId;
  doc.grpHdr.created = new Date(batch.createdAt);
  doc.grpHdr.initiatorName = batch.initiatingPartyName;
  const info = doc.createPaymentInfo();
  info.id = batch.batchId;
  info.requestedExecutionDate = new Date(batch.paymentDate);
  info.debtorIBAN = 'DE87123456781234567890';
  info.debtorBIC = 'COBADEFFXXX';
  info.debtorName = batch.debtor.name;
  doc.addPaymentInfo(info);
  for (const p of payments) {
    const tx = info.createTransaction();
    tx.id = p.id;
    tx.end2endId = p.end2endId;
    tx.amount = p.amount;
    tx.currency = 'SGD';
    tx.creditorName = p.name;
    tx.creditorIBAN = p.iban;
    tx.creditorBIC = 'COBADEFFXXX';
    tx.remittanceInfo = p.remittanceInfo;
    info.addTransaction(tx);
  }
  return doc.toString();
}

const scenario: Scenario = {
  name: 'pain001',
  title: 'write pain.001 for 100,000 payments',
  async run({ quick, log }) {
    const count = quick ? 10_000 : 100_000;
    const rounds = quick ? 1 : 3;
    const batch = batchOf(pain001Payments(count));
    const forSepa = sepaPayments(batch.payments);
    let sizes = { payrail: 0, sepa: 0 };
    const runs = await alternate(
      {
        payrail: async () => timeOnce(() => (sizes.payrail = writePain001(batch).length)),
        sepa: async () => timeOnce(() => (sizes.sepa = writeWithSepa(batch, forSepa).length)),
      },
      rounds,
    );
    const payrailRate = count / (median(runs.payrail) / 1000);
    const sepaRate = count / (median(runs.sepa) / 1000);
    log(`payrail ${perSecond(payrailRate)} tx/s, sepa ${perSecond(sepaRate)} tx/s`);
    const ratio = payrailRate / sepaRate;
    sizes = { payrail: Math.round(sizes.payrail / 1e6), sepa: Math.round(sizes.sepa / 1e6) };
    return {
      rows: [
        {
          scenario: `write pain.001 for ${count.toLocaleString('en-US')} payments`,
          payrail: `${perSecond(payrailRate)} transactions/s (${median(runs.payrail).toFixed(0)} ms per file)`,
          reference: `sepa ${SEPA_VERSION} writing pain.001.001.09: ${perSecond(sepaRate)} transactions/s (${median(runs.sepa).toFixed(0)} ms)`,
          ratio: `${times(ratio)} sepa`,
          target: `≥ ${TARGET_RATIO}× sepa, ≥ ${perSecond(TARGET_RATE)}/s`,
          met: ratio >= TARGET_RATIO && payrailRate >= TARGET_RATE,
        },
      ],
      notes: [
        `pain001: one file of ${count.toLocaleString('en-US')} FAST payments, ${rounds} rounds per writer in ABBA order after a warm-up, medians; files of ${sizes.payrail} MB (payrail, one line per transaction) and ${sizes.sepa} MB (sepa).`,
      ],
    };
  },
};

export default scenario;
