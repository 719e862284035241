// The sandbox bank's styles (BANKS.md §4): for each one, what it writes at each moment for a
// batch with every test-mode outcome (SPEC §8), and for a batch it rejects whole. Every file
// validates against its version's official XSD.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writePain001 } from '../../src/bank-files/pain001/writer.ts';
import { readPain002 } from '../../src/bank-files/pain002/reader.ts';
import type { Pain002Ack, Pain002AckReason } from '../../src/bank-files/pain002/writer.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import { createBusinessCalendar } from '../../src/calendars/business-calendar.ts';
import { acknowledgement, isLastMoment } from '../../src/sandbox-bank/acknowledgements.ts';
import { readPain001 } from '../../src/sandbox-bank/read-pain001.ts';
import { SANDBOX_STYLES } from '../../src/sandbox-bank/styles.ts';
import type { SandboxStyle } from '../../src/sandbox-bank/styles.ts';
import { validatePain002 } from '../helpers/xsd.ts';

const NOW = Date.parse('2026-03-10T02:00:00Z');
const calendar = createBusinessCalendar();
const batch = (accounts: string[]) =>
  readPain001(
    writePain001(
      {
        messageId: 'PYMTB01TEST-1',
        createdAt: '2026-03-10T02:00:00Z',
        initiatingPartyName: 'Acme',
        batchId: 'pymtb_01TEST',
        rail: 'FAST',
        paymentDate: '2026-03-13',
        debtor: { name: 'Acme SGD', accountNumber: '0123456789', bank: 'DBSSSGSGXXX' },
        payments: accounts.map((a, i) => ({
          paymentId: `pymt_0${i}`,
          customerReference: `ref_${i}`,
          amount: 100 + i,
          currency: 'SGD',
          receiver: { name: 'Receiver', bank: 'OCBCSGSGXXX', bankAccountNumber: a },
        })),
      },
      { version: '09' },
    ),
  );

// ok, fails at ACK2, fails at ACK3, accepted with changes.
const MIXED = batch(['0123456789', '000000000', '000000001', '000000003']);
const REJECTED = batch(['0123456789', '000000002']);
const SETTLED = batch(['0123456789', '0123456789']);

/** The files a style writes for a batch, by moment, until its last. */
function filesOf(style: SandboxStyle, instruction: ReturnType<typeof batch>): Map<number, Pain002Ack> {
  const files = new Map<number, Pain002Ack>();
  for (const moment of [1, 2, 3] as const) {
    const ack = acknowledgement(style, instruction, moment, NOW, calendar, NOW + moment * 1000);
    if (ack) files.set(moment, ack);
    if (isLastMoment(style, instruction, moment)) break;
  }
  return files;
}

/** One line per file: group status, payment-information status, each transaction's status, reasons and changes. */
function summary(ack: Pain002Ack): string[] {
  const reasons = (list: { code?: string; texts?: string[]; originator?: string }[] | undefined) =>
    (list ?? [])
      .map((r) => [r.originator && `by ${r.originator}`, r.code, ...(r.texts ?? []).map((t) => `"${t}"`)].filter(Boolean).join(' '))
      .map((r) => `[${r}]`)
      .join('');
  const head = [
    `v${ack.version ?? '10'}`,
    ack.envelope ? 'enveloped' : '',
    ack.groupStatus ? `GrpSts ${ack.groupStatus}${reasons(ack.groupReasons)}` : 'no GrpSts',
    ack.paymentInfo?.status ? `PmtInfSts ${ack.paymentInfo.status}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return [
    head,
    ...ack.transactions.map((t) =>
      [
        t.instructionId ?? '-',
        t.endToEndId ?? '-',
        t.status ?? 'no TxSts',
        reasons(t.reasons),
        t.actualPaymentDate ?? '',
        t.charge ? `charge ${t.charge.amount} ${t.charge.currency}` : '',
        t.originalAmount ? `echo ${t.originalAmount.amount}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    ),
  ];
}

