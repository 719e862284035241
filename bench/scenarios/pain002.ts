// Read pain.002 with 100,000 statuses: payrail's reader (parse, check, and read every status
// into its report shape) against fast-xml-parser parsing the same file into plain objects (no
// checks, no interpretation), ABBA order. The file is an ACK3 as the sandbox bank writes it:
// mostly ACSC, some RJCT with a reason, some ACWC with a new date and a charge.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { readPain002 } from '../../src/bank-files/pain002/reader.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import type { Pain002AckTransaction } from '../../src/bank-files/pain002/writer.ts';
import { alternate } from '../lib/cannon.ts';
import { paymentDate } from '../lib/fixtures.ts';
import type { Scenario } from '../lib/scenario.ts';
import { times } from '../lib/scenario.ts';
import { median, perSecond, timeOnce } from '../lib/stats.ts';

const TARGET_RATE = 200_000;
const FXP_VERSION = (JSON.parse(readFileSync(new URL('../../node_modules/fast-xml-parser/package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

function statusOf(i: number): Omit<Pain002AckTransaction, 'instructionId' | 'endToEndId'> {
  if (i % 50 === 7) return { status: 'RJCT', reason: 'AC04' };
  if (i % 40 === 3) return { status: 'ACWC', reason: 'DT06', actualPaymentDate: paymentDate(), charge: { amount: 500, currency: 'SGD' } };
  return { status: 'ACSC' };
}

function ack3File(count: number): string {
  const transactions = Array.from({ length: count }, (_, i) => ({
    instructionId: `pymt_01JC9Z${String(i).padStart(20, '0')}`,
    endToEndId: `PAIN001-${i}`,
    ...statusOf(i),
  }));
  return writePain002({
    messageId: 'ACK3-PYMTB01JC9Z0000000000000000000-1'.slice(0, 35),
    createdAt: '2026-03-10T09:00:00Z',
    originalMessageId: 'PYMTB01JC9Z0000000000000000000-1',
    originalMessageName: 'pain.001.001.09',
    paymentInfoId: 'pymtb_01JC9Z0000000000000000000',
    bankBic: 'DBSSSGSGXXX',
    transactions,
  });
}

const scenario: Scenario = {
  name: 'pain002',
  title: 'read pain.002 with 100,000 statuses',
  async run({ quick, log }) {
    const count = quick ? 10_000 : 100_000;
    const rounds = quick ? 1 : 5;
    const xml = ack3File(count);
    const parser = new XMLParser({ ignoreAttributes: false });
    const runs = await alternate(
      {
        payrail: async () =>
          timeOnce(() => {
            const read = readPain002(xml).originals[0]!.transactions.length;
            if (read !== count) throw new Error(`read ${read} statuses, not ${count}`);
          }),
        fxp: async () => timeOnce(() => parser.parse(xml)),
      },
      rounds,
    );
    const payrailRate = count / (median(runs.payrail) / 1000);
    const fxpRate = count / (median(runs.fxp) / 1000);
    log(`payrail ${perSecond(payrailRate)} statuses/s, fast-xml-parser ${perSecond(fxpRate)}/s`);
    return {
      rows: [
        {
          scenario: `read pain.002 with ${count.toLocaleString('en-US')} statuses`,
          payrail: `${perSecond(payrailRate)} statuses/s (${median(runs.payrail).toFixed(0)} ms per file)`,
          reference: `fast-xml-parser ${FXP_VERSION} into plain objects: ${perSecond(fxpRate)} statuses/s (${median(runs.fxp).toFixed(0)} ms)`,
          ratio: `${times(payrailRate / fxpRate)} fast-xml-parser`,
          target: `≥ ${perSecond(TARGET_RATE)}/s`,
          met: payrailRate >= TARGET_RATE,
        },
      ],
      notes: [
        `pain002: one ACK3 file of ${count.toLocaleString('en-US')} statuses (${(xml.length / 1e6).toFixed(0)} MB), ${rounds} rounds per reader in ABBA order after a warm-up, each after a full GC, medians.`,
      ],
    };
  },
};

export default scenario;
