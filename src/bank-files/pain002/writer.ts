// A pain.002.001.10 writer, for the sandbox bank's acknowledgements: ACK1 carries the group status
// only; ACK2 and ACK3 carry one TxInfAndSts per payment, an ACWC with its new date in
// OrgnlTxRef/ReqdExctnDt and its charge in ChrgsInf (where the reader looks for them).
import { isCurrency, minorUnitExponent } from '../../money/currencies.ts';
import { formatMinorUnits } from '../decimal-amount.ts';
import { escapeXml } from '../xml/escape.ts';

/** One payment's status in an ACK2 or ACK3. */
export interface Pain002AckTransaction {
  /** OrgnlInstrId: the payment id. */
  instructionId: string;
  /** OrgnlEndToEndId: the customer reference. */
  endToEndId: string;
  status: string;
  reason?: string;
  /** ACWC: the value date the bank will use (YYYY-MM-DD). */
  actualPaymentDate?: string;
  /** A charge in minor units. */
  charge?: { amount: number; currency: string };
}

/** One acknowledgement file. */
export interface Pain002Ack {
  messageId: string;
  createdAt: string;
  originalMessageId: string;
  originalMessageName: 'pain.001.001.09' | 'pain.001.001.03';
  groupStatus?: string;
  groupReason?: string;
  /** OrgnlPmtInfId: the batch id; required when there are transactions. */
  paymentInfoId?: string;
  /** The bank's BIC, named as the agent taking a charge (ChrgsInf/Agt is mandatory). */
  bankBic?: string;
  transactions: Pain002AckTransaction[];
}

const NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function id(tag: string, value: string): string {
  if (value.length < 1 || value.length > 35) throw new Error(`pain.002 ${tag} must be 1–35 characters: '${value}'`);
  return `<${tag}>${escapeXml(value)}</${tag}>`;
}

function code(tag: string, value: string): string {
  if (!/^[A-Z0-9]{1,4}$/.test(value)) throw new Error(`pain.002 ${tag} must be a 1–4 character code: '${value}'`);
  return `<${tag}>${value}</${tag}>`;
}

/** StsRsnInf: an ISO reason code (≤ 4 characters) as Cd, anything longer as the bank's Prtry. */
function reason(value: string | undefined): string {
  if (value === undefined) return '';
  return `<StsRsnInf><Rsn>${/^[A-Z0-9]{1,4}$/.test(value) ? code('Cd', value) : id('Prtry', value)}</Rsn></StsRsnInf>`;
}

function charge(value: Pain002AckTransaction['charge'], bankBic: string | undefined): string {
  if (!value) return '';
  if (!isCurrency(value.currency) || !Number.isSafeInteger(value.amount) || value.amount < 0) {
    throw new Error(`pain.002 charge must be whole minor units of an ISO 4217 currency: ${JSON.stringify(value)}`);
  }
  const agent = bankBic ? `<FinInstnId><BICFI>${escapeXml(bankBic)}</BICFI></FinInstnId>` : '<FinInstnId/>';
  const amount = formatMinorUnits(value.amount, minorUnitExponent(value.currency));
  return `<ChrgsInf><Amt Ccy="${value.currency}">${amount}</Amt><Agt>${agent}</Agt></ChrgsInf>`;
}

function transaction(tx: Pain002AckTransaction, bankBic: string | undefined): string {
  let reference = '';
  if (tx.actualPaymentDate !== undefined) {
    if (!ISO_DATE.test(tx.actualPaymentDate)) throw new Error(`pain.002 actualPaymentDate must be YYYY-MM-DD: '${tx.actualPaymentDate}'`);
    reference = `<OrgnlTxRef><ReqdExctnDt><Dt>${tx.actualPaymentDate}</Dt></ReqdExctnDt></OrgnlTxRef>`;
  }
  return `<TxInfAndSts>${id('OrgnlInstrId', tx.instructionId)}${id('OrgnlEndToEndId', tx.endToEndId)}${code('TxSts', tx.status)}` +
    `${reason(tx.reason)}${charge(tx.charge, bankBic)}${reference}</TxInfAndSts>\n`;
}

/** The acknowledgement as a pain.002.001.10 document; throws on values the schema cannot carry. */
export function writePain002(ack: Pain002Ack): string {
  const group = `<OrgnlGrpInfAndSts>${id('OrgnlMsgId', ack.originalMessageId)}${id('OrgnlMsgNmId', ack.originalMessageName)}` +
    `${ack.groupStatus === undefined ? '' : code('GrpSts', ack.groupStatus)}${reason(ack.groupReason)}</OrgnlGrpInfAndSts>\n`;
  let payments = '';
  if (ack.transactions.length > 0) {
    if (ack.paymentInfoId === undefined) throw new Error('pain.002 transactions need the paymentInfoId (OrgnlPmtInfId)');
    const transactions = ack.transactions.map((tx) => transaction(tx, ack.bankBic)).join('');
    payments = `<OrgnlPmtInfAndSts>${id('OrgnlPmtInfId', ack.paymentInfoId)}\n${transactions}</OrgnlPmtInfAndSts>\n`;
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Document xmlns="${NAMESPACE}"><CstmrPmtStsRpt>\n<GrpHdr>${id('MsgId', ack.messageId)}<CreDtTm>${escapeXml(ack.createdAt)}</CreDtTm></GrpHdr>\n` +
    `${group}${payments}</CstmrPmtStsRpt></Document>\n`;
}