const EXPECTED: Record<SandboxStyle, { mixed: Record<number, string[]>; rejected: Record<number, string[]>; settled: number[] }> = {
  textbook: {
    mixed: {
      1: ['v10 GrpSts ACTC'],
      2: ['v10 no GrpSts', 'PYMT00 ref_0 ACCP', 'PYMT01 ref_1 RJCT [AC01]', 'PYMT02 ref_2 ACCP', 'PYMT03 ref_3 ACWC [DT06] 2026-03-16'],
      3: ['v10 no GrpSts', 'PYMT00 ref_0 ACSC', 'PYMT02 ref_2 RJCT [AC04]', 'PYMT03 ref_3 ACWC [DT06] 2026-03-16 charge 500 SGD'],
    },
    rejected: { 1: ['v10 GrpSts RJCT[FF01]'] },
    settled: [1, 2, 3],
  },
  jpm: {
    mixed: {
      1: ['v03 GrpSts ACTC'],
      2: [
        'v03 GrpSts PART',
        'PYMT00 ref_0 ACSP',
        'PYMT01 ref_1 RJCT [AC01 "Beneficiary account number is invalid"]',
        'PYMT02 ref_2 ACSP',
        'PYMT03 ref_3 ACWC [DT06 "Value date moved to the next business day"] 2026-03-16',
      ],
      3: ['v03 GrpSts PART', 'PYMT00 ref_0 ACSC', 'PYMT02 ref_2 RJCT [AC04 "Beneficiary account is closed"]', 'PYMT03 ref_3 ACSC 2026-03-16 charge 500 SGD'],
    },
    rejected: { 1: ['v03 GrpSts RJCT[by J.P. Morgan Payments Operations FF01 "File rejected: the file does not pass format validation"]'] },
    settled: [1, 2, 3],
  },
  gs: {
    mixed: {
      2: [
        'v10 no GrpSts',
        'PYMT00 ref_0 ACCP',
        'PYMT01 ref_1 RJCT [AC01]',
        'PYMT02 ref_2 ACCP',
        'PYMT03 ref_3 ACWC [DT06] 2026-03-16',
        '- - no TxSts 2026-03-13 echo 100',
      ],
      3: ['v10 no GrpSts', 'PYMT00 ref_0 ACSC', 'PYMT02 ref_2 RJCT [AC04]', 'PYMT03 ref_3 ACWC [DT06] 2026-03-16 charge 500 SGD'],
    },
    rejected: { 2: ['v10 GrpSts RJCT[FF01]'] },
    settled: [2, 3],
  },
  nordea: {
    mixed: {
      1: ['v03 GrpSts ACTC'],
      2: [
        'v03 no GrpSts PmtInfSts ACCP',
        'PYMT01 ref_1 RJCT [AC01 "Account number incorrect."]["Correct the account number and send the payment again."]',
        'PYMT03 ref_3 ACWC [DT06 "Execution date changed to the next banking day."] 2026-03-16',
      ],
      3: [
        'v03 no GrpSts PmtInfSts ACSC',
        'PYMT02 ref_2 RJCT [AC04 "Account closed."]["The beneficiary bank returned the payment."]',
        'PYMT03 ref_3 ACWC [DT06 "Execution date changed to the next banking day."] 2026-03-16 charge 500 SGD',
      ],
    },
    rejected: { 1: ['v03 GrpSts RJCT[FF01 "File rejected."]["The file structure is invalid."]'] },
    settled: [1, 2, 3],
  },
  crossriver: {
    mixed: {
      1: ['v10 enveloped no GrpSts', 'PYMT00 REF0 ACSP', 'PYMT01 REF1 RJCT [AC01 "Invalid account number"]', 'PYMT02 REF2 ACSP', 'PYMT03 REF3 ACSP 2026-03-16'],
      2: [
        'v10 enveloped no GrpSts',
        'PYMT00 REF0 ACSC',
        'PYMT02 REF2 RJCT [AC04 "Account closed at the receiving bank"]',
        'PYMT03 REF3 ACSC 2026-03-16 charge 500 SGD',
      ],
    },
    rejected: {
      1: [
        'v10 enveloped GrpSts RJCT[by Cross River Bank]',
        'PYMT00 REF0 RJCT [FF01 "Batch rejected: the file could not be processed"]',
        'PYMT01 REF1 RJCT [FF01 "Batch rejected: the file could not be processed"]',
      ],
    },
    settled: [1, 2],
  },
};

const codes = (reasons: Pain002AckReason[] | undefined) => (reasons ?? []).flatMap((r) => (r.code ? [r.code] : []));
const texts = (reasons: Pain002AckReason[] | undefined) => (reasons ?? []).flatMap((r) => r.texts ?? []);

