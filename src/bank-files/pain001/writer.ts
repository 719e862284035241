// The pain.001 writer (RAILS.md §2): one batch becomes one CstmrCdtTrfInitn with one PmtInf and
// a CdtTrfTxInf per payment, in the layout of a bank profile (BANKS.md §3; the tables are in
// src/bank-files/profiles). Pure and deterministic: the same batch gives the same bytes, so a
// re-sent file is recognisable. Built by joining strings, not through a DOM: a 100,000-payment
// batch must be written in well under a second.
import { isCurrency, minorUnitExponent } from '../../money/currencies.ts';
import type { ChargeBearer } from '../../payments/model.ts';
import { RAILS } from '../../rails/rails.ts';
import { formatMinorUnits } from '../decimal-amount.ts';
import { PROFILES } from '../profiles/index.ts';
import type { Pain001Profile } from '../profiles/model.ts';
import { accountId, agent, codeChoice, partyAddress, proxyWriting, pushCreditor, pushCreditorAccount, pushRemittance } from './elements.ts';
import type { ProxyWriting } from './elements.ts';
import { FILE_ID_PATTERN, fileIdOf } from './identifiers.ts';
import type { Pain001Batch, Pain001File, Pain001FileHeader, Pain001Options, Pain001Payment } from './model.ts';
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

  /** Adds another sum (a payment-information block's, into the group's). */
  addSum(other: ControlSum): void {
    for (const [e, s] of other.byExponent) this.byExponent.set(e, (this.byExponent.get(e) ?? 0n) + s);
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

/** A generated identifier (MsgId, PmtInfId, InstrId): the SWIFT x set without `_`, 1–35 characters. */
function generatedId(value: string, path: string): string {
  if (!FILE_ID_PATTERN.test(value)) throw new Pain001Error('must be 1–35 characters of the SWIFT x set (no `_`, no space)', path);
  return value;
}

function groupHeader(batch: Pain001FileHeader, totals: string): string {
  const id =
    batch.initiatingPartyId === undefined ? '' : `<Id><OrgId><Othr>${element('Id', batch.initiatingPartyId, 35, 'initiatingPartyId')}</Othr></OrgId></Id>`;
  return (
    `<GrpHdr><MsgId>${generatedId(batch.messageId, 'messageId')}</MsgId><CreDtTm>${batch.createdAt}</CreDtTm>${totals}` +
    `<InitgPty>${element('Nm', batch.initiatingPartyName, 140, 'initiatingPartyName')}${id}</InitgPty></GrpHdr>\n`
  );
}

/** PmtTpInf (SvcLvl, LclInstrm, CtgyPurp in the schema's order), or nothing when all are absent. */
function paymentTypeInfo(serviceLevel: string | undefined, localInstrument: string, purpose: string | undefined): string {
  const svcLvl = serviceLevel === undefined ? '' : `<SvcLvl><Cd>${serviceLevel}</Cd></SvcLvl>`;
  const ctgyPurp = purpose === undefined ? '' : `<CtgyPurp>${element('Cd', purpose, 4, 'purpose')}</CtgyPurp>`;
  const inside = `${svcLvl}${localInstrument}${ctgyPurp}`;
  return inside === '' ? '' : `<PmtTpInf>${inside}</PmtTpInf>`;
}

/** PmtInf up to its first CdtTrfTxInf: ids, totals, rail, date, the sender's side, charges. */
function paymentInfoHeader(ctx: FileContext, options: Pain001Options, totals: string): string {
  const { batch, rules, profile } = ctx;
  const { debtor: d } = batch;
  const override = options.localInstrument?.[batch.rail];
  const code = override === undefined ? profile.localInstrument[batch.rail] : { prtry: override };
  const localInstrument = code === undefined ? '' : `<LclInstrm>${codeChoice(code, 'localInstrument')}</LclInstrm>`;
  const accountFormat = RAILS[batch.rail].market === 'HK' ? 'hk' : 'sg';
  const currency = d.currency ? `<Ccy>${d.currency}</Ccy>` : '';
  // Payments naming their own charge bearers carry them per transaction instead (pushTransaction).
  const chargeBearer = perTransactionChargeBearer(batch)
    ? ''
    : `<ChrgBr>${batch.chargeBearer ? CHARGE_BEARER_CODES[batch.chargeBearer] : profile.domesticChargeBearer}</ChrgBr>`;
  const debtor = `<Dbtr>${element('Nm', d.legalName ?? d.name, 140, d.legalName === undefined ? 'debtor.name' : 'debtor.legalName')}${partyAddress(d.country, d.addressLines, 'debtor')}</Dbtr>`;
  return (
    `<PmtInf><PmtInfId>${generatedId(fileIdOf(batch.batchId), 'batchId')}</PmtInfId><PmtMtd>TRF</PmtMtd>${totals}` +
    `${paymentTypeInfo(profile.serviceLevel[batch.rail], localInstrument, batch.purpose)}${rules.requestedExecutionDate(batch.paymentDate)}` +
    `${debtor}<DbtrAcct>${accountId(accountFormat, d.accountNumber, 'debtor.accountNumber')}${currency}</DbtrAcct>` +
    `${agent('DbtrAgt', d.bank, undefined, rules, 'debtor.bank', profile.agentCountry)}${chargeBearer}\n`
  );
}

/** True when the batch's payments carry their charge bearers themselves (they differ). */
function perTransactionChargeBearer(batch: Pain001Batch): boolean {
  return batch.payments.some((p) => p.chargeBearer !== undefined);
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

/** What every payment of one file shares: the profile, the rules, the totals, and agents already written. */
interface FileContext {
  batch: Pain001Batch;
  profile: Pain001Profile;
  rules: VersionRules;
  proxy: ProxyWriting;
  sum: ControlSum;
  // A batch pays few distinct banks: each CdtrAgt is built once, not once per payment.
  agents: Map<string, string>;
  /** ChrgBr on each CdtTrfTxInf rather than on PmtInf: the payments name different ones. */
  perTransactionChargeBearer: boolean;
}

function creditorAgent(ctx: FileContext, p: Pain001Payment): string {
  // ACT is a book transfer: the receiver's bank is the sender's own, so CdtrAgt names it.
  const own = p.receiver.bank === undefined && RAILS[ctx.batch.rail].receiverBank === 'absent';
  const bank = own ? ctx.batch.debtor.bank : p.receiver.bank;
  if (bank === undefined) return '';
  const branch = own ? undefined : p.receiver.branchCode;
  const key = branch === undefined ? bank : `${bank}/${branch}`;
  let xml = ctx.agents.get(key);
  if (xml === undefined) ctx.agents.set(key, (xml = agent('CdtrAgt', bank, branch, ctx.rules, 'receiver.bank', ctx.profile.agentCountry)));
  return xml;
}

/** EndToEndId: the customer reference, without `_` where the bank refuses it (checked at creation too). */
function endToEndId(ctx: FileContext, reference: string): string {
  if (!ctx.profile.underscoreInEndToEndId && reference.includes('_'))
    throw new Pain001Error(`the ${ctx.profile.name} bank profile refuses '_' in EndToEndId`, 'customerReference');
  return text(reference, 35, 'customerReference');
}

/** The payment's own CtgyPurp, when it is not the batch's (written once on PmtInf). */
function transactionPurpose(ctx: FileContext, p: Pain001Payment): string {
  if (p.purpose === undefined || p.purpose === ctx.batch.purpose) return '';
  return `<PmtTpInf><CtgyPurp>${element('Cd', p.purpose, 4, 'purpose')}</CtgyPurp></PmtTpInf>`;
}

function pushTransaction(out: string[], ctx: FileContext, p: Pain001Payment): void {
  const amount = instructedAmount(p, ctx.sum);
  out.push(
    '<CdtTrfTxInf><PmtId><InstrId>',
    generatedId(fileIdOf(p.paymentId), 'paymentId'),
    '</InstrId><EndToEndId>',
    endToEndId(ctx, p.customerReference),
    '</EndToEndId>',
    uetrOf(p, ctx.rules),
    '</PmtId>',
    transactionPurpose(ctx, p),
    '<Amt><InstdAmt Ccy="',
    p.currency,
    '">',
    amount,
    '</InstdAmt></Amt>',
    ctx.perTransactionChargeBearer ? `<ChrgBr>${p.chargeBearer ? CHARGE_BEARER_CODES[p.chargeBearer] : ctx.profile.domesticChargeBearer}</ChrgBr>` : '',
    creditorAgent(ctx, p),
  );
  pushCreditor(out, p.receiver);
  pushCreditorAccount(out, p.receiver, RAILS[ctx.batch.rail].accountNumberFormat, ctx.proxy);
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

/** One PmtInf block, written, with its control sum (which the group header adds up). */
interface WrittenBlock {
  pieces: string[];
  sum: ControlSum;
  count: number;
}

function paymentInfoBlock(batch: Pain001Batch, profile: Pain001Profile, rules: VersionRules, options: Pain001Options): WrittenBlock {
  checkHeader(batch);
  if (!profile.rails.includes(batch.rail)) throw new Pain001Error(`the ${profile.name} bank profile has no ${batch.rail} payments`, 'rail');
  const ctx: FileContext = {
    batch,
    profile,
    rules,
    proxy: proxyWriting(profile, rules, batch.rail),
    sum: new ControlSum(),
    agents: new Map(),
    perTransactionChargeBearer: perTransactionChargeBearer(batch),
  };
  // The headers carry the totals, known only after every payment.
  const body = transactions(ctx);
  const totals = `<NbOfTxs>${batch.payments.length}</NbOfTxs><CtrlSum>${ctx.sum.total()}</CtrlSum>`;
  return { pieces: [paymentInfoHeader(ctx, options, totals), ...body, '</PmtInf>'], sum: ctx.sum, count: batch.payments.length };
}

/** The document around written blocks, the group header carrying their totals. */
function document(header: Pain001FileHeader, rules: VersionRules, blocks: WrittenBlock[]): string {
  const group = new ControlSum();
  for (const block of blocks) group.addSum(block.sum);
  const totals = `<NbOfTxs>${blocks.reduce((n, b) => n + b.count, 0)}</NbOfTxs><CtrlSum>${group.total()}</CtrlSum>`;
  // One join for the whole document: the transactions' chunks are copied once, not joined first
  // (a second copy of a file that can be tens of megabytes).
  const pieces = blocks.flatMap((b, i) => (i === 0 ? b.pieces : ['\n', ...b.pieces]));
  return [
    XML_DECLARATION,
    `<Document xmlns="${rules.namespace}"><CstmrCdtTrfInitn>\n`,
    groupHeader(header, totals),
    ...pieces,
    '</CstmrCdtTrfInitn></Document>\n',
  ].join('');
}

/**
 * The batch as a pain.001 document in the layout of `options.profile` (default `generic`), in the
 * profile's version unless `options.version` says otherwise; throws Pain001Error.
 */
export function writePain001(batch: Pain001Batch, options: Pain001Options = {}): string {
  const profile = PROFILES[options.profile ?? 'generic'];
  const rules = VERSION_RULES[options.version ?? profile.version];
  return document(batch, rules, [paymentInfoBlock(batch, profile, rules, options)]);
}

/**
 * Several payment-information blocks (e.g. live single payments of one connection, type and date,
 * or of several dates) in one document under one group header, whose NbOfTxs and CtrlSum add up
 * every block's. Each block has its own PmtInfId, rail, date, debtor and charges. Error paths
 * name the block: `paymentInfos[1].payments[0].receiver.name`.
 */
export function writePain001File(file: Pain001File, options: Pain001Options = {}): string {
  const profile = PROFILES[options.profile ?? 'generic'];
  const rules = VERSION_RULES[options.version ?? profile.version];
  if (file.paymentInfos.length === 0) throw new Pain001Error('a file needs at least one payment-information block', 'paymentInfos');
  const blocks = file.paymentInfos.map((info, i) => {
    try {
      return paymentInfoBlock({ ...file, ...info }, profile, rules, options);
    } catch (err) {
      throw err instanceof Pain001Error ? err.within(`paymentInfos[${i}]`) : err;
    }
  });
  return document(file, rules, blocks);
}

export type { Pain001Batch, Pain001Debtor, Pain001File, Pain001Options, Pain001Payment, Pain001PaymentInfo, Pain001Version } from './model.ts';
export { Pain001Error } from './model.ts';
