// A pain.002 writer (.001.10 or .001.03), for the sandbox bank's acknowledgements in every bank
// style (src/sandbox-bank/styles.ts): a group status or none, a payment-information status with
// its reasons, transaction statuses with several reasons and their texts, charges with any
// status, a changed value date in OrgnlTxRef/ReqdExctnDt (where the reader looks for it), echo
// entries that carry only OrgnlTxRef, and optionally an AppHdr + BizMsgEnvlp around the Document.
import { isCurrency, minorUnitExponent } from '../../money/currencies.ts';
import { formatMinorUnits } from '../decimal-amount.ts';
import { escapeXml } from '../xml/escape.ts';
import { V03_GROUP_STATUSES, V03_TRANSACTION_STATUSES } from './status-codes.ts';

/** One StsRsnInf: a reason code (ISO ≤ 4 characters as Cd, longer as Prtry), its texts, who gave it. */
export interface Pain002AckReason {
  code?: string;
  /** AddtlInf lines (each ≤ 105 characters), in order. */
  texts?: string[];
  /** Orgtr/Nm: the party that gave the reason. */
  originator?: string;
}

/** A charge in minor units. */
export interface Pain002AckCharge {
  amount: number;
  currency: string;
}

/** One TxInfAndSts. An entry with neither ids nor status is an echo line (OrgnlTxRef only). */
export interface Pain002AckTransaction {
  /** OrgnlInstrId: the payment id. */
  instructionId?: string;
  /** OrgnlEndToEndId: the customer reference. */
  endToEndId?: string;
  status?: string;
  /** Shorthand for one reason with a code only; written before `reasons`. */
  reason?: string;
  reasons?: Pain002AckReason[];
  /** The value date the bank will use (YYYY-MM-DD), in OrgnlTxRef/ReqdExctnDt. */
  actualPaymentDate?: string;
  /** A charge in minor units, with whatever status. */
  charge?: Pain002AckCharge;
  /** OrgnlTxRef/Amt/InstdAmt: the amount of the original instruction, echoed. */
  originalAmount?: Pain002AckCharge;
}

/** The file's OrgnlPmtInfAndSts: the batch, its own status and reasons. */
export interface Pain002AckPaymentInfo {
  status?: string;
  reasons?: Pain002AckReason[];
}

/** One acknowledgement file. */
export interface Pain002Ack {
  /** pain.002.001.10 (default) or .001.03. */
  version?: '10' | '03';
  messageId: string;
  createdAt: string;
  originalMessageId: string;
  originalMessageName: 'pain.001.001.09' | 'pain.001.001.03';
  groupStatus?: string;
  /** Shorthand for one group reason with a code only; written before `groupReasons`. */
  groupReason?: string;
  groupReasons?: Pain002AckReason[];
  /** OrgnlPmtInfId: the batch id; required when there are transactions or a payment-information status. */
  paymentInfoId?: string;
  paymentInfo?: Pain002AckPaymentInfo;
  /** The bank's BIC, named as the agent taking a charge (ChrgsInf/Agt, /Pty in .03, is mandatory). */
  bankBic?: string;
  transactions: Pain002AckTransaction[];
  /** Wrap the Document in a BizMsgEnvlp with a business application header (head.001.001.02). */
  envelope?: { from: string; to: string };
}

const NAMESPACE = { '10': 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10', '03': 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.03' } as const;
const ENVELOPE_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:nvlp.001.001.01';
const HEADER_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:head.001.001.02';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Z0-9]{1,4}$/;
const BIC = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

type Version = '10' | '03';

function text(tag: string, value: string, max: number): string {
  if (value.length < 1 || value.length > max) throw new Error(`pain.002 ${tag} must be 1–${max} characters: '${value}'`);
  return `<${tag}>${escapeXml(value)}</${tag}>`;
}

const id = (tag: string, value: string) => text(tag, value, 35);

function code(tag: string, value: string): string {
  if (!CODE.test(value)) throw new Error(`pain.002 ${tag} must be a 1–4 character code: '${value}'`);
  return `<${tag}>${value}</${tag}>`;
}

/** A status, checked against .03's closed enumerations (.10's are open 1–4 character codes). */
function status(tag: string, value: string, version: Version, allowedIn03: ReadonlySet<string>): string {
  if (version === '03' && !allowedIn03.has(value)) throw new Error(`pain.002.001.03 has no ${tag} '${value}'`);
  return code(tag, value);
}

function reason(value: Pain002AckReason): string {
  const originator = value.originator === undefined ? '' : `<Orgtr>${text('Nm', value.originator, 140)}</Orgtr>`;
  const rsn = value.code === undefined ? '' : `<Rsn>${CODE.test(value.code) ? code('Cd', value.code) : id('Prtry', value.code)}</Rsn>`;
  const texts = (value.texts ?? []).map((t) => text('AddtlInf', t, 105)).join('');
  if (!originator && !rsn && !texts) throw new Error('pain.002 StsRsnInf needs a code, a text or an originator');
  return `<StsRsnInf>${originator}${rsn}${texts}</StsRsnInf>`;
}

function reasons(shorthand: string | undefined, list: Pain002AckReason[] | undefined): string {
  return [...(shorthand === undefined ? [] : [{ code: shorthand }]), ...(list ?? [])].map(reason).join('');
}

/** An amount element; `what` names the field in the error ('charge', 'originalAmount'). */
function amount(tag: string, value: Pain002AckCharge, what: string): string {
  if (!isCurrency(value.currency) || !Number.isSafeInteger(value.amount) || value.amount < 0) {
    throw new Error(`pain.002 ${what} must be whole minor units of an ISO 4217 currency: ${JSON.stringify(value)}`);
  }
  return `<${tag} Ccy="${value.currency}">${formatMinorUnits(value.amount, minorUnitExponent(value.currency))}</${tag}>`;
}