/** What the reader should make of a file the writer wrote from `ack` (src/bank-files/pain002/model.ts). */
function expectedOriginal(ack: Pain002Ack) {
  const group = [...(ack.groupReason ? [{ code: ack.groupReason }] : []), ...(ack.groupReasons ?? [])];
  const hasBlock = ack.transactions.length > 0 || ack.paymentInfo?.status !== undefined;
  return {
    originalMessageId: ack.originalMessageId,
    originalMessageName: ack.originalMessageName,
    ...(ack.groupStatus && { groupStatus: ack.groupStatus }),
    groupReasons: codes(group),
    groupReasonTexts: texts(group),
    paymentInfos: hasBlock
      ? [
          {
            originalPaymentInfoId: ack.paymentInfoId,
            ...(ack.paymentInfo?.status && { status: ack.paymentInfo.status }),
            reasons: codes(ack.paymentInfo?.reasons),
            reasonTexts: texts(ack.paymentInfo?.reasons),
          },
        ]
      : [],
    transactions: ack.transactions.map((t) => ({
      originalPaymentInfoId: ack.paymentInfoId,
      ...(t.instructionId && { originalInstructionId: t.instructionId }),
      ...(t.endToEndId && { originalEndToEndId: t.endToEndId }),
      ...(t.status && { status: t.status }),
      reasons: codes([...(t.reason ? [{ code: t.reason }] : []), ...(t.reasons ?? [])]),
      reasonTexts: texts(t.reasons),
      ...(t.actualPaymentDate && { requestedExecutionDate: t.actualPaymentDate }),
      charges: t.charge ? [t.charge] : [],
    })),
  };
}

for (const style of SANDBOX_STYLES) {
  describe(`sandbox bank style ${style}`, () => {
    it('a batch with every test-mode outcome: the files, moment by moment', () => {
      assert.deepEqual(Object.fromEntries([...filesOf(style, MIXED)].map(([m, ack]) => [m, summary(ack)])), EXPECTED[style].mixed);
    });

    it('a batch with 000000002: the whole file rejected, nothing after', () => {
      assert.deepEqual(Object.fromEntries([...filesOf(style, REJECTED)].map(([m, ack]) => [m, summary(ack)])), EXPECTED[style].rejected);
    });

    it("every file it writes validates against its version's XSD", async () => {
      for (const instruction of [MIXED, REJECTED, SETTLED]) {
        for (const [moment, ack] of filesOf(style, instruction)) {
          assert.deepEqual(await validatePain002(writePain002(ack)), [], `moment ${moment}`);
        }
      }
    });

    it("payrail's reader reads every file back as written: statuses at each level, codes, texts, charges, dates, ids", () => {
      for (const instruction of [MIXED, REJECTED, SETTLED]) {
        for (const [moment, ack] of filesOf(style, instruction)) {
          const report = readPain002(writePain002(ack));
          assert.deepEqual(report.originals, [expectedOriginal(ack)], `moment ${moment}`);
          assert.equal(report.version, ack.version ?? '10');
          const echoes = ack.transactions.filter((t) => t.status === undefined).length;
          assert.equal(report.warnings.length, echoes, report.warnings.join('; '));
        }
      }
    });

    it('a batch where every payment settles', () => {
      assert.deepEqual([...filesOf(style, SETTLED).keys()], EXPECTED[style].settled);
    });
  });
}

describe('sandbox bank styles: the shapes the guides describe', () => {
  it('jpm: once every payment settled, GrpSts ACSC alone', () => {
    const last = filesOf('jpm', SETTLED).get(3)!;
    assert.deepEqual(summary(last), ['v03 GrpSts ACSC']);
    assert.doesNotMatch(writePain002(last), /OrgnlPmtInfAndSts|TxInfAndSts/);
  });

  it('nordea: every payment passed and settled: PmtInfSts alone, no transactions', () => {
    const files = filesOf('nordea', SETTLED);
    assert.deepEqual(summary(files.get(2)!), ['v03 no GrpSts PmtInfSts ACCP']);
    assert.deepEqual(summary(files.get(3)!), ['v03 no GrpSts PmtInfSts ACSC']);
  });

  it('crossriver: the Document inside an AppHdr + BizMsgEnvlp', () => {
    const xml = writePain002(filesOf('crossriver', MIXED).get(1)!);
    assert.match(
      xml,
      /^<\?xml[^>]*>\n<BizMsgEnvlp xmlns="urn:iso:std:iso:20022:tech:xsd:nvlp\.001\.001\.01">\n<Hdr><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head\.001\.001\.02">.*<MsgDefIdr>pain\.002\.001\.10<\/MsgDefIdr>.*<\/Hdr>\n<Doc><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain\.002\.001\.10">/s,
    );
  });
});
