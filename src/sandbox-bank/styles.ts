// How each bank style answers a batch file, as data (BANKS.md §4): which reports it sends and
// when, at which level the statuses sit, the pain.002 version and envelope, and the bank's own
// reason texts. What happens to each payment (SPEC §8) is the same in every style
// (outcomes.ts); only the way it is told differs. acknowledgements.ts turns a style into files.
import type { Pain002AckReason } from '../bank-files/pain002/writer.ts';
import type { SandboxStyle } from './style-names.ts';

export type { SandboxStyle } from './style-names.ts';
export { SANDBOX_STYLES, isSandboxStyle } from './style-names.ts';

/** One report about the payments: bank validation (ACK2's content) or the clearing result (ACK3's). */
export interface ReportRules {
  /** When it is written: this many ack delays after the bank first saw the file. */
  at: 1 | 2 | 3;
  /** GrpSts: none; 'progress' = ACSP, or PART when a payment is rejected; 'settled' = ACSC, or PART. */
  group: 'none' | 'progress' | 'settled';
  /** PmtInfSts: none, or the status of the payments that passed (then it covers them). */
  paymentInfo: boolean;
  /** TxInfAndSts for every payment, or only for those a covering group or payment-information status does not describe. */
  list: 'all' | 'exceptions';
  /** The status of a payment that passed. */
  passed: 'ACCP' | 'ACSP' | 'ACSC';
  /** A payment with changes (a new date, a charge): ACWC, or the `passed` status carrying them. */
  changed: 'ACWC' | 'passed';
  /** Add an echo line (only OrgnlTxRef: the original amount and date, no ids, no status). */
  echo: boolean;
}

export interface StyleRules {
  version: '10' | '03';
  /** An AppHdr + BizMsgEnvlp around the Document, with these BICs as sender and receiver. */
  envelope?: { from: string; to: string };
  /** When the file's acceptance (GrpSts ACTC) is written; undefined: no separate acceptance. */
  acceptanceAt?: 1;
  validation: ReportRules;
  settlement: ReportRules;
  /**
   * A whole file rejected (000000002), written when the first report would be: 'group' = GrpSts
   * RJCT with its reason; 'every-transaction' = GrpSts RJCT whose reason names only its originator,
   * and each payment RJCT with the reason code.
   */
  rejection: 'group' | 'every-transaction';
  /** The ids the bank sends back: as payrail sent them, or upper-cased with `_` stripped from OrgnlEndToEndId. */
  ids: 'as-sent' | 'mangled';
  /** The bank's own words per reason code (AddtlInf lines); none: the code alone. */
  texts?: Readonly<Record<string, readonly string[]>>;
  /** 'one' StsRsnInf holding every text, or 'split': the code with the first text, each further text in a StsRsnInf of its own. */
  textLayout: 'one' | 'split';
  /** Orgtr/Nm of a group reason. */
  originator?: string;
}

const TEXTBOOK_VALIDATION: ReportRules = { at: 2, group: 'none', paymentInfo: false, list: 'all', passed: 'ACCP', changed: 'ACWC', echo: false };
const TEXTBOOK_SETTLEMENT: ReportRules = { at: 3, group: 'none', paymentInfo: false, list: 'all', passed: 'ACSC', changed: 'ACWC', echo: false };

export const STYLES: Readonly<Record<SandboxStyle, StyleRules>> = {
  // ACK1 (GrpSts) → ACK2 (TxSts ACCP/ACWC/RJCT) → ACK3 (ACSC/ACWC/RJCT), codes only.
  textbook: {
    version: '10',
    acceptanceAt: 1,
    validation: TEXTBOOK_VALIDATION,
    settlement: TEXTBOOK_SETTLEMENT,
    rejection: 'group',
    ids: 'as-sent',
    textLayout: 'one',
  },
  // J.P. Morgan HK/SG: ACK, then payment status reports: GrpSts ACSP/PART with every payment, then
  // ACSC per payment (or GrpSts ACSC alone when every payment settled); texts in AddtlInf.
  jpm: {
    version: '03',
    acceptanceAt: 1,
    validation: { ...TEXTBOOK_VALIDATION, group: 'progress', passed: 'ACSP' },
    settlement: { ...TEXTBOOK_SETTLEMENT, group: 'settled', list: 'exceptions', changed: 'passed' },
    rejection: 'group',
    ids: 'as-sent',
    texts: {
      AC01: ['Beneficiary account number is invalid'],
      AC04: ['Beneficiary account is closed'],
      DT06: ['Value date moved to the next business day'],
      FF01: ['File rejected: the file does not pass format validation'],
    },
    textLayout: 'one',
    originator: 'J.P. Morgan Payments Operations',
  },
  // Goldman Sachs: no group status (its first report doubles as the file's acceptance), echo lines.
  gs: {
    version: '10',
    validation: { ...TEXTBOOK_VALIDATION, echo: true },
    settlement: TEXTBOOK_SETTLEMENT,
    rejection: 'group',
    ids: 'as-sent',
    textLayout: 'one',
  },
  // Nordea: ACK1, then PmtInfSts ACCP with only the exceptions as transactions, then PmtInfSts
  // ACSC completing the rest; texts spread over several StsRsnInf.
  nordea: {
    version: '03',
    acceptanceAt: 1,
    validation: { ...TEXTBOOK_VALIDATION, paymentInfo: true, list: 'exceptions' },
    settlement: { ...TEXTBOOK_SETTLEMENT, paymentInfo: true, list: 'exceptions' },
    rejection: 'group',
    ids: 'as-sent',
    texts: {
      AC01: ['Account number incorrect.', 'Correct the account number and send the payment again.'],
      AC04: ['Account closed.', 'The beneficiary bank returned the payment.'],
      DT06: ['Execution date changed to the next banking day.'],
      FF01: ['File rejected.', 'The file structure is invalid.'],
    },
    textLayout: 'split',
  },
  // Cross River: no ACK; transaction statuses at once (ACSP/RJCT), then ACSC carrying the
  // charge and date; its ids come back upper-cased without `_`; enveloped with an AppHdr.
  crossriver: {
    version: '10',
    envelope: { from: 'SNDBUS33XXX', to: 'PAYRSGSGXXX' },
    validation: { ...TEXTBOOK_VALIDATION, at: 1, passed: 'ACSP', changed: 'passed' },
    settlement: { ...TEXTBOOK_SETTLEMENT, at: 2, changed: 'passed' },
    rejection: 'every-transaction',
    ids: 'mangled',
    texts: {
      AC01: ['Invalid account number'],
      AC04: ['Account closed at the receiving bank'],
      FF01: ['Batch rejected: the file could not be processed'],
    },
    textLayout: 'one',
    originator: 'Cross River Bank',
  },
};

/** The StsRsnInf entries of a reason code in a style: the code with the bank's texts, laid out its way. */
export function reasonsIn(rules: StyleRules, code: string): Pain002AckReason[] {
  const texts = rules.texts?.[code] ?? [];
  if (texts.length === 0) return [{ code }];
  if (rules.textLayout === 'one') return [{ code, texts: [...texts] }];
  return [{ code, texts: [texts[0]!] }, ...texts.slice(1).map((t) => ({ texts: [t] }))];
}
