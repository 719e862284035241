// Reading the parts of a pain.002 below the group header: status reasons, statuses, payment
// information blocks and transactions. Lenient: what is missing or odd becomes a warning, and
// the rest of the entry is still reported.
import { isCurrency, minorUnitExponent } from '../../money/currencies.ts';
import { decimalToMinorUnits } from '../decimal-amount.ts';
import type { XmlElement } from '../xml/parse.ts';
import { attribute, child, childText, textOf } from '../xml/tree.ts';
import type { Pain002Charge, Pain002PaymentInfo, Pain002Transaction } from './model.ts';
import { GROUP_STATUSES, TRANSACTION_STATUSES, V03_GROUP_STATUSES, V03_TRANSACTION_STATUSES } from './status-codes.ts';

/** The version being read and where warnings go. */
export interface ReadContext {
  /** The two digits of pain.002.001.NN ('03' also for the Swiss and German .03 flavours). */
  version: string;
  warnings: string[];
}

const ISO_DATE = /^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))(T|$)/;

/** Where a list of StsRsnInf goes: the reason codes and the AddtlInf lines, each in document order. */
export interface StatusReasons {
  reasons: string[];
  reasonTexts: string[];
}

/** An AddtlInf line as written, its XML line ends normalised; undefined when empty. */
function lineOf(element: XmlElement): string | undefined {
  const text = textOf(element);
  return text?.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * One StsRsnInf: its code (Rsn/Cd, or the bank's proprietary Rsn/Prtry) and every AddtlInf line.
 * A StsRsnInf with only an Orgtr (who gave the status) or only text adds no code, so a
 * bank's "reason" that names only its originator never becomes a failure code.
 */
function addStatusReason(info: XmlElement, into: StatusReasons): void {
  let reasonSeen = false;
  for (const c of info.children ?? []) {
    if (c.name === 'AddtlInf') {
      const line = lineOf(c);
      if (line !== undefined) into.reasonTexts.push(line);
    } else if (c.name === 'Rsn' && !reasonSeen) {
      // The schema allows one Rsn; the first counts, as for every other single element.
      reasonSeen = true;
      const reason = childText(c, 'Cd') ?? childText(c, 'Prtry');
      if (reason) into.reasons.push(reason);
    }
  }
}

/** Every StsRsnInf of an element (a group or payment-information block), in order. */
export function statusReasonsOf(element: XmlElement | undefined): StatusReasons {
  const into: StatusReasons = { reasons: [], reasonTexts: [] };
  for (const info of element?.children ?? []) if (info.name === 'StsRsnInf') addStatusReason(info, into);
  return into;
}

/**
 * What is wrong with a status code: unknown to payrail, or not allowed by the .03 schema (the
 * national .03 flavours included). Only .03's closed enumerations are checked: they are the
 * ones payrail holds the schema of, and a status outside them is a warning, never a refusal.
 */
export function statusProblem(status: string, level: 'group' | 'transaction', version: string): string | undefined {
  const known = level === 'group' ? GROUP_STATUSES : TRANSACTION_STATUSES;
  const v03 = level === 'group' ? V03_GROUP_STATUSES : V03_TRANSACTION_STATUSES;
  if (!Object.hasOwn(known, status)) return `unknown status code '${status}'`;
  if (version === '03' && !v03.has(status)) return `status '${status}' is not allowed in pain.002.001.03`;
  return undefined;
}

/**
 * What a TxInfAndSts says, taken out of its elements as soon as it closes (the reader then drops
 * them: a large ACK3 has 100,000 of these) and judged later, in report order, by readTransaction.
 * The first of each kind counts; every StsRsnInf and ChrgsInf is kept.
 */
export interface TransactionFields extends StatusReasons {
  instructionId?: string;
  endToEndId?: string;
  status?: string;
  /** Each ChrgsInf: whether it has an Amt, the Amt's text and its Ccy attribute. */
  charges?: { hasAmount: boolean; text?: string; currency?: string }[];
  /** OrgnlTxRef, when there is one: its two dates as written (undefined when the element is missing). */
  reference?: { requested?: RawDate; settlement?: RawDate };
}

/** A date element's name and its text: Dt or DtTm inside it (V10), or its own text (V03). */
interface RawDate {
  name: string;
  raw?: string;
}

function rawDate(element: XmlElement | undefined): RawDate | undefined {
  if (!element) return undefined;
  return { name: element.name, raw: childText(element, 'Dt') ?? childText(element, 'DtTm') ?? textOf(element) };
}

/** One pass over a TxInfAndSts's children. */
export function transactionFields(element: XmlElement): TransactionFields {
  const fields: TransactionFields = { reasons: [], reasonTexts: [] };
  let reference: XmlElement | undefined;
  for (const c of element.children ?? []) {
    if (c.name === 'OrgnlInstrId') fields.instructionId ??= textOf(c);
    else if (c.name === 'OrgnlEndToEndId') fields.endToEndId ??= textOf(c);
    else if (c.name === 'TxSts') fields.status ??= textOf(c);
    else if (c.name === 'StsRsnInf') addStatusReason(c, fields);
    else if (c.name === 'ChrgsInf') {
      const amount = child(c, 'Amt');
      (fields.charges ??= []).push({ hasAmount: amount !== undefined, text: textOf(amount), currency: amount && attribute(amount, 'Ccy') });
    } else if (c.name === 'OrgnlTxRef') reference ??= c;
  }
  if (reference) fields.reference = { requested: rawDate(child(reference, 'ReqdExctnDt')), settlement: rawDate(child(reference, 'IntrBkSttlmDt')) };
  return fields;
}

/** A date as YYYY-MM-DD (a date-time's date part); anything else is ignored with a warning. */
function dateOf(date: RawDate | undefined, index: number, tx: Pain002Transaction, ctx: ReadContext): string | undefined {
  if (!date) return undefined;
  const value = date.raw === undefined ? undefined : ISO_DATE.exec(date.raw)?.[1];
  if (!value) ctx.warnings.push(`${describe(index, tx)}: ${date.name} '${date.raw ?? ''}' is not a date; ignored`);
  return value;
}

/** ChrgsInf/Amt@Ccy in minor units; an amount that cannot be converted exactly is skipped with a warning. */
function chargesOf(infos: NonNullable<TransactionFields['charges']>, index: number, tx: Pain002Transaction, ctx: ReadContext): Pain002Charge[] {
  const charges: Pain002Charge[] = [];
  for (const { hasAmount, text, currency } of infos) {
    if (!hasAmount || !text || !currency || !isCurrency(currency)) {
      ctx.warnings.push(`${describe(index, tx)}: charge without an amount and an ISO 4217 currency; skipped`);
      continue;
    }
    const result = decimalToMinorUnits(text, minorUnitExponent(currency));
    if (result.ok) charges.push({ amount: result.minorUnits, currency });
    else ctx.warnings.push(`${describe(index, tx)}: charge ${currency} ${result.reason}; skipped`);
  }
  return charges;
}

/** Which transaction a warning is about; put into words only when there is a warning. */
function describe(index: number, tx: Pain002Transaction): string {
  const ids = [tx.originalInstructionId && `OrgnlInstrId ${tx.originalInstructionId}`, tx.originalEndToEndId && `OrgnlEndToEndId ${tx.originalEndToEndId}`];
  const named = ids.filter(Boolean).join(', ');
  return `TxInfAndSts #${index + 1}${named ? ` (${named})` : ''}`;
}

/** One TxInfAndSts, from its fields. `index` counts transactions in the whole report, for warnings. */
export function readTransaction(fields: TransactionFields, paymentInfoId: string | undefined, index: number, ctx: ReadContext): Pain002Transaction {
  const tx: Pain002Transaction = { reasons: fields.reasons, charges: [], reasonTexts: fields.reasonTexts };
  const { instructionId, endToEndId, status } = fields;
  if (paymentInfoId !== undefined) tx.originalPaymentInfoId = paymentInfoId;
  if (instructionId !== undefined) tx.originalInstructionId = instructionId;
  if (endToEndId !== undefined) tx.originalEndToEndId = endToEndId;
  if (status !== undefined) tx.status = status;
  if (isEcho(tx)) {
    ctx.warnings.push(`${describe(index, tx)}: an echo of the original (no OrgnlInstrId, OrgnlEndToEndId or TxSts); it reports nothing`);
  } else {
    if (instructionId === undefined && endToEndId === undefined)
      ctx.warnings.push(`${describe(index, tx)}: names no payment (no OrgnlInstrId or OrgnlEndToEndId)`);
    const problem = status === undefined ? 'no TxSts' : statusProblem(status, 'transaction', ctx.version);
    if (problem) ctx.warnings.push(`${describe(index, tx)}: ${problem}`);
  }
  if (fields.reference) {
    const requested = dateOf(fields.reference.requested, index, tx, ctx);
    const settlement = dateOf(fields.reference.settlement, index, tx, ctx);
    if (requested) tx.requestedExecutionDate = requested;
    if (settlement) tx.interbankSettlementDate = settlement;
  }
  if (fields.charges) tx.charges = chargesOf(fields.charges, index, tx, ctx);
  return tx;
}

/**
 * An echo entry: some banks repeat the original instruction (only OrgnlTxRef) next to the
 * statuses. It names no payment and carries no status, so it is kept (the applier ignores it)
 * with one warning instead of failing the file.
 */
export function isEcho(tx: Pain002Transaction): boolean {
  return tx.originalInstructionId === undefined && tx.originalEndToEndId === undefined && tx.status === undefined;
}

/** An OrgnlPmtInfAndSts's own status (PmtInfSts), reason codes and texts. */
export function readPaymentInfo(element: XmlElement, ctx: ReadContext): Pain002PaymentInfo {
  const info: Pain002PaymentInfo = statusReasonsOf(element);
  const id = childText(element, 'OrgnlPmtInfId');
  if (id !== undefined) info.originalPaymentInfoId = id;
  else ctx.warnings.push('OrgnlPmtInfAndSts without OrgnlPmtInfId');
  const status = childText(element, 'PmtInfSts');
  if (status !== undefined) {
    info.status = status;
    const problem = statusProblem(status, 'group', ctx.version);
    if (problem) ctx.warnings.push(`OrgnlPmtInfAndSts ${id ?? '(no id)'}: ${problem}`);
  }
  return info;
}
