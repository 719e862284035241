// The pain.001 writer (RAILS.md §2): one batch becomes one CstmrCdtTrfInitn with one PmtInf and
// a CdtTrfTxInf per payment. Pure and deterministic: the same batch gives the same bytes, so a
// re-sent file is recognisable. Built by joining strings, not through a DOM: a 100,000-payment
// batch must be written in well under a second.
import { isCurrency, minorUnitExponent } from '../../money/currencies.ts';
import type { ChargeBearer } from '../../payments/model.ts';
import { RAILS } from '../../rails/rails.ts';
import { formatMinorUnits } from '../decimal-amount.ts';
import { accountId, agent, pushCreditor, pushCreditorAccount, pushRemittance } from './elements.ts';
import type { Pain001Batch, Pain001Options, Pain001Payment } from './model.ts';
import { Pain001Error } from './model.ts';
import { element, text } from './text.ts';
import type { VersionRules } from './versions.ts';
import { VERSION_RULES } from './versions.ts';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const CHARGE_BEARER_CODES: Readonly<Record<ChargeBearer, string>> = { SENDER: 'DEBT', RECEIVER: 'CRED', SHARED: 'SHAR' };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const UUID_V4 = /^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/;
// DecimalNumber in both schemas: at most 18 digits in all.
const MAX_CONTROL_SUM_DIGITS = 18;

/**
 * CtrlSum: the sum of every InstdAmt as written. Kept as exact integers per currency exponent
 * (bigint: 100,000 amounts near the safe-integer limit overflow a double) and only scaled to a
 * common exponent at the end, so HKD 1.50 + JPY 100 is exactly 101.50.
 */
class ControlSum {
  private readonly byExponent = new Map<number, bigint>();

  add(amount: number, exponent: number): void {
    this.byExponent.set(exponent, (this.byExponent.get(exponent) ?? 0n) + BigInt(amount));
  }

  total(): string {
    const exponent = Math.max(0, ...this.byExponent.keys());
    let sum = 0n;
    for (const [e, s] of this.byExponent) sum += s * 10n ** BigInt(exponent - e);
    const text = formatMinorUnits(sum, exponent);
    if (text.replace('.', '').replace(/^0+/, '').length > MAX_CONTROL_SUM_DIGITS) throw new Pain001Error('the control sum exceeds 18 digits', 'payments');
    return text;
  }
}

function checkHeader(batch: Pain001Batch): void {
  if (!ISO_DATE_TIME.test(batch.createdAt)) throw new Pain001Error('must be an ISO 8601 date-time', 'createdAt');
  if (!ISO_DATE.test(batch.paymentDate)) throw new Pain001Error('must be a date (YYYY-MM-DD)', 'paymentDate');
  if (batch.payments.length === 0) throw new Pain001Error('a batch needs at least one payment', 'payments');
  if (batch.debtor.currency !== undefined && !isCurrency(batch.debtor.currency)) throw new Pain001Error('not an ISO 4217 currency', 'debtor.currency');
}

function groupHeader(batch: Pain001Batch, totals: string): string {
  return `<GrpHdr>${element('MsgId', batch.messageId, 35, 'messageId')}<CreDtTm>${batch.createdAt}</CreDtTm>${totals}` +
    `<InitgPty>${element('Nm', batch.initiatingPartyName, 140, 'initiatingPartyName')}</InitgPty></GrpHdr>\n`;
}

/** PmtInf up to its first CdtTrfTxInf: ids, totals, rail, date, the sender's side, charges. */
function paymentInfoHeader(batch: Pain001Batch, rules: VersionRules, options: Pain001Options, totals: string): string {
  const { debtor: d } = batch;
  const localInstrument = element('Prtry', options.localInstrument?.[batch.rail] ?? batch.rail, 35, 'localInstrument');
  const accountFormat = RAILS[batch.rail].market === 'HK' ? 'hk' : 'sg';
  const currency = d.currency ? `<Ccy>${d.currency}</Ccy>` : '';
  const chargeBearer = batch.chargeBearer ? CHARGE_BEARER_CODES[batch.chargeBearer] : 'SLEV';
  return `<PmtInf>${element('PmtInfId', batch.batchId, 35, 'batchId')}<PmtMtd>TRF</PmtMtd>${totals}` +
    `<PmtTpInf><LclInstrm>${localInstrument}</LclInstrm></PmtTpInf>${rules.requestedExecutionDate(batch.paymentDate)}` +
    `<Dbtr>${element('Nm', d.name, 140, 'debtor.name')}</Dbtr><DbtrAcct>${accountId(accountFormat, d.accountNumber, 'debtor.accountNumber')}${currency}</DbtrAcct>` +
    `${agent('DbtrAgt', d.bank, undefined, rules, 'debtor.bank')}<ChrgBr>${chargeBearer}</ChrgBr>\n`;
}