function agent(bankBic: string | undefined, version: Version): string {
  if (bankBic === undefined) return '<FinInstnId/>';
  if (!BIC.test(bankBic)) throw new Error(`pain.002 bankBic is not a BIC: '${bankBic}'`);
  return `<FinInstnId>${version === '03' ? '<BIC>' : '<BICFI>'}${bankBic}${version === '03' ? '</BIC>' : '</BICFI>'}</FinInstnId>`;
}

function charge(value: Pain002AckCharge | undefined, bankBic: string | undefined, version: Version): string {
  if (!value) return '';
  // .03 names the agent Pty, .10 Agt.
  const party = version === '03' ? 'Pty' : 'Agt';
  return `<ChrgsInf>${amount('Amt', value, 'charge')}<${party}>${agent(bankBic, version)}</${party}></ChrgsInf>`;
}

/** OrgnlTxRef: the echoed amount and the value date (.10 wraps the date in Dt, .03 does not). */
function reference(tx: Pain002AckTransaction, version: Version): string {
  if (tx.actualPaymentDate === undefined && tx.originalAmount === undefined) return '';
  const amt = tx.originalAmount === undefined ? '' : `<Amt>${amount('InstdAmt', tx.originalAmount, 'originalAmount')}</Amt>`;
  let date = '';
  if (tx.actualPaymentDate !== undefined) {
    if (!ISO_DATE.test(tx.actualPaymentDate)) throw new Error(`pain.002 actualPaymentDate must be YYYY-MM-DD: '${tx.actualPaymentDate}'`);
    date = version === '03' ? `<ReqdExctnDt>${tx.actualPaymentDate}</ReqdExctnDt>` : `<ReqdExctnDt><Dt>${tx.actualPaymentDate}</Dt></ReqdExctnDt>`;
  }
  return `<OrgnlTxRef>${amt}${date}</OrgnlTxRef>`;
}

function transaction(tx: Pain002AckTransaction, bankBic: string | undefined, version: Version): string {
  const instr = tx.instructionId === undefined ? '' : id('OrgnlInstrId', tx.instructionId);
  const e2e = tx.endToEndId === undefined ? '' : id('OrgnlEndToEndId', tx.endToEndId);
  const sts = tx.status === undefined ? '' : status('TxSts', tx.status, version, V03_TRANSACTION_STATUSES);
  return `<TxInfAndSts>${instr}${e2e}${sts}${reasons(tx.reason, tx.reasons)}${charge(tx.charge, bankBic, version)}${reference(tx, version)}</TxInfAndSts>\n`;
}

function paymentInformation(ack: Pain002Ack, version: Version): string {
  const info = ack.paymentInfo;
  if (ack.transactions.length === 0 && info?.status === undefined) return '';
  if (ack.paymentInfoId === undefined) throw new Error('pain.002 transactions and PmtInfSts need the paymentInfoId (OrgnlPmtInfId)');
  const sts = info?.status === undefined ? '' : status('PmtInfSts', info.status, version, V03_GROUP_STATUSES);
  const transactions = ack.transactions.map((tx) => transaction(tx, ack.bankBic, version)).join('');
  return `<OrgnlPmtInfAndSts>${id('OrgnlPmtInfId', ack.paymentInfoId)}${sts}${reasons(undefined, info?.reasons)}\n${transactions}</OrgnlPmtInfAndSts>\n`;
}

function documentOf(ack: Pain002Ack): string {
  const version = ack.version ?? '10';
  const groupStatus = ack.groupStatus === undefined ? '' : status('GrpSts', ack.groupStatus, version, V03_GROUP_STATUSES);
  const group =
    `<OrgnlGrpInfAndSts>${id('OrgnlMsgId', ack.originalMessageId)}${id('OrgnlMsgNmId', ack.originalMessageName)}` +
    `${groupStatus}${reasons(ack.groupReason, ack.groupReasons)}</OrgnlGrpInfAndSts>\n`;
  return (
    `<Document xmlns="${NAMESPACE[version]}"><CstmrPmtStsRpt>\n<GrpHdr>${id('MsgId', ack.messageId)}<CreDtTm>${escapeXml(ack.createdAt)}</CreDtTm></GrpHdr>\n` +
    `${group}${paymentInformation(ack, version)}</CstmrPmtStsRpt></Document>\n`
  );
}

/** The business application header and envelope a bank's gateway puts around the Document. */
function enveloped(ack: Pain002Ack, envelope: NonNullable<Pain002Ack['envelope']>, document: string): string {
  const party = (tag: string, bic: string) => {
    if (!BIC.test(bic)) throw new Error(`pain.002 envelope ${tag} is not a BIC: '${bic}'`);
    return `<${tag}><FIId><FinInstnId><BICFI>${bic}</BICFI></FinInstnId></FIId></${tag}>`;
  };
  const header =
    `<AppHdr xmlns="${HEADER_NAMESPACE}">${party('Fr', envelope.from)}${party('To', envelope.to)}${id('BizMsgIdr', ack.messageId)}` +
    `<MsgDefIdr>pain.002.001.${ack.version ?? '10'}</MsgDefIdr><CreDt>${escapeXml(ack.createdAt)}</CreDt></AppHdr>`;
  return `<BizMsgEnvlp xmlns="${ENVELOPE_NAMESPACE}">\n<Hdr>${header}</Hdr>\n<Doc>${document}</Doc>\n</BizMsgEnvlp>\n`;
}

/** The acknowledgement as a pain.002 document (enveloped when asked); throws on values the schema cannot carry. */
export function writePain002(ack: Pain002Ack): string {
  const document = documentOf(ack);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + (ack.envelope ? enveloped(ack, ack.envelope, document) : document);
}