/** InstdAmt's text, after checking the amount is whole minor units of a real currency. */
function instructedAmount(p: Pain001Payment, sum: ControlSum): string {
  if (!isCurrency(p.currency)) throw new Pain001Error('not an ISO 4217 currency', 'currency');
  if (!Number.isSafeInteger(p.amount) || p.amount < 0) throw new Pain001Error('must be a non-negative integer of minor units', 'amount');
  const exponent = minorUnitExponent(p.currency);
  sum.add(p.amount, exponent);
  return formatMinorUnits(p.amount, exponent);
}

function uetrOf(p: Pain001Payment, rules: VersionRules): string {
  if (p.uetr === undefined) return '';
  if (!UUID_V4.test(p.uetr)) throw new Pain001Error('must be a lower-case UUID v4', 'uetr');
  // V03 has no UETR element; the reference then lives only in payrail's records.
  return rules.hasUetr ? `<UETR>${p.uetr}</UETR>` : '';
}

/** What every payment of one file shares: the rules, the totals, and agents already written. */
interface FileContext {
  batch: Pain001Batch;
  rules: VersionRules;
  sum: ControlSum;
  // A batch pays few distinct banks: each CdtrAgt is built once, not once per payment.
  agents: Map<string, string>;
}

function creditorAgent(ctx: FileContext, p: Pain001Payment): string {
  // ACT is a book transfer: the receiver's bank is the sender's own, so CdtrAgt names it.
  const own = p.receiver.bank === undefined && RAILS[ctx.batch.rail].receiverBank === 'absent';
  const bank = own ? ctx.batch.debtor.bank : p.receiver.bank;
  if (bank === undefined) return '';
  const branch = own ? undefined : p.receiver.branchCode;
  const key = branch === undefined ? bank : `${bank}/${branch}`;
  let xml = ctx.agents.get(key);
  if (xml === undefined) ctx.agents.set(key, (xml = agent('CdtrAgt', bank, branch, ctx.rules, 'receiver.bank')));
  return xml;
}

function pushTransaction(out: string[], ctx: FileContext, p: Pain001Payment): void {
  const amount = instructedAmount(p, ctx.sum);
  out.push('<CdtTrfTxInf><PmtId><InstrId>', text(p.paymentId, 35, 'paymentId'), '</InstrId><EndToEndId>',
    text(p.customerReference, 35, 'customerReference'), '</EndToEndId>', uetrOf(p, ctx.rules), '</PmtId><Amt><InstdAmt Ccy="',
    p.currency, '">', amount, '</InstdAmt></Amt>', creditorAgent(ctx, p));
  pushCreditor(out, p.receiver);
  pushCreditorAccount(out, p.receiver, RAILS[ctx.batch.rail].accountNumberFormat, ctx.rules);
  pushRemittance(out, p.paymentDetails);
  out.push('</CdtTrfTxInf>\n');
}

// Pieces are joined into a chunk every few thousand: one array of millions of small strings would
// stay alive to the end, and copying it from one GC generation to the next is most of the cost.
const PIECES_PER_CHUNK = 4096;

// Error paths are relative to the payment ('receiver.name') and prefixed only when one is thrown:
// building 'payments[i].…' for every field would double the garbage of a large batch.
function transactions(ctx: FileContext): string[] {
  const { payments } = ctx.batch;
  const chunks: string[] = [];
  let out: string[] = [];
  for (let i = 0; i < payments.length; i++) {
    try {
      pushTransaction(out, ctx, payments[i]!);
    } catch (err) {
      throw err instanceof Pain001Error ? err.within(`payments[${i}]`) : err;
    }
    if (out.length >= PIECES_PER_CHUNK) {
      chunks.push(out.join(''));
      out = [];
    }
  }
  chunks.push(out.join(''));
  return chunks;
}

/** The batch as a pain.001 document (V09 unless `options.version` says '03'); throws Pain001Error. */
export function writePain001(batch: Pain001Batch, options: Pain001Options = {}): string {
  const rules = VERSION_RULES[options.version ?? '09'];
  checkHeader(batch);
  const ctx: FileContext = { batch, rules, sum: new ControlSum(), agents: new Map() };
  // The headers carry the totals, known only after every payment.
  const body = transactions(ctx);
  const totals = `<NbOfTxs>${batch.payments.length}</NbOfTxs><CtrlSum>${ctx.sum.total()}</CtrlSum>`;
  // One join for the whole document: the transactions' chunks are copied once, not joined first
  // (a second copy of a file that can be tens of megabytes).
  return [XML_DECLARATION, `<Document xmlns="${rules.namespace}"><CstmrCdtTrfInitn>\n`, groupHeader(batch, totals),
    paymentInfoHeader(batch, rules, options, totals), ...body, '</PmtInf></CstmrCdtTrfInitn></Document>\n'].join('');
}

export type { Pain001Batch, Pain001Debtor, Pain001Options, Pain001Payment, Pain001Version } from './model.ts';
export { Pain001Error } from './model.ts';
